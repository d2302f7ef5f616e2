// What the HPA controller remembers between syncs of one HPA (in memory, as Kubernetes does —
// a restarted controller starts afresh): its recent replica recommendations, for the
// stabilization windows, and its recent rescales, for the behavior policies' rates. From them,
// `normalize` turns a raw recommendation into the count to scale to, with the AbleToScale and
// ScalingLimited conditions that explain it.
import { limitWithBehavior, limitWithoutBehavior, longestPolicyPeriod, type ScaleEvent } from './scaling-rules.ts';
import type { HorizontalPodAutoscalerBehavior } from './types.ts';

interface Recommendation {
  replicas: number;
  timestamp: number;
}

/** A condition to set: status, reason and message. */
export interface ConditionChange {
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export interface Normalized {
  replicas: number;
  ableToScale: ConditionChange;
  scalingLimited: ConditionChange;
}

export interface NormalizeArgs {
  key: string;
  currentReplicas: number;
  /** the metrics' recommendation, before stabilization and limits */
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  /** spec.behavior as served (the apiserver completes a given behavior; absent stays absent) */
  behavior: HorizontalPodAutoscalerBehavior | undefined;
  /** --horizontal-pod-autoscaler-downscale-stabilization */
  downscaleStabilizationMs: number;
  now: number;
}

const READY_FOR_NEW_SCALE = { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const SCALE_UP_STABILIZED = {
  reason: 'ScaleUpStabilized',
  message: 'recent recommendations were lower than current one, applying the lowest recent recommendation',
};
const SCALE_DOWN_STABILIZED = {
  reason: 'ScaleDownStabilized',
  message: 'recent recommendations were higher than current one, applying the highest recent recommendation',
};

export class ScalingHistory {
  private readonly recommendations = new Map<string, Recommendation[]>();
  private readonly scaleUpEvents = new Map<string, ScaleEvent[]>();
  private readonly scaleDownEvents = new Map<string, ScaleEvent[]>();

  /** The first sync of an HPA remembers the current count, so it is not scaled down at once. */
  recordInitialRecommendation(key: string, currentReplicas: number, now: number): void {
    if (!this.recommendations.has(key)) this.recommendations.set(key, [{ replicas: currentReplicas, timestamp: now }]);
  }

  /** The HPA is gone: forget it. */
  forget(key: string): void {
    this.recommendations.delete(key);
    this.scaleUpEvents.delete(key);
    this.scaleDownEvents.delete(key);
  }

  normalize(args: NormalizeArgs): Normalized {
    return args.behavior ? this.normalizeWithBehavior(args, args.behavior) : this.normalizeWithoutBehavior(args);
  }

  /** Records a rescale, for the rate policies (only HPAs with behavior use them). */
  storeScaleEvent(behavior: HorizontalPodAutoscalerBehavior | undefined, key: string, previous: number, next: number, now: number): void {
    if (!behavior) return;
    const up = next > previous;
    const events = this.eventsOf(up ? this.scaleUpEvents : this.scaleDownEvents, key);
    const cutoff = now - longestPolicyPeriod(up ? behavior.scaleUp : behavior.scaleDown) * 1000;
    for (const event of events) if (event.timestamp < cutoff) event.outdated = true;
    const fresh = { replicaChange: Math.abs(next - previous), timestamp: now, outdated: false };
    // Reuse an outdated slot so the list stays as long as the busiest period needs.
    const slot = events.findIndex((e) => e.outdated);
    if (slot >= 0) events[slot] = fresh;
    else events.push(fresh);
  }

  /** No behavior: the highest recommendation of the downscale window wins (scale-ups are immediate). */
  private normalizeWithoutBehavior(args: NormalizeArgs): Normalized {
    const stabilized = this.stabilize(args.key, args.desiredReplicas, args.now, args.downscaleStabilizationMs);
    const ableToScale = stabilized !== args.desiredReplicas ? SCALE_DOWN_STABILIZED : READY_FOR_NEW_SCALE;
    const limited = limitWithoutBehavior(args.currentReplicas, stabilized, args.minReplicas, args.maxReplicas);
    return {
      replicas: limited.replicas,
      ableToScale: { status: 'True', ...ableToScale },
      scalingLimited: { status: limited.replicas === stabilized ? 'False' : 'True', reason: limited.reason, message: limited.message },
    };
  }

  private normalizeWithBehavior(args: NormalizeArgs, given: HorizontalPodAutoscalerBehavior): Normalized {
    const behavior = {
      scaleUp: given.scaleUp ?? {},
      // An unset scale-down window is the controller's flag, not zero.
      scaleDown: { ...given.scaleDown, stabilizationWindowSeconds: given.scaleDown?.stabilizationWindowSeconds ?? Math.trunc(args.downscaleStabilizationMs / 1000) },
    };
    const stabilized = this.stabilizeWithBehavior(args, (behavior.scaleUp.stabilizationWindowSeconds ?? 0) * 1000, behavior.scaleDown.stabilizationWindowSeconds * 1000);
    const why = args.desiredReplicas >= args.currentReplicas ? SCALE_UP_STABILIZED : SCALE_DOWN_STABILIZED;
    const limited = limitWithBehavior({
      currentReplicas: args.currentReplicas,
      desiredReplicas: stabilized,
      minReplicas: args.minReplicas,
      maxReplicas: args.maxReplicas,
      behavior,
      upEvents: this.scaleUpEvents.get(args.key) ?? [],
      downEvents: this.scaleDownEvents.get(args.key) ?? [],
      now: args.now,
    });
    return {
      replicas: limited.replicas,
      ableToScale: { status: 'True', ...(stabilized !== args.desiredReplicas ? why : READY_FOR_NEW_SCALE) },
      scalingLimited: { status: limited.replicas === stabilized ? 'False' : 'True', reason: limited.reason, message: limited.message },
    };
  }

  /** The highest recommendation within the window; the new one takes the slot of one outside it. */
  private stabilize(key: string, desired: number, now: number, windowMs: number): number {
    const cutoff = now - windowMs;
    const list = this.recommendations.get(key) ?? [];
    let highest = desired;
    let oldSlot = -1;
    list.forEach((rec, i) => {
      if (rec.timestamp < cutoff) oldSlot = i;
      else highest = Math.max(highest, rec.replicas);
    });
    this.remember(key, list, oldSlot, { replicas: desired, timestamp: now });
    return highest;
  }

  /**
   * With behavior: the count moves up no further than the lowest recommendation of the
   * scale-up window and down no further than the highest of the scale-down window.
   */
  private stabilizeWithBehavior(args: NormalizeArgs, upWindowMs: number, downWindowMs: number): number {
    const { key, desiredReplicas, currentReplicas, now } = args;
    const upCutoff = now - upWindowMs;
    const downCutoff = now - downWindowMs;
    const list = this.recommendations.get(key) ?? [];
    let up = desiredReplicas;
    let down = desiredReplicas;
    let oldSlot = -1;
    list.forEach((rec, i) => {
      if (rec.timestamp > upCutoff) up = Math.min(up, rec.replicas);
      if (rec.timestamp > downCutoff) down = Math.max(down, rec.replicas);
      if (rec.timestamp < upCutoff && rec.timestamp < downCutoff) oldSlot = i;
    });
    this.remember(key, list, oldSlot, { replicas: desiredReplicas, timestamp: now });
    return Math.min(Math.max(currentReplicas, up), down);
  }

  private remember(key: string, list: Recommendation[], oldSlot: number, rec: Recommendation): void {
    if (oldSlot >= 0) list[oldSlot] = rec;
    else list.push(rec);
    this.recommendations.set(key, list);
  }

  private eventsOf(map: Map<string, ScaleEvent[]>, key: string): ScaleEvent[] {
    let events = map.get(key);
    if (!events) map.set(key, (events = []));
    return events;
  }
}
