// The back-off before a Job replaces failed pods: 10 s after the first failure, doubling with
// each failure since the last success, at most 10 minutes (Kubernetes 1.32's
// DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff; the docs still say six minutes, the
// code says ten). The controller keeps one record per Job — failures since the last success and
// when the last of them happened — and updates it from the pods it counts as newly finished.
import { timeOf } from '../../controller/controller-utils.ts';
import type { Pod } from '../../controller/workload-types.ts';

export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  /** when the last counted failure happened (ms), if any */
  lastFailureTime?: number;
}

export const NO_FAILURES: BackoffRecord = { failuresAfterLastSuccess: 0 };

interface TerminatedState {
  finishedAt?: string | null;
}

/**
 * getFinishedTime: when the pod finished — its containers' latest finishedAt (if they all
 * terminated), else when it stopped being Ready, else when it was deleted, else (never seen in
 * a working cluster) when it was created.
 */
export function podFinishedTime(pod: Pod): number {
  return containersFinishedTime(pod) ?? readyFalseTime(pod) ?? deletionTime(pod) ?? timeOf(pod.metadata.creationTimestamp);
}

function containersFinishedTime(pod: Pod): number | undefined {
  const statuses = pod.status?.containerStatuses ?? [];
  let latest: number | undefined;
  for (const status of statuses) {
    const terminated = (status.state as { terminated?: TerminatedState } | undefined)?.terminated;
    const finished = timeOf(terminated?.finishedAt);
    if (!terminated || finished === 0) return undefined;
    latest = latest === undefined ? finished : Math.max(latest, finished);
  }
  return latest;
}

function readyFalseTime(pod: Pod): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status !== 'False') return undefined;
  return timeOf(ready.lastTransitionTime) || undefined;
}

function deletionTime(pod: Pod): number | undefined {
  const deleted = timeOf(pod.metadata.deletionTimestamp);
  if (deleted === 0) return undefined;
  return deleted - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
}

function byFinishedTime(pods: readonly Pod[]): number[] {
  return pods.map(podFinishedTime).sort((a, b) => a - b);
}

/**
 * newBackoffRecord: the record after the pods that newly succeeded or failed. Without new
 * successes, failures add up; with one, only failures after the latest success count.
 */
export function nextBackoffRecord(previous: BackoffRecord, newSucceeded: readonly Pod[], newFailed: readonly Pod[]): BackoffRecord {
  const failed = byFinishedTime(newFailed);
  if (newSucceeded.length === 0) {
    if (failed.length === 0) return previous;
    return { failuresAfterLastSuccess: previous.failuresAfterLastSuccess + failed.length, lastFailureTime: failed[failed.length - 1]! };
  }
  const succeeded = byFinishedTime(newSucceeded);
  const lastSuccess = succeeded[succeeded.length - 1]!;
  const after = failed.filter((t) => t > lastSuccess);
  if (after.length === 0) return NO_FAILURES;
  return { failuresAfterLastSuccess: after.length, lastFailureTime: after[after.length - 1]! };
}

/** How long (ms) to wait at `now` before creating pods again; 0 when free to go. */
export function remainingBackoff(
  record: BackoffRecord,
  now: number,
  baseMs = DEFAULT_POD_FAILURE_BACKOFF_MS,
  maxMs = MAX_POD_FAILURE_BACKOFF_MS,
): number {
  return remainingForFailures(record.failuresAfterLastSuccess, record.lastFailureTime, now, baseMs, maxMs);
}

/** getRemainingTimeForFailuresCount: base × 2^(failures-1), capped, minus the time since the last failure. */
export function remainingForFailures(failures: number, lastFailureTime: number | undefined, now: number, baseMs: number, maxMs: number): number {
  if (failures === 0 || lastFailureTime === undefined) return 0;
  let backoff = baseMs;
  for (let i = 1; i < failures; i++) {
    backoff *= 2;
    if (backoff >= maxMs) {
      backoff = maxMs;
      break;
    }
  }
  const elapsed = now - lastFailureTime;
  return backoff < elapsed ? 0 : backoff - elapsed;
}
