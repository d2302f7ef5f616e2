import { describe, expect, it } from 'vitest';
import { ScalingHistory, type NormalizeArgs } from './recommendations.ts';
import type { HorizontalPodAutoscalerBehavior } from './types.ts';

const T0 = Date.UTC(2025, 0, 1);
const at = (seconds: number): number => T0 + seconds * 1000;
const FIVE_MINUTES = 300_000;

function args(overrides: Partial<NormalizeArgs>): NormalizeArgs {
  return { key: 'default/web', currentReplicas: 3, desiredReplicas: 3, minReplicas: 1, maxReplicas: 10, behavior: undefined, downscaleStabilizationMs: FIVE_MINUTES, now: T0, ...overrides };
}

describe('stabilization without behavior', () => {
  it('holds a scale-down at the highest recommendation of the last 5 minutes', () => {
    const history = new ScalingHistory();
    history.recordInitialRecommendation('default/web', 3, T0);
    const held = history.normalize(args({ desiredReplicas: 1, now: at(15) }));
    expect(held).toEqual({
      replicas: 3,
      ableToScale: {
        status: 'True',
        reason: 'ScaleDownStabilized',
        message: 'recent recommendations were higher than current one, applying the highest recent recommendation',
      },
      scalingLimited: { status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' },
    });
    expect(history.normalize(args({ desiredReplicas: 1, now: at(299) })).replicas).toBe(3);
    // The initial recommendation ages out of the window: the later ones all said 1.
    const released = history.normalize(args({ desiredReplicas: 1, now: at(301) }));
    expect(released.replicas).toBe(1);
    expect(released.ableToScale).toEqual({ status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' });
  });

  it('scales up at once, and the window follows the flag', () => {
    const history = new ScalingHistory();
    history.recordInitialRecommendation('default/web', 3, T0);
    expect(history.normalize(args({ desiredReplicas: 5, now: at(15) })).replicas).toBe(5);
    expect(history.normalize(args({ currentReplicas: 5, desiredReplicas: 2, now: at(30), downscaleStabilizationMs: 10_000 })).replicas).toBe(2);
  });

  it('clamps to the minimum with TooFewReplicas', () => {
    const history = new ScalingHistory();
    const result = history.normalize(args({ currentReplicas: 3, desiredReplicas: 0, minReplicas: 2, downscaleStabilizationMs: 0, now: at(1) }));
    expect(result.replicas).toBe(2);
    expect(result.scalingLimited).toEqual({ status: 'True', reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' });
  });
});

describe('stabilization with behavior', () => {
  const behavior: HorizontalPodAutoscalerBehavior = {
    scaleUp: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
  };

  it('scales up only to the lowest recommendation of the scale-up window', () => {
    const history = new ScalingHistory();
    history.recordInitialRecommendation('default/web', 2, T0);
    const held = history.normalize(args({ behavior, currentReplicas: 2, desiredReplicas: 4, now: at(15) }));
    expect(held.replicas).toBe(2);
    expect(held.ableToScale).toMatchObject({ reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' });
    expect(history.normalize(args({ behavior, currentReplicas: 2, desiredReplicas: 4, now: at(61) })).replicas).toBe(4);
  });

  it("takes an unset scale-down window from the controller's flag", () => {
    const history = new ScalingHistory();
    history.recordInitialRecommendation('default/web', 4, T0);
    const quick = { ...args({ behavior, currentReplicas: 4, desiredReplicas: 1, downscaleStabilizationMs: 20_000 }) };
    expect(history.normalize({ ...quick, now: at(15) }).replicas).toBe(4);
    expect(history.normalize({ ...quick, now: at(30) }).replicas).toBe(1);
  });

  it('paces rescales by the policies, from the scale events recorded', () => {
    const onePodAMinute: HorizontalPodAutoscalerBehavior = {
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
      scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
    };
    const history = new ScalingHistory();
    const first = history.normalize(args({ behavior: onePodAMinute, currentReplicas: 2, desiredReplicas: 6, now: at(0) }));
    expect(first).toMatchObject({ replicas: 3, scalingLimited: { status: 'True', reason: 'ScaleUpLimit' } });
    history.storeScaleEvent(onePodAMinute, 'default/web', 2, 3, at(0));
    expect(history.normalize(args({ behavior: onePodAMinute, currentReplicas: 3, desiredReplicas: 6, now: at(30) })).replicas).toBe(3);
    expect(history.normalize(args({ behavior: onePodAMinute, currentReplicas: 3, desiredReplicas: 6, now: at(61) })).replicas).toBe(4);
    // Forgetting the HPA forgets its pace.
    history.storeScaleEvent(onePodAMinute, 'default/web', 3, 4, at(61));
    history.forget('default/web');
    expect(history.normalize(args({ behavior: onePodAMinute, currentReplicas: 4, desiredReplicas: 6, now: at(62) })).replicas).toBe(5);
  });
});
