import { describe, expect, it } from 'vitest';
import { limitWithBehavior, limitWithoutBehavior, scaleDownLimitWithRules, scaleUpLimitWithRules, type ScaleEvent } from './scaling-rules.ts';
import type { HPAScalingRules } from './types.ts';

const NOW = Date.UTC(2025, 0, 1);
// The apiserver's defaults for a behavior given without rules.
const DEFAULT_UP: HPAScalingRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
const DEFAULT_DOWN: HPAScalingRules = { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

const event = (replicaChange: number, secondsAgo: number): ScaleEvent => ({ replicaChange, timestamp: NOW - secondsAgo * 1000, outdated: false });

describe('limits without behavior', () => {
  it.each([
    // current, desired, min, max → replicas, ScalingLimited reason
    [3, 4, 1, 10, 4, 'DesiredWithinRange'],
    [3, 10, 1, 10, 6, 'ScaleUpLimit'],
    [1, 10, 1, 10, 4, 'ScaleUpLimit'],
    [3, 10, 1, 5, 5, 'TooManyReplicas'],
    [3, 0, 1, 10, 1, 'TooFewReplicas'],
  ])('%i → %i within [%i, %i] gives %i (%s)', (current, desired, min, max, replicas, reason) => {
    expect(limitWithoutBehavior(current, desired, min, max)).toMatchObject({ replicas, reason });
  });

  it("words the reasons as Kubernetes' conditions do", () => {
    expect(limitWithoutBehavior(3, 0, 1, 10).message).toBe('the desired replica count is less than the minimum replica count');
    expect(limitWithoutBehavior(3, 10, 1, 10).message).toBe('the desired replica count is increasing faster than the maximum scale rate');
    expect(limitWithoutBehavior(3, 4, 1, 10).message).toBe('the desired count is within the acceptable range');
  });
});

describe('behavior policies', () => {
  it('scales up by the policy allowing the most (Max), the least (Min), or not at all (Disabled)', () => {
    // 10 replicas: +4 pods or +100% (20) per 15 s.
    expect(scaleUpLimitWithRules(10, [], [], DEFAULT_UP, NOW)).toBe(20);
    expect(scaleUpLimitWithRules(10, [], [], { ...DEFAULT_UP, selectPolicy: 'Min' }, NOW)).toBe(14);
    expect(scaleUpLimitWithRules(10, [], [], { ...DEFAULT_UP, selectPolicy: 'Disabled' }, NOW)).toBe(10);
  });

  it("counts from the replicas at the start of each policy's period", () => {
    // 6 added 10 s ago: the period started at 4, so at most 8 now; an older event no longer counts.
    expect(scaleUpLimitWithRules(10, [event(6, 10)], [], DEFAULT_UP, NOW)).toBe(8);
    expect(scaleUpLimitWithRules(10, [event(6, 20)], [], DEFAULT_UP, NOW)).toBe(20);
    // Percent rounds up so that one replica can still grow: 1 × 1.1 → 2.
    expect(scaleUpLimitWithRules(1, [], [], { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] }, NOW)).toBe(2);
  });

  it('scales down by the policy allowing the most, or the least', () => {
    const rules: HPAScalingRules = {
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 2, periodSeconds: 60 },
        { type: 'Percent', value: 50, periodSeconds: 60 },
      ],
    };
    expect(scaleDownLimitWithRules(10, [], [], rules, NOW)).toBe(5);
    expect(scaleDownLimitWithRules(10, [], [], { ...rules, selectPolicy: 'Min' }, NOW)).toBe(8);
    // 2 removed 30 s ago: the period started at 12.
    expect(scaleDownLimitWithRules(10, [], [event(2, 30)], rules, NOW)).toBe(6);
    expect(scaleDownLimitWithRules(10, [], [], DEFAULT_DOWN, NOW)).toBe(0);
  });

  it('limits the stabilized recommendation and says why', () => {
    const behavior = { scaleUp: { ...DEFAULT_UP, policies: [{ type: 'Pods' as const, value: 1, periodSeconds: 60 }] }, scaleDown: DEFAULT_DOWN };
    const base = { minReplicas: 1, maxReplicas: 10, behavior, upEvents: [], downEvents: [], now: NOW };
    expect(limitWithBehavior({ ...base, currentReplicas: 2, desiredReplicas: 6 })).toMatchObject({ replicas: 3, reason: 'ScaleUpLimit' });
    // One already added within the period: no more until it ages out.
    expect(limitWithBehavior({ ...base, currentReplicas: 3, desiredReplicas: 6, upEvents: [event(1, 30)] })).toMatchObject({ replicas: 3, reason: 'ScaleUpLimit' });
    expect(limitWithBehavior({ ...base, currentReplicas: 9, desiredReplicas: 12 })).toMatchObject({ replicas: 10, reason: 'TooManyReplicas' });
    expect(limitWithBehavior({ ...base, currentReplicas: 4, desiredReplicas: 0 })).toMatchObject({
      replicas: 1,
      reason: 'TooFewReplicas',
      message: 'the desired replica count is less than the minimum replica count',
    });
    const slowDown = { ...behavior, scaleDown: { selectPolicy: 'Max' as const, policies: [{ type: 'Pods' as const, value: 1, periodSeconds: 60 }] } };
    expect(limitWithBehavior({ ...base, behavior: slowDown, currentReplicas: 4, desiredReplicas: 1 })).toMatchObject({
      replicas: 3,
      reason: 'ScaleDownLimit',
      message: 'the desired replica count is decreasing faster than the maximum scale rate',
    });
  });
});
