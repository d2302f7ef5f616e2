// The Job a CronJob starts for one scheduled time (getJobFromTemplate2). Its name is fixed by
// the scheduled time — "<cronjob>-<minutes since the epoch>" — so that two syncs racing for the
// same time cannot both create one: the second gets AlreadyExists.
import { newControllerRef } from '../../controller/pod-control.ts';
import { CRONJOB_KIND, JOB_KIND, type CronJob, type Job } from './types.ts';
import { formatRfc3339In } from './zoned-time.ts';

/** When the Job was meant to start, RFC 3339 in the CronJob's time zone (UTC without one). */
export const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** getJobName: "<cronjob>-<scheduled time in minutes since the epoch>". */
export function jobNameFor(cronJob: CronJob, scheduledTime: number): string {
  return `${cronJob.metadata.name ?? ''}-${Math.floor(scheduledTime / 60_000)}`;
}

/** The Job to create for `scheduledTime`: the template's labels, annotations and spec, owned by the CronJob. */
export function jobFromTemplate(cronJob: CronJob, scheduledTime: number): Job {
  const template = cronJob.spec?.jobTemplate;
  const labels = { ...template?.metadata?.labels };
  const annotations = {
    ...template?.metadata?.annotations,
    [CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]: formatRfc3339In(scheduledTime, cronJob.spec?.timeZone || 'UTC'),
  };
  return {
    apiVersion: 'batch/v1',
    kind: JOB_KIND.kind,
    metadata: {
      name: jobNameFor(cronJob, scheduledTime),
      namespace: cronJob.metadata.namespace ?? '',
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      annotations,
      ownerReferences: [newControllerRef(cronJob, CRONJOB_KIND)],
    },
    spec: structuredClone(template?.spec ?? {}),
  };
}
