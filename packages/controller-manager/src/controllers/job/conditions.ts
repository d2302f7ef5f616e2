// A Job's status conditions. Since 1.31 a Job finishes in two steps: the controller first adds
// an interim condition — SuccessCriteriaMet, or FailureTarget with the reason it failed — and
// only once none of its pods is still terminating does it add the terminal Complete or Failed
// condition (with the same reason and message). Anyone watching can therefore trust that a
// Complete or Failed Job has no pod left running.
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import type { ConditionStatus } from '../../controller/workload-types.ts';
import {
  JOB_COMPLETE,
  JOB_FAILED,
  JOB_FAILURE_TARGET,
  JOB_SUCCESS_CRITERIA_MET,
  REASON_COMPLETIONS_REACHED,
  type Job,
  type JobCondition,
} from './job-types.ts';

/** A condition observed at `now` (ms): probe and transition times alike. */
export function newCondition(type: string, status: ConditionStatus, reason: string, message: string, now: number): JobCondition {
  const time = formatRfc3339(Math.floor(now / 1000));
  return { type, status, lastProbeTime: time, lastTransitionTime: time, reason, message };
}

export function findCondition(conditions: readonly JobCondition[] | undefined, type: string): JobCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

function isTrue(job: Job, type: string): boolean {
  return findCondition(job.status?.conditions, type)?.status === 'True';
}

/** util.IsJobFinished: Complete or Failed is True; nothing is left to do for the Job. */
export function isJobFinished(job: Job): boolean {
  return isTrue(job, JOB_COMPLETE) || isTrue(job, JOB_FAILED);
}

/**
 * ensureJobConditionStatus: sets the condition of `type` to status/reason/message (a new
 * condition, new times, if any of them changed); a missing condition is added unless it would
 * be False. Returns the new list and whether it changed.
 */
export function ensureConditionStatus(
  conditions: readonly JobCondition[],
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
  now: number,
): { conditions: JobCondition[]; changed: boolean } {
  const index = conditions.findIndex((c) => c.type === type);
  if (index >= 0) {
    const current = conditions[index]!;
    if (current.status === status && (current.reason ?? '') === reason && (current.message ?? '') === message) {
      return { conditions: [...conditions], changed: false };
    }
    const next = [...conditions];
    next[index] = newCondition(type, status, reason, message, now);
    return { conditions: next, changed: true };
  }
  if (status === 'False') return { conditions: [...conditions], changed: false };
  return { conditions: [...conditions, newCondition(type, status, reason, message, now)], changed: true };
}

/** The interim condition a failing Job gets first (FailureTarget, with why it failed). */
export function failureTarget(reason: string, message: string, now: number): JobCondition {
  return newCondition(JOB_FAILURE_TARGET, 'True', reason, message, now);
}

/** The interim condition a Job that reached its completions gets first. */
export function successCriteriaMet(now: number): JobCondition {
  return newCondition(JOB_SUCCESS_CRITERIA_MET, 'True', REASON_COMPLETIONS_REACHED, 'Reached expected number of succeeded pods', now);
}

/** The terminal condition an interim one turns into: Failed for FailureTarget, Complete for SuccessCriteriaMet. */
export function terminalConditionFor(interim: JobCondition, now: number): JobCondition {
  const type = interim.type === JOB_SUCCESS_CRITERIA_MET ? JOB_COMPLETE : JOB_FAILED;
  return newCondition(type, 'True', interim.reason ?? '', interim.message ?? '', now);
}
