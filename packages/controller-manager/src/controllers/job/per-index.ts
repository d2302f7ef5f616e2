// backoffLimitPerIndex (Indexed Jobs): each index may fail that many times before the index —
// not the Job — is given up and listed in status.failedIndexes; the other indexes run on. Each
// pod carries how often its index failed before it (batch.kubernetes.io/job-index-failure-count,
// and the failures a podFailurePolicy ignored in …-ignored-failure-count); a failed pod keeps
// its tracking finalizer until its replacement exists, so the count is never lost, and the
// replacement waits the usual back-off counted per index.
import type { Pod } from '../../controller/workload-types.ts';
import { DEFAULT_POD_FAILURE_BACKOFF_MS, MAX_POD_FAILURE_BACKOFF_MS, podFinishedTime, remainingForFailures } from './backoff.ts';
import { completionIndexOf, hasIndex, indexesOf, parseIndexes, UNKNOWN_COMPLETION_INDEX, withIndexes, type Interval, type OrderedIntervals } from './indexes.ts';
import { hasTrackingFinalizer, isPodFailed } from './job-pods.ts';
import { JOB_INDEX_FAILURE_COUNT_ANNOTATION, type Job } from './job-types.ts';
import { matchPodFailurePolicy } from './pod-failure-policy.ts';

export const JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-ignored-failure-count';

function int32Annotation(pod: Pod, key: string): number {
  const value = pod.metadata.annotations?.[key];
  if (value === undefined || !/^[+-]?\d+$/.test(value)) return 0;
  const n = Number(value);
  return n >= 0 && n <= 2 ** 31 - 1 ? n : 0;
}

/** How many pods of this pod's index failed (and counted) before it. */
export function indexFailureCount(pod: Pod): number {
  return int32Annotation(pod, JOB_INDEX_FAILURE_COUNT_ANNOTATION);
}

function absoluteFailureCount(pod: Pod): number {
  return indexFailureCount(pod) + int32Annotation(pod, JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION);
}

function validIndex(job: Job, pod: Pod): number | undefined {
  const index = completionIndexOf(pod);
  return index !== UNKNOWN_COMPLETION_INDEX && index < (job.spec?.completions ?? 0) ? index : undefined;
}

/** isIndexFailed: the pod's failure used up its index's back-off (or a FailIndex rule matched). */
export function isIndexFailed(job: Job, pod: Pod): boolean {
  if (!isPodFailed(pod, job)) return false;
  const match = matchPodFailurePolicy(job.spec?.podFailurePolicy, pod);
  if (match.action === 'FailIndex') return true;
  return match.countFailed && indexFailureCount(pod) >= (job.spec?.backoffLimitPerIndex ?? 0);
}

/** calculateFailedIndexes: status.failedIndexes plus the indexes that failed for good since. */
export function failedIndexes(job: Job, pods: readonly Pod[]): Interval[] {
  const previous = parseIndexes(job.status?.failedIndexes ?? '', job.spec?.completions ?? 0);
  const fresh = pods.filter((pod) => validIndex(job, pod) !== undefined && hasTrackingFinalizer(pod) && isIndexFailed(job, pod)).map(completionIndexOf);
  return withIndexes(previous, fresh);
}

/**
 * getPodsWithDelayedDeletionPerIndex: for each index that still needs a pod (not succeeded, not
 * failed, none running), its latest failed pod — kept (finalizer and all) until the replacement
 * is created, which copies its failure count.
 */
export function podsWithDelayedDeletion(
  job: Job,
  pods: readonly Pod[],
  active: readonly Pod[],
  succeeded: OrderedIntervals,
  failed: OrderedIntervals,
  expectedRemovals: ReadonlySet<string>,
): Map<number, Pod> {
  const activeIndexes = new Set(indexesOf(active));
  const delayed = new Map<number, Pod>();
  for (const pod of pods) {
    if (!hasTrackingFinalizer(pod) || expectedRemovals.has(pod.metadata.uid ?? '') || !isPodFailed(pod, job)) continue;
    const index = validIndex(job, pod);
    if (index === undefined || hasIndex(succeeded, index) || hasIndex(failed, index) || activeIndexes.has(index)) continue;
    const last = delayed.get(index);
    if (!last || (absoluteFailureCount(last) <= absoluteFailureCount(pod) && podFinishedTime(pod) >= podFinishedTime(last))) delayed.set(index, pod);
  }
  return delayed;
}

/** The failure-count annotations for the pod replacing `replaced` (none: the index's first pod). */
export function newIndexFailureCounts(job: Job, replaced: Pod | undefined): Record<string, string> {
  if (!replaced) return { [JOB_INDEX_FAILURE_COUNT_ANNOTATION]: '0' };
  let failures = indexFailureCount(replaced);
  let ignored = int32Annotation(replaced, JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION);
  if (matchPodFailurePolicy(job.spec?.podFailurePolicy, replaced).countFailed) failures++;
  else ignored++;
  return { [JOB_INDEX_FAILURE_COUNT_ANNOTATION]: String(failures), ...(ignored > 0 ? { [JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION]: String(ignored) } : {}) };
}

/**
 * getPodCreationInfoForIndependentIndexes: of the pending indexes, those whose back-off is
 * over; when none is, how long until the first one's is.
 */
export function indexesReadyToCreate(pending: readonly number[], delayed: ReadonlyMap<number, Pod>, now: number): { indexes: number[]; waitMs: number } {
  const indexes: number[] = [];
  let waitMs: number | undefined;
  for (const index of pending) {
    const last = delayed.get(index);
    const wait = last ? remainingForFailures(absoluteFailureCount(last) + 1, podFinishedTime(last), now, DEFAULT_POD_FAILURE_BACKOFF_MS, MAX_POD_FAILURE_BACKOFF_MS) : 0;
    if (wait === 0) indexes.push(index);
    else waitMs = waitMs === undefined ? wait : Math.min(waitMs, wait);
  }
  return { indexes, waitMs: indexes.length > 0 ? 0 : (waitMs ?? 0) };
}
