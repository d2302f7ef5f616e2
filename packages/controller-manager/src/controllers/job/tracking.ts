// Finalizer-based tracking: the Job counts each finished pod exactly once, even if the pod is
// deleted right after it finishes. A pod keeps the batch.kubernetes.io/job-tracking finalizer
// until it is counted. Counting is a three-step handshake through the Job's status:
//   1. the finished pod's uid goes into status.uncountedTerminatedPods (written to the API);
//   2. the finalizer is removed from the pod;
//   3. uids whose pod no longer has the finalizer leave uncountedTerminatedPods and are added
//      to status.succeeded / status.failed.
// A crash between any two steps repeats at most the step in progress, never double-counts.
// For Indexed Jobs, succeeded pods are recorded in status.completedIndexes instead of by uid.
// These functions decide the steps; they work on the sync's own copy of the Job.
import type { Pod } from '../../controller/workload-types.ts';
import { completionIndexOf, hasIndex, parseIndexes, UNKNOWN_COMPLETION_INDEX, withIndexes, type Interval, type OrderedIntervals } from './indexes.ts';
import { hasTrackingFinalizer, isPodFailed } from './job-pods.ts';
import { isIndexedJob, JOB_SUCCESS_CRITERIA_MET, type Job, type JobCondition, type JobStatus } from './job-types.ts';
import { matchPodFailurePolicy } from './pod-failure-policy.ts';

/** At most this many uids in uncountedTerminatedPods (keeps the status under ~20 KB). */
export const MAX_UNCOUNTED_PODS = 500;

/** The uids in status.uncountedTerminatedPods when the sync started. */
export interface UncountedSets {
  succeeded: ReadonlySet<string>;
  failed: ReadonlySet<string>;
}

export function uncountedSets(status: JobStatus | undefined): UncountedSets {
  return {
    succeeded: new Set(status?.uncountedTerminatedPods?.succeeded ?? []),
    failed: new Set(status?.uncountedTerminatedPods?.failed ?? []),
  };
}

/** What a sync knows about the Job's pods. */
export interface TrackingView {
  job: Job;
  pods: readonly Pod[];
  uncounted: UncountedSets;
  /** pods whose finalizer removal was sent but not yet seen by the informer */
  expectedRemovals: ReadonlySet<string>;
  /** backoffLimitPerIndex: per index, the failed pod that keeps its finalizer until replaced */
  delayedDeletion?: ReadonlyMap<number, Pod>;
}

function hasValidIndex(job: Job, pod: Pod): boolean {
  const index = completionIndexOf(pod);
  return index !== UNKNOWN_COMPLETION_INDEX && index < (job.spec?.completions ?? 0);
}

/**
 * getNewFinishedPods: pods that succeeded or failed and are not counted anywhere yet (they
 * still carry the finalizer, are not in uncountedTerminatedPods, and — for Indexed Jobs — run a
 * valid index).
 */
export function newFinishedPods(view: TrackingView): { succeeded: Pod[]; failed: Pod[] } {
  const { job, pods, uncounted, expectedRemovals } = view;
  const uncountedNow = (pod: Pod, set: ReadonlySet<string>): boolean => {
    const uid = pod.metadata.uid ?? '';
    if (!hasTrackingFinalizer(pod) || set.has(uid) || expectedRemovals.has(uid)) return false;
    return !isIndexedJob(job) || hasValidIndex(job, pod);
  };
  return {
    succeeded: pods.filter((p) => uncountedNow(p, uncounted.succeeded) && p.status?.phase === 'Succeeded'),
    failed: pods.filter((p) => uncountedNow(p, uncounted.failed) && isPodFailed(p, job)),
  };
}

/** How many of the failed pods count against backoffLimit (a podFailurePolicy may ignore some). */
export function countedFailures(job: Job, failed: readonly Pod[]): number {
  const policy = job.spec?.podFailurePolicy;
  if (!policy) return failed.length;
  return failed.filter((pod) => matchPodFailurePolicy(policy, pod).countFailed).length;
}

/** getFailJobMessage: the message of the first failed pod a FailJob rule matches, if any. */
export function failJobMessage(job: Job, pods: readonly Pod[]): string | undefined {
  const policy = job.spec?.podFailurePolicy;
  if (!policy) return undefined;
  for (const pod of pods) {
    if (!isPodFailed(pod, job)) continue;
    const message = matchPodFailurePolicy(policy, pod).failJobMessage;
    if (message !== undefined) return message;
  }
  return undefined;
}

/**
 * calculateSucceededIndexes: the completed indexes status records (those still below
 * completions), and those plus the indexes of succeeded pods not yet counted.
 */
export function succeededIndexes(job: Job, pods: readonly Pod[]): { previous: Interval[]; all: Interval[] } {
  const previous = parseIndexes(job.status?.completedIndexes, job.spec?.completions ?? 0);
  const fresh = pods.filter((pod) => pod.status?.phase === 'Succeeded' && hasValidIndex(job, pod) && hasTrackingFinalizer(pod)).map(completionIndexOf);
  return { previous, all: withIndexes(previous, fresh) };
}

