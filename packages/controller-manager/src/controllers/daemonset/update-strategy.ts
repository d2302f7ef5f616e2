// A DaemonSet's rolling-update budget (pkg/controller/daemon/util): maxUnavailable and maxSurge
// are ints or percentages of the nodes that should run a daemon pod, both rounded up; OnDelete
// (or no rollingUpdate) allows neither. With surge a node briefly runs an old and a new pod.
import { scaledValue } from '../deployment/fenceposts.ts';
import type { DaemonSet, IntOrString } from './types.ts';

function rollingValue(ds: DaemonSet, field: 'maxSurge' | 'maxUnavailable', numberToSchedule: number): number {
  const strategy = ds.spec?.updateStrategy;
  if ((strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return 0;
  const value: IntOrString | undefined = strategy?.rollingUpdate?.[field];
  if (value === undefined) return 0;
  return scaledValue(value, numberToSchedule, true);
}

/** util.SurgeCount: how many nodes may run an extra (new) pod at once; throws on a malformed percentage. */
export function surgeCount(ds: DaemonSet, numberToSchedule: number): number {
  return rollingValue(ds, 'maxSurge', numberToSchedule);
}

/** util.UnavailableCount: how many nodes may be without an available pod at once. */
export function unavailableCount(ds: DaemonSet, numberToSchedule: number): number {
  return rollingValue(ds, 'maxUnavailable', numberToSchedule);
}

/** util.AllowsSurge: the strategy lets a node run two pods during an update. */
export function allowsSurge(ds: DaemonSet): boolean {
  try {
    return surgeCount(ds, 1) !== 0;
  } catch {
    return false;
  }
}

export function isOnDelete(ds: DaemonSet): boolean {
  return ds.spec?.updateStrategy?.type === 'OnDelete';
}
