import { describe, expect, it } from 'vitest';
import { maxSurge, maxUnavailable, resolveFenceposts, scaledValue } from './fenceposts.ts';
import type { Deployment, IntOrString } from './types.ts';

function rolling(replicas: number, surge: IntOrString, unavailable: IntOrString): Deployment {
  return {
    metadata: { name: 'web' },
    spec: { replicas, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } },
  };
}

describe('rolling update fenceposts', () => {
  it('round a percentage of surge up and of unavailability down', () => {
    expect(resolveFenceposts('25%', '25%', 3)).toEqual([1, 0]);
    expect(resolveFenceposts('25%', '25%', 10)).toEqual([3, 2]);
    expect(resolveFenceposts(2, '50%', 5)).toEqual([2, 2]);
  });

  it('let a rollout move when both resolve to zero, by allowing one unavailable pod', () => {
    expect(resolveFenceposts('0%', '1%', 10)).toEqual([0, 1]);
    expect(resolveFenceposts(0, 0, 3)).toEqual([0, 1]);
  });

  it('never allow more unavailable pods than there are replicas, and none for Recreate', () => {
    expect(maxUnavailable(rolling(2, 0, 5))).toBe(2);
    expect(maxUnavailable(rolling(0, 1, 1))).toBe(0);
    const recreate: Deployment = { metadata: {}, spec: { replicas: 4, template: {}, strategy: { type: 'Recreate' } } };
    expect(maxSurge(recreate)).toBe(0);
    expect(maxUnavailable(recreate)).toBe(0);
    expect(maxSurge(rolling(4, '25%', '25%'))).toBe(1);
  });

  it('reject strings that are not percentages', () => {
    expect(() => scaledValue('3', 10, true)).toThrow('string is not a percentage');
  });
});
