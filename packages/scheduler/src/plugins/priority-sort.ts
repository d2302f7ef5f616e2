// PrioritySort: the scheduling queue's order — higher spec.priority first, then the pod that
// entered the queue earlier.
import type { Pod } from '../framework/types.ts';

/** corev1helpers.PodPriority: spec.priority, 0 when unset. */
export function podPriority(pod: Pod): number {
  return pod.spec.priority ?? 0;
}

export interface QueuedPodTimestamp {
  pod: Pod;
  /** when the pod was added to the queue (ms) */
  timestamp: number;
}

/** QueueSortPlugin.Less: true when `a` should be popped before `b`. */
export function prioritySortLess(a: QueuedPodTimestamp, b: QueuedPodTimestamp): boolean {
  const pa = podPriority(a.pod);
  const pb = podPriority(b.pod);
  return pa > pb || (pa === pb && a.timestamp < b.timestamp);
}
