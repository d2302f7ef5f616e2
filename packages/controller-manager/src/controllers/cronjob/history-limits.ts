// Which finished Jobs a CronJob no longer keeps: beyond successfulJobsHistoryLimit Complete
// Jobs and failedJobsHistoryLimit Failed ones, the oldest by start time go (Jobs that never
// started sort last, then by name). An unset limit keeps everything of that kind.
import { timeOf } from '../../controller/controller-utils.ts';
import { finishedCondition, JOB_COMPLETE, JOB_FAILED } from './job-status.ts';
import type { CronJob, Job } from './types.ts';

export function jobsBeyondHistoryLimits(cronJob: CronJob, jobs: readonly Job[]): Job[] {
  const spec = cronJob.spec;
  const successful = jobs.filter((job) => finishedCondition(job)?.type === JOB_COMPLETE);
  const failed = jobs.filter((job) => finishedCondition(job)?.type === JOB_FAILED);
  return [...oldestBeyond(successful, spec?.successfulJobsHistoryLimit), ...oldestBeyond(failed, spec?.failedJobsHistoryLimit)];
}

function oldestBeyond(jobs: Job[], limit: number | null | undefined): Job[] {
  if (limit === undefined || limit === null || jobs.length <= limit) return [];
  return [...jobs].sort(byStartTime).slice(0, jobs.length - limit);
}

/** byJobStartTime: started before not started, earlier before later, then by name. */
function byStartTime(a: Job, b: Job): number {
  const [sa, sb] = [a.status?.startTime, b.status?.startTime];
  if (!sa && sb) return 1;
  if (sa && !sb) return -1;
  const diff = timeOf(sa) - timeOf(sb);
  if (diff !== 0) return diff;
  const [na, nb] = [a.metadata.name ?? '', b.metadata.name ?? ''];
  return na < nb ? -1 : na > nb ? 1 : 0;
}
