import { describe, expect, it } from 'vitest';
import { planProportionalScaling } from './scaling.ts';
import type { Deployment, ReplicaSet } from './types.ts';

function rs(name: string, replicas: number, maxReplicas: number, created: string): ReplicaSet {
  return {
    metadata: { name, uid: name, creationTimestamp: created, annotations: { 'deployment.kubernetes.io/max-replicas': String(maxReplicas) } },
    spec: { replicas },
  };
}

function deployment(replicas: number): Deployment {
  return {
    metadata: { name: 'web' },
    spec: { replicas, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } },
  };
}

const sizes = (plan: ReturnType<typeof planProportionalScaling>) => Object.fromEntries(plan.sizes.map((s) => [s.rs.metadata.name, s.replicas]));

describe('proportional scaling', () => {
  // The example of the Kubernetes documentation: 10 replicas, maxSurge 3, maxUnavailable 2,
  // scaled to 15 while 8 old and 5 new replicas exist.
  it('spreads added replicas by the share each ReplicaSet had', () => {
    const old = rs('web-old', 8, 13, '2025-01-01T00:00:00Z');
    const fresh = rs('web-new', 5, 13, '2025-01-01T00:01:00Z');
    const plan = planProportionalScaling(deployment(15), fresh, [old]);
    expect(plan.operation).toBe('up');
    expect(sizes(plan)).toEqual({ 'web-old': 11, 'web-new': 7 });
  });

  it('takes replicas away proportionally, the leftovers from the largest', () => {
    const old = rs('web-old', 8, 13, '2025-01-01T00:00:00Z');
    const fresh = rs('web-new', 5, 13, '2025-01-01T00:01:00Z');
    const plan = planProportionalScaling(deployment(5), fresh, [old]);
    expect(plan.operation).toBe('down');
    // 8 of 13 pods scaled to 5 + 3 surge = 8: old 8 → 5, new 5 → 3.
    expect(sizes(plan)).toEqual({ 'web-old': 5, 'web-new': 3 });
  });

  it('empties every ReplicaSet when scaled to zero', () => {
    const plan = planProportionalScaling(deployment(0), rs('b', 2, 5, '2025-01-01T00:01:00Z'), [rs('a', 3, 5, '2025-01-01T00:00:00Z')]);
    expect(sizes(plan)).toEqual({ a: 0, b: 0 });
  });
});
