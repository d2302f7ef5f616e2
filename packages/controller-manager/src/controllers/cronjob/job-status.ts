// Whether a Job has finished and how (the job util helpers both the CronJob and the
// TTL-after-finished controllers use): a Job is finished once its Complete or Failed condition
// is True; when that condition turned True is when it finished.
import type { Job, JobCondition } from './types.ts';

export const JOB_COMPLETE = 'Complete';
export const JOB_FAILED = 'Failed';

/** The True Complete or Failed condition of a finished Job. */
export function finishedCondition(job: Job): JobCondition | undefined {
  return job.status?.conditions?.find((c) => (c.type === JOB_COMPLETE || c.type === JOB_FAILED) && c.status === 'True');
}

export function isJobFinished(job: Job): boolean {
  return finishedCondition(job) !== undefined;
}

export function isJobSucceeded(job: Job): boolean {
  return finishedCondition(job)?.type === JOB_COMPLETE;
}
