import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object.ts';
import { evaluatorsFor } from './registry.ts';
import { resourceListJson } from './resource-list.ts';
import { calculateUsage, quotaMatches, type ResourceQuota } from './usage.ts';
import { podEvaluator } from './pods.ts';

const NOW = new Date('2025-01-01T00:00:00Z');
const pod = (name: string, cpu?: string, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name, namespace: 'team' },
  spec: { containers: [{ name: 'c', resources: cpu ? { requests: { cpu }, limits: { cpu } } : {} }], ...extra },
});

describe('quota usage', () => {
  it('recounts what a quota limits from the objects, starting every measured name at zero', () => {
    const quota: ResourceQuota = { metadata: { name: 'q', namespace: 'team' }, spec: { hard: { pods: '10', 'requests.cpu': '4', services: '2', 'example.com/unknown': '1' } } };
    const objects: Record<string, KubeObject[]> = { '/pods': [pod('a', '500m'), pod('b', '250m'), { ...pod('done', '1'), status: { phase: 'Failed' } }] };
    const used = calculateUsage(quota, evaluatorsFor(Object.keys(quota.spec!.hard!)), (e) => objects[`${e.group}/${e.resource}`] ?? [], NOW);
    expect(resourceListJson(used)).toEqual({ pods: '2', 'requests.cpu': '750m', services: '0' });
  });

  it('counts only objects under every scope of the quota', () => {
    const quota: ResourceQuota = { metadata: { name: 'q' }, spec: { hard: { pods: '5' }, scopes: ['BestEffort'] } };
    const used = calculateUsage(quota, evaluatorsFor(['pods']), () => [pod('a', '1'), pod('b'), pod('c')], NOW);
    expect(resourceListJson(used)).toEqual({ pods: '2' });
  });

  it('matches a quota to an object by its hard names (status) and scopes', () => {
    const quota: ResourceQuota = { metadata: { name: 'q' }, status: { hard: { 'requests.cpu': '1' } }, spec: { scopes: ['NotTerminating'] } };
    expect(quotaMatches(quota, podEvaluator, pod('a'))).toBe(true);
    expect(quotaMatches(quota, podEvaluator, pod('a', undefined, { activeDeadlineSeconds: 5 }))).toBe(false);
    expect(quotaMatches({ ...quota, status: { hard: { services: '1' } } }, podEvaluator, pod('a'))).toBe(false);
  });
});
