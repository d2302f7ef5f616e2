// Jobs and CronJobs.
import type { KubeObject } from '../object.ts';
import { ageColumn, column, containersColumn, imagesColumn, nameColumn, selectorColumn } from './columns.ts';
import { humanDuration, parseTimestamp, since } from './duration.ts';
import { boolPointer, containerCells, formatLabelSelector, type Container, type LabelSelectorObject } from './format.ts';
import type { ResourcePrinter } from './types.ts';

interface JobSpec {
  completions?: number | null;
  parallelism?: number | null;
  selector?: LabelSelectorObject;
  template?: { spec?: { containers?: Container[] } };
}

interface Job extends KubeObject {
  spec?: JobSpec;
  status?: {
    succeeded?: number;
    startTime?: string;
    completionTime?: string;
    conditions?: { type: string; status: string }[];
  };
}

export const jobPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Where the job is in its life: Running, Complete, Failed, Suspended...'),
    column('Completions', 'string', 'Succeeded pods out of the completions wanted.'),
    column('Duration', 'string', 'How long the job ran (or has been running).'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  row: (object, now) => {
    const job = object as Job;
    const [names, images] = containerCells(job.spec?.template?.spec?.containers);
    return {
      cells: [
        object.metadata.name ?? '',
        jobStatus(job),
        completions(job),
        jobDuration(job, now),
        since(object.metadata.creationTimestamp, now),
        names,
        images,
        formatLabelSelector(job.spec?.selector),
      ],
    };
  },
};

function completions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const wanted = job.spec?.completions;
  if (wanted !== undefined && wanted !== null) return `${succeeded}/${wanted}`;
  // No completions count: the job is done when any pod succeeds ("work queue" jobs).
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: Job, now: Date): string {
  const start = parseTimestamp(job.status?.startTime);
  if (start === undefined) return '';
  const end = parseTimestamp(job.status?.completionTime) ?? now.getTime();
  return humanDuration(end - start);
}

function jobStatus(job: Job): string {
  // Each condition type counts by its first occurrence, as the controller only ever writes one.
  const has = (type: string) => job.status?.conditions?.find((c) => c.type === type)?.status === 'True';
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  return 'Running';
}

interface CronJob extends KubeObject {
  spec?: {
    schedule?: string;
    timeZone?: string | null;
    suspend?: boolean | null;
    jobTemplate?: { spec?: JobSpec };
  };
  status?: { active?: unknown[]; lastScheduleTime?: string | null };
}

export const cronJobPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Schedule', 'string', 'Cron schedule the jobs are created on.'),
    column('Timezone', 'string', 'Time zone the schedule is read in.'),
    column('Suspend', 'boolean', 'Whether new jobs are held back.'),
    column('Active', 'integer', 'Jobs currently running.'),
    column('Last Schedule', 'string', 'How long ago a job was last scheduled.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  row: (object, now) => {
    const cronJob = object as CronJob;
    const spec = cronJob.spec ?? {};
    const jobSpec = spec.jobTemplate?.spec;
    const [names, images] = containerCells(jobSpec?.template?.spec?.containers);
    const lastSchedule = cronJob.status?.lastScheduleTime;
    return {
      cells: [
        object.metadata.name ?? '',
        spec.schedule ?? '',
        spec.timeZone ?? '<none>',
        boolPointer(spec.suspend),
        cronJob.status?.active?.length ?? 0,
        lastSchedule ? since(lastSchedule, now) : '<none>',
        since(object.metadata.creationTimestamp, now),
        names,
        images,
        formatLabelSelector(jobSpec?.selector),
      ],
    };
  },
};
