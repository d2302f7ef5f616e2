import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { evaluatorFor } from '@k8ts/api/quota/registry.ts';
import type { ResourceQuota } from '@k8ts/api/quota/usage.ts';
import { checkRequest } from './resource-quota-check.ts';

const NOW = new Date('2025-01-01T00:00:00Z');
const pods = evaluatorFor('', 'pods');
const services = evaluatorFor('', 'services');

function quota(name: string, hard: Record<string, string>, used?: Record<string, string>, spec: ResourceQuota['spec'] = {}): ResourceQuota {
  return { metadata: { name, namespace: 'dev', resourceVersion: '5' }, spec: { hard, ...spec }, status: { hard, ...(used ? { used } : {}) } };
}
function pod(resources: Record<string, unknown> = {}): KubeObject {
  return { metadata: { name: 'ngx', namespace: 'dev' }, spec: { containers: [{ name: 'nginx', image: 'nginx:alpine', resources }] } };
}
const create = (object: KubeObject) => ({ operation: 'CREATE' as const, subresource: '', object });

describe('ResourceQuota decisions', () => {
  it('refuses a pod that leaves quota-governed cpu and memory unstated', () => {
    const q = quota('compute-resources', { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi' }, {});
    expect(checkRequest([q], create(pod()), pods, NOW)).toEqual({
      allowed: false,
      reason: 'failed quota: compute-resources: must specify limits.cpu for: nginx; limits.memory for: nginx; requests.cpu for: nginx; requests.memory for: nginx',
    });
  });

  it('refuses while the controller has not counted a governed resource yet', () => {
    const q = quota('dev-qt', { pods: '2', services: '1' });
    expect(checkRequest([q], create(pod()), pods, NOW)).toEqual({ allowed: false, reason: 'status unknown for quota: dev-qt, resources: pods' });
    const counted = quota('dev-qt', { pods: '2', services: '1' }, { pods: '0' });
    expect(checkRequest([counted], create(pod()), pods, NOW).allowed).toBe(true);
  });

  it('adds the request to status.used, and refuses past the hard limit with the amounts', () => {
    const q = quota('pods-max', { pods: '2', 'count/pods': '5' }, { pods: '1', 'count/pods': '1' });
    const first = checkRequest([q], create(pod()), pods, NOW);
    if (!first.allowed) throw new Error(first.reason);
    expect(first.quotas[0]!.status!.used).toEqual({ 'count/pods': '2', pods: '2' });
    expect(checkRequest(first.quotas, create(pod()), pods, NOW)).toEqual({
      allowed: false,
      reason: 'exceeded quota: pods-max, requested: pods=1, used: pods=2, limited: pods=2',
    });
  });

  it('sums compute quantities exactly and names every exceeded resource', () => {
    const q = quota('compute', { 'requests.cpu': '1', 'requests.memory': '1Gi' }, { 'requests.cpu': '900m', 'requests.memory': '1000Mi' });
    const decision = checkRequest([q], create(pod({ requests: { cpu: '200m', memory: '100Mi' } })), pods, NOW);
    expect(decision).toEqual({
      allowed: false,
      reason: 'exceeded quota: compute, requested: requests.cpu=200m,requests.memory=100Mi, used: requests.cpu=900m,requests.memory=1000Mi, limited: requests.cpu=1,requests.memory=1Gi',
    });
  });

  it('leaves quotas alone when they do not govern the object or its scopes exclude it', () => {
    const other = quota('svc', { services: '1' }, { services: '0' });
    const scoped = quota('terminating', { pods: '1' }, { pods: '1' }, { scopes: ['Terminating'] });
    const decision = checkRequest([other, scoped], create(pod()), pods, NOW);
    expect(decision).toEqual({ allowed: true, quotas: [other, scoped] });
  });

  it('charges an update only for what it adds (a service turned NodePort)', () => {
    const q = quota('svc', { services: '5', 'services.nodeports': '1' }, { services: '1', 'services.nodeports': '0' });
    const old: KubeObject = { metadata: { name: 's', namespace: 'dev', resourceVersion: '3' }, spec: { type: 'ClusterIP', ports: [{ port: 80 }] } };
    const updated: KubeObject = { ...old, spec: { type: 'NodePort', ports: [{ port: 80 }] } };
    const decision = checkRequest([q], { operation: 'UPDATE', subresource: '', object: updated, oldObject: old }, services, NOW);
    if (!decision.allowed) throw new Error(decision.reason);
    expect(decision.quotas[0]!.status!.used).toEqual({ services: '1', 'services.nodeports': '1' });
    const twoPorts = { ...old, spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 81 }] } };
    expect(checkRequest([q], { operation: 'UPDATE', subresource: '', object: twoPorts, oldObject: old }, services, NOW)).toMatchObject({ allowed: false });
  });
});
