import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object.ts';
import { countedResource } from './evaluator.ts';
import { persistentVolumeClaimEvaluator } from './persistent-volume-claims.ts';
import { evaluatorFor, evaluatorsFor } from './registry.ts';
import { resourceListJson } from './resource-list.ts';
import { serviceEvaluator } from './services.ts';

const NOW = new Date('2025-01-01T00:00:00Z');
const object = (fields: Partial<KubeObject>): KubeObject => ({ metadata: { name: 'x', namespace: 'team' }, ...fields });

describe('service, claim and object-count evaluators', () => {
  it('counts node ports and load balancers by service type', () => {
    const ports = [{ port: 80 }, { port: 443 }];
    expect(resourceListJson(serviceEvaluator.usage(object({ spec: { type: 'ClusterIP', ports } }), NOW))).toEqual({
      'count/services': '1',
      services: '1',
      'services.loadbalancers': '0',
      'services.nodeports': '0',
    });
    expect(resourceListJson(serviceEvaluator.usage(object({ spec: { type: 'NodePort', ports } }), NOW))['services.nodeports']).toBe('2');
    const lb = resourceListJson(serviceEvaluator.usage(object({ spec: { type: 'LoadBalancer', ports, allocateLoadBalancerNodePorts: false } }), NOW));
    expect([lb['services.loadbalancers'], lb['services.nodeports']]).toEqual(['1', '0']);
  });

  it('charges claims per storage class, in whole bytes, the larger of request and allocation', () => {
    const claim = object({ spec: { storageClassName: 'standard', resources: { requests: { storage: '1.5' } } }, status: { allocatedResources: { storage: '1Gi' } } });
    expect(resourceListJson(persistentVolumeClaimEvaluator.usage(claim, NOW))).toEqual({
      'count/persistentvolumeclaims': '1',
      persistentvolumeclaims: '1',
      'requests.storage': '1Gi',
      'standard.storageclass.storage.k8s.io/persistentvolumeclaims': '1',
      'standard.storageclass.storage.k8s.io/requests.storage': '1Gi',
    });
    const small = object({ spec: { resources: { requests: { storage: '1500m' } } } });
    expect(resourceListJson(persistentVolumeClaimEvaluator.usage(small, NOW))['requests.storage']).toBe('2');
    expect(persistentVolumeClaimEvaluator.matchingResources(['gold.storageclass.storage.k8s.io/requests.storage', 'pods'])).toEqual([
      'gold.storageclass.storage.k8s.io/requests.storage',
    ]);
  });

  it('counts other kinds under count/<resource>.<group>, with the legacy names for core ones', () => {
    expect(resourceListJson(evaluatorFor('', 'secrets').usage(object({}), NOW))).toEqual({ 'count/secrets': '1', secrets: '1' });
    expect(resourceListJson(evaluatorFor('apps', 'deployments').usage(object({}), NOW))).toEqual({ 'count/deployments.apps': '1' });
    expect(evaluatorFor('apps', 'deployments').handles('UPDATE', '')).toBe(false);
    expect(countedResource('count/foo.example.com')).toEqual({ group: 'example.com', resource: 'foo' });
  });

  it('chooses, for a quota, every evaluator that measures one of its names', () => {
    const chosen = evaluatorsFor(['pods', 'count/deployments.apps', 'count/secrets', 'count/jobs.batch', 'count/events']);
    expect(chosen.map((e) => `${e.group}/${e.resource}`)).toEqual(['/pods', '/secrets', 'apps/deployments', 'batch/jobs']);
  });
});
