// How many pods a rolling update may add above, and take away below, the desired count.
// maxSurge and maxUnavailable are ints or percentages of spec.replicas; a percentage of surge
// rounds up (never stall a rollout for want of one pod) and of unavailability rounds down (never
// go below what the user asked to keep). When both come out 0 — "1%" of 10 unavailable, no
// surge — unavailability becomes 1 so the rollout can still move.
import { replicasOf, type Deployment, type IntOrString } from './types.ts';

/** intstr.GetScaledValueFromIntOrPercent; throws on a string that is not "<int>%". */
export function scaledValue(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const match = /^(-?\d+)%$/.exec(value);
  if (!match) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const scaled = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** deploymentutil.ResolveFenceposts: [maxSurge, maxUnavailable] for `desired` replicas. */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): [number, number] {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** The surge a rolling deployment may take right now (0 for Recreate). */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const rolling = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(rolling?.maxSurge, rolling?.maxUnavailable, replicasOf(d))[0];
}

/** The pods a rolling deployment may have unavailable (0 for Recreate or 0 replicas; at most all of them). */
export function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const rolling = d.spec.strategy?.rollingUpdate;
  return Math.min(resolveFenceposts(rolling?.maxSurge, rolling?.maxUnavailable, replicas)[1], replicas);
}
