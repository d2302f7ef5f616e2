// How far one HPA sync may move the replica count (Kubernetes' normalizeDesiredReplicas and its
// helpers), as pure functions. Without spec.behavior the old rules apply: stay within
// min/max and at most double (or reach 4) per sync. With behavior, each direction's policies
// bound the change against the replicas the target had at the start of each policy's period —
// recovered from the scale events of that period — and selectPolicy picks the largest change
// (Max), the smallest (Min), or none (Disabled).
import type { HPAScalingRules, HorizontalPodAutoscalerBehavior } from './types.ts';

/** A rescale the controller made: by how many replicas (always positive) and when. */
export interface ScaleEvent {
  replicaChange: number;
  timestamp: number;
  /** older than the longest policy period: its slot may be reused */
  outdated: boolean;
}

/** A limit's outcome: the replicas allowed and the ScalingLimited reason and message. */
export interface Limited {
  replicas: number;
  reason: string;
  message: string;
}

const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

const WITHIN_RANGE = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const TOO_FEW = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
const TOO_MANY = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
const SCALE_UP_LIMIT = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
const SCALE_DOWN_LIMIT = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };

/** Without behavior: never more than double (or 4) per sync, against bogus usage spikes. */
function scaleUpLimit(currentReplicas: number): number {
  return Math.floor(Math.max(SCALE_UP_LIMIT_FACTOR * currentReplicas, SCALE_UP_LIMIT_MINIMUM));
}

/** Without behavior: the desired count clamped to min, max and the scale-up limit. */
export function limitWithoutBehavior(currentReplicas: number, desired: number, minReplicas: number, maxReplicas: number): Limited {
  const upLimit = scaleUpLimit(currentReplicas);
  const [maximum, overMaximum] = maxReplicas > upLimit ? [upLimit, SCALE_UP_LIMIT] : [maxReplicas, TOO_MANY];
  if (desired < minReplicas) return { replicas: minReplicas, ...TOO_FEW };
  if (desired > maximum) return { replicas: maximum, ...overMaximum };
  return { replicas: desired, ...WITHIN_RANGE };
}

/** The replicas added (or removed) by events within the last `periodSeconds`. */
function replicasChangedInPeriod(periodSeconds: number, events: readonly ScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds * 1000;
  let replicas = 0;
  for (const event of events) if (event.timestamp > cutoff) replicas += event.replicaChange;
  return replicas;
}

/** The most replicas the scale-up rules allow now. */
export function scaleUpLimitWithRules(currentReplicas: number, upEvents: readonly ScaleEvent[], downEvents: readonly ScaleEvent[], rules: HPAScalingRules, now: number): number {
  const select = rules.selectPolicy ?? 'Max';
  if (select === 'Disabled') return currentReplicas;
  // Scaling up, the smallest change (Min) is the lowest limit.
  const pick = select === 'Min' ? Math.min : Math.max;
  let result = select === 'Min' ? Infinity : -Infinity;
  for (const policy of rules.policies ?? []) {
    const periodStart = currentReplicas - replicasChangedInPeriod(policy.periodSeconds, upEvents, now) + replicasChangedInPeriod(policy.periodSeconds, downEvents, now);
    // Percent rounds up, or a small target could never grow.
    const proposed = policy.type === 'Pods' ? periodStart + policy.value : Math.ceil(periodStart * (1 + policy.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** The fewest replicas the scale-down rules allow now. */
export function scaleDownLimitWithRules(currentReplicas: number, upEvents: readonly ScaleEvent[], downEvents: readonly ScaleEvent[], rules: HPAScalingRules, now: number): number {
  const select = rules.selectPolicy ?? 'Max';
  if (select === 'Disabled') return currentReplicas;
  // Scaling down, the smallest change (Min) is the highest limit.
  const pick = select === 'Min' ? Math.max : Math.min;
  let result = select === 'Min' ? -Infinity : Infinity;
  for (const policy of rules.policies ?? []) {
    const periodStart = currentReplicas - replicasChangedInPeriod(policy.periodSeconds, upEvents, now) + replicasChangedInPeriod(policy.periodSeconds, downEvents, now);
    const proposed = policy.type === 'Pods' ? periodStart - policy.value : Math.trunc(periodStart * (1 - policy.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

export interface RateArgs {
  currentReplicas: number;
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  behavior: Required<HorizontalPodAutoscalerBehavior>;
  upEvents: readonly ScaleEvent[];
  downEvents: readonly ScaleEvent[];
  now: number;
}

/** With behavior: the (stabilized) desired count bounded by min/max and the policies' rates. */
export function limitWithBehavior(args: RateArgs): Limited {
  const { currentReplicas, desiredReplicas, behavior, upEvents, downEvents, now } = args;
  if (desiredReplicas > currentReplicas) {
    // Past events may already exceed the rate; then hold until they age out.
    const limit = Math.max(scaleUpLimitWithRules(currentReplicas, upEvents, downEvents, behavior.scaleUp, now), currentReplicas);
    const [maximum, why] = args.maxReplicas > limit ? [limit, SCALE_UP_LIMIT] : [args.maxReplicas, TOO_MANY];
    if (desiredReplicas > maximum) return { replicas: maximum, ...why };
  } else if (desiredReplicas < currentReplicas) {
    const limit = Math.min(scaleDownLimitWithRules(currentReplicas, upEvents, downEvents, behavior.scaleDown, now), currentReplicas);
    const [minimum, why] = args.minReplicas < limit ? [limit, SCALE_DOWN_LIMIT] : [args.minReplicas, TOO_FEW];
    if (desiredReplicas < minimum) return { replicas: minimum, ...why };
  }
  return { replicas: desiredReplicas, ...WITHIN_RANGE };
}

/** The longest period of a direction's policies: how long its scale events matter. */
export function longestPolicyPeriod(rules: HPAScalingRules | undefined): number {
  let longest = 0;
  for (const policy of rules?.policies ?? []) longest = Math.max(longest, policy.periodSeconds);
  return longest;
}