/**
 * cleanUncountedPodsWithoutFinalizers: step 3 — uids whose pod has lost its finalizer move from
 * uncountedTerminatedPods into the succeeded/failed counters. Returns whether status changed.
 */
export function countPodsWithoutFinalizers(status: JobStatus, uidsWithFinalizer: ReadonlySet<string>): boolean {
  const uncounted = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  const still = (uids: string[] | undefined) => (uids ?? []).filter((uid) => uidsWithFinalizer.has(uid));
  const succeeded = still(uncounted.succeeded);
  if (succeeded.length !== (uncounted.succeeded ?? []).length) {
    status.succeeded = (status.succeeded ?? 0) + (uncounted.succeeded ?? []).length - succeeded.length;
    uncounted.succeeded = succeeded;
    changed = true;
  }
  const failed = still(uncounted.failed);
  if (failed.length !== (uncounted.failed ?? []).length) {
    status.failed = (status.failed ?? 0) + (uncounted.failed ?? []).length - failed.length;
    uncounted.failed = failed;
    changed = true;
  }
  return changed;
}

export interface FinalizerPlan {
  /** step 2: the pods whose finalizer can go once status is written */
  podsToRemoveFinalizer: Pod[];
  /** Indexed Jobs: indexes that newly succeeded */
  newSucceededIndexes: number[];
  /** whether uncountedTerminatedPods changed (status must be written before step 2) */
  needsFlush: boolean;
  /** the uncounted lists are full: stop here, the rest waits for the next sync */
  reachedMaxUncounted: boolean;
}

/**
 * Step 1 of the handshake for every finished pod not yet processed: its uid goes into the
 * Job's uncountedTerminatedPods (mutated here) and it joins the pods to remove the finalizer
 * from. A pod may lose its finalizer once it succeeded, once it failed, or once the Job is
 * finished or being deleted (then every pod not succeeded counts as failed). Pods an Ignore
 * rule matches lose the finalizer without being counted.
 */
export function planFinalizerRemoval(
  view: TrackingView,
  finishedCondition: JobCondition | undefined,
  prevSucceededIndexes: OrderedIntervals,
  maxUncounted = MAX_UNCOUNTED_PODS,
): FinalizerPlan {
  const { job, uncounted, expectedRemovals } = view;
  const indexed = isIndexedJob(job);
  const pods = indexed ? [...view.pods].sort((a, b) => completionIndexOf(a) - completionIndexOf(b)) : view.pods;
  const status = (job.status ??= {});
  const lists = (status.uncountedTerminatedPods ??= {});
  const plan: FinalizerPlan = { podsToRemoveFinalizer: [], newSucceededIndexes: [], needsFlush: false, reachedMaxUncounted: false };
  const jobFailing = finishedCondition !== undefined && finishedCondition.type !== JOB_SUCCESS_CRITERIA_MET;
  const completions = job.spec?.completions ?? 0;
  for (const pod of pods) {
    const uid = pod.metadata.uid ?? '';
    // Processed by an earlier sync.
    if (!hasTrackingFinalizer(pod) || expectedRemovals.has(uid)) continue;
    const failed = isPodFailed(pod, job);
    const succeeded = pod.status?.phase === 'Succeeded';
    const jobDone = !!job.metadata.deletionTimestamp || finishedCondition !== undefined;
    if (!jobDone && !succeeded && !failed) continue;
    // Its replacement must first copy its index's failure count.
    if (!jobDone && !succeeded && view.delayedDeletion?.get(completionIndexOf(pod))?.metadata.uid === uid) continue;
    plan.podsToRemoveFinalizer.push(pod);
    const index = completionIndexOf(pod);
    if (succeeded && !uncounted.failed.has(uid)) {
      if (indexed) {
        if (index !== UNKNOWN_COMPLETION_INDEX && index < completions && !hasIndex(prevSucceededIndexes, index)) {
          plan.newSucceededIndexes.push(index);
          plan.needsFlush = true;
        }
      } else if (!uncounted.succeeded.has(uid)) {
        (lists.succeeded ??= []).push(uid);
        plan.needsFlush = true;
      }
    } else if (failed || jobFailing) {
      const validIndex = !indexed || (index !== UNKNOWN_COMPLETION_INDEX && index < completions);
      if (!uncounted.failed.has(uid) && validIndex && matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed) {
        (lists.failed ??= []).push(uid);
        plan.needsFlush = true;
      }
    }
    if (plan.newSucceededIndexes.length + (lists.succeeded?.length ?? 0) + (lists.failed?.length ?? 0) >= maxUncounted) {
      plan.reachedMaxUncounted = true;
      break;
    }
  }
  return plan;
}
