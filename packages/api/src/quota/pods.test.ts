import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object.ts';
import { podEvaluator } from './pods.ts';
import { resourceListJson } from './resource-list.ts';

const NOW = new Date('2025-01-01T00:00:00Z');

function pod(spec: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject {
  return { metadata: { name: 'web', namespace: 'team' }, spec, ...extra };
}
const container = (name: string, requests?: Record<string, string>, limits?: Record<string, string>, more: Record<string, unknown> = {}) => ({
  name,
  image: 'nginx',
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
  ...more,
});

describe('pod quota usage', () => {
  it('charges requests (also as cpu/memory), limits, the pod and the object count', () => {
    const usage = podEvaluator.usage(pod({ containers: [container('a', { cpu: '100m', memory: '64Mi' }, { cpu: '200m', memory: '128Mi' }), container('b', { cpu: '150m' })] }), NOW);
    expect(resourceListJson(usage)).toEqual({
      'count/pods': '1',
      cpu: '250m',
      'limits.cpu': '200m',
      'limits.memory': '128Mi',
      memory: '64Mi',
      pods: '1',
      'requests.cpu': '250m',
      'requests.memory': '64Mi',
    });
  });

  it('takes an init container as a floor, counts sidecars throughout, and adds overhead to requests', () => {
    const spec = {
      initContainers: [container('setup', { cpu: '1' }), container('proxy', { cpu: '100m' }, undefined, { restartPolicy: 'Always' }), container('late', { cpu: '300m' })],
      containers: [container('app', { cpu: '200m' })],
      overhead: { cpu: '10m' },
    };
    // max(app 200m + sidecar 100m, setup 1, late 300m + sidecar 100m) + overhead 10m
    expect(resourceListJson(podEvaluator.usage(pod(spec), NOW))['requests.cpu']).toBe('1010m');
  });

  it('stops charging compute once a pod finished or outlived its grace period, but keeps count/pods', () => {
    const spec = { containers: [container('a', { cpu: '1' })] };
    expect(resourceListJson(podEvaluator.usage(pod(spec, { status: { phase: 'Succeeded' } }), NOW))).toEqual({ 'count/pods': '1' });
    const deleting = pod(spec, { metadata: { name: 'web', deletionTimestamp: '2024-12-31T23:59:00Z', deletionGracePeriodSeconds: 30 } });
    expect(Object.keys(podEvaluator.usage(deleting, NOW))).toEqual(['count/pods']);
    const stillGraceful = pod(spec, { metadata: { name: 'web', deletionTimestamp: '2024-12-31T23:59:50Z', deletionGracePeriodSeconds: 30 } });
    expect(resourceListJson(podEvaluator.usage(stillGraceful, NOW)).pods).toBe('1');
  });

  it('names, per missing resource, the containers that must specify it', () => {
    const required = ['limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory', 'pods'];
    expect(podEvaluator.constraints(required, pod({ containers: [container('nginx')] }))).toBe(
      'must specify limits.cpu for: nginx; limits.memory for: nginx; requests.cpu for: nginx; requests.memory for: nginx',
    );
    const partly = pod({ containers: [container('b', { cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' }), container('a', { cpu: '1' }), container('c')] });
    expect(podEvaluator.constraints(['requests.cpu', 'requests.memory'], partly)).toBe('must specify requests.cpu for: c; requests.memory for: a,c');
    expect(podEvaluator.constraints(['pods', 'count/pods'], pod({ containers: [container('nginx')] }))).toBeUndefined();
  });

  it('matches scopes: Terminating, BestEffort and PriorityClass selectors', () => {
    const bestEffort = pod({ containers: [container('a')], activeDeadlineSeconds: 30, priorityClassName: 'high' });
    const burstable = pod({ containers: [container('a', { cpu: '1' })] });
    expect(podEvaluator.matchesScope({ scopeName: 'Terminating', operator: 'Exists' }, bestEffort)).toBe(true);
    expect(podEvaluator.matchesScope({ scopeName: 'NotTerminating', operator: 'Exists' }, burstable)).toBe(true);
    expect(podEvaluator.matchesScope({ scopeName: 'BestEffort', operator: 'Exists' }, bestEffort)).toBe(true);
    expect(podEvaluator.matchesScope({ scopeName: 'BestEffort', operator: 'Exists' }, burstable)).toBe(false);
    expect(podEvaluator.matchesScope({ scopeName: 'PriorityClass', operator: 'In', values: ['high', 'medium'] }, bestEffort)).toBe(true);
    expect(podEvaluator.matchesScope({ scopeName: 'PriorityClass', operator: 'NotIn', values: ['high'] }, burstable)).toBe(true);
    expect(podEvaluator.matchesScope({ scopeName: 'PriorityClass', operator: 'Exists' }, burstable)).toBe(false);
    const crossNamespace = pod({ containers: [container('a')], affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ namespaces: ['other'], topologyKey: 'zone' }] } } });
    expect(podEvaluator.matchesScope({ scopeName: 'CrossNamespacePodAffinity', operator: 'Exists' }, crossNamespace)).toBe(true);
    expect(podEvaluator.matchesScope({ scopeName: 'CrossNamespacePodAffinity', operator: 'Exists' }, burstable)).toBe(false);
  });

  it('handles creates of the pod itself only', () => {
    expect(podEvaluator.handles('CREATE', '')).toBe(true);
    expect(podEvaluator.handles('UPDATE', '')).toBe(false);
    expect(podEvaluator.handles('CREATE', 'binding')).toBe(false);
  });
});
