import { describe, expect, it } from 'vitest';
import { defaulted } from './test-support.ts';

describe('PriorityClass defaults', () => {
  it('lets pods of a class preempt lower priorities unless it says Never', () => {
    const out = defaulted({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000000 });
    expect(out).toEqual({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'high', creationTimestamp: null },
      value: 1000000,
      preemptionPolicy: 'PreemptLowerPriority',
    });
    const never = defaulted({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'batch' },
      value: 10,
      preemptionPolicy: 'Never',
    });
    expect(never.preemptionPolicy).toBe('Never');
  });
});
