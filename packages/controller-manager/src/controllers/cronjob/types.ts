// The parts of batch/v1 CronJobs and Jobs that the CronJob and TTL-after-finished controllers
// read and write, as they travel on the wire (JSON names; optional where the API omits them).
import type { KubeObject } from '@k8ts/api';
import type { ConditionStatus } from '../../controller/workload-types.ts';

export const CRONJOB_KIND = { group: 'batch', version: 'v1', kind: 'CronJob' };
export const JOB_KIND = { group: 'batch', version: 'v1', kind: 'Job' };

/** core/v1 ObjectReference, as status.active lists Jobs. */
export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
}

export interface JobCondition {
  type: string;
  status: ConditionStatus;
  lastProbeTime?: string | null;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

export interface JobSpec {
  ttlSecondsAfterFinished?: number | null;
  [field: string]: unknown;
}

export interface JobStatus {
  conditions?: JobCondition[];
  startTime?: string | null;
  completionTime?: string | null;
  [field: string]: unknown;
}

export interface Job extends KubeObject {
  spec?: JobSpec;
  status?: JobStatus;
}

export interface JobTemplateSpec {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; [field: string]: unknown };
  spec?: JobSpec;
}

export type ConcurrencyPolicy = 'Allow' | 'Forbid' | 'Replace';

export interface CronJobSpec {
  schedule: string;
  timeZone?: string | null;
  startingDeadlineSeconds?: number | null;
  concurrencyPolicy?: ConcurrencyPolicy;
  suspend?: boolean | null;
  jobTemplate: JobTemplateSpec;
  successfulJobsHistoryLimit?: number | null;
  failedJobsHistoryLimit?: number | null;
}

export interface CronJobStatus {
  active?: ObjectReference[];
  lastScheduleTime?: string | null;
  lastSuccessfulTime?: string | null;
}

export interface CronJob extends KubeObject {
  spec?: CronJobSpec;
  status?: CronJobStatus;
}
