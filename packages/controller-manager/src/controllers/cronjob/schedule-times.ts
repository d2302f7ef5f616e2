// When a CronJob should have started its latest Job, and when to look at it next (the CronJob
// controller's utils.go). The reference point is the last time it scheduled a Job, or its
// creation; startingDeadlineSeconds moves that point forward so that starts missed long ago
// are forgotten. Missed starts are counted roughly (elapsed time over the schedule's interval):
// more than 100 of them suggests clock skew or a stopped controller, and is reported.
import type { CronSchedule } from './cron-schedule.ts';
import type { CronJob } from './types.ts';
import { timeOf } from '../../controller/controller-utils.ts';

/** More missed start times than this earn a TooManyMissedTimes warning. */
export const TOO_MANY_MISSED = 100;
/** The controller looks again this long after the next scheduled time, to be sure it has passed. */
export const NEXT_SCHEDULE_DELTA_MS = 100;

export interface MostRecent {
  /** the reference point: last schedule time, creation, or the starting deadline */
  earliest: number;
  /** the latest schedule time at or before now, after `earliest` */
  mostRecent?: number;
  /** the rough count of schedule times missed since `earliest` */
  missed: number;
}

export class InvalidScheduleError extends Error {}

/**
 * mostRecentScheduleTime. With `includeStartingDeadline`, times older than the starting deadline
 * are not considered. Throws InvalidScheduleError for a schedule that never (or constantly) fires.
 */
export function mostRecentScheduleTime(cronJob: CronJob, now: number, schedule: CronSchedule, includeStartingDeadline: boolean): MostRecent {
  let earliest = timeOf(cronJob.status?.lastScheduleTime ?? cronJob.metadata.creationTimestamp);
  const deadlineSeconds = cronJob.spec?.startingDeadlineSeconds;
  if (includeStartingDeadline && deadlineSeconds !== undefined && deadlineSeconds !== null) {
    earliest = Math.max(earliest, now - deadlineSeconds * 1000);
  }
  const t1 = schedule.next(earliest);
  const t2 = t1 === undefined ? undefined : schedule.next(t1);
  if (t1 !== undefined && now < t1) return { earliest, missed: 0 };
  if (t2 !== undefined && now < t2) return { earliest, mostRecent: t1, missed: 0 };
  const interval = t1 === undefined || t2 === undefined ? 0 : Math.round((t2 - t1) / 1000);
  // A schedule such as "0 0 31 2 *" has no times at all.
  if (interval < 1) throw new InvalidScheduleError('time difference between two schedules is less than 1 second');
  const elapsed = Math.trunc((now - t1!) / 1000);
  const missed = Math.trunc(elapsed / interval) + 1;
  // Jump close to now, one interval early so that irregular schedules ("30 6-16/4 * * 1-5")
  // are walked by the schedule itself for the last stretch.
  let mostRecent: number | undefined;
  for (let t = schedule.next(t1! + (missed - 2) * interval * 1000); t !== undefined && t <= now; t = schedule.next(t)) mostRecent = t;
  return mostRecent === undefined ? { earliest, missed } : { earliest, mostRecent, missed };
}

/**
 * nextScheduleTime: the schedule time a Job should start for now, if any (within the starting
 * deadline). `tooManyMissed` is set when over TOO_MANY_MISSED were missed.
 */
export function nextScheduleTime(cronJob: CronJob, now: number, schedule: CronSchedule): { scheduledTime?: number; tooManyMissed: boolean } {
  const { mostRecent, missed } = mostRecentScheduleTime(cronJob, now, schedule, true);
  if (mostRecent === undefined || mostRecent > now) return { tooManyMissed: false };
  return { scheduledTime: mostRecent, tooManyMissed: missed > TOO_MANY_MISSED };
}

/**
 * nextScheduleTimeDuration: how long until the controller should look at the CronJob again —
 * just after the first schedule time following the most recent one.
 */
export function nextScheduleTimeDuration(cronJob: CronJob, now: number, schedule: CronSchedule): number | undefined {
  let from: number;
  try {
    const { earliest, mostRecent } = mostRecentScheduleTime(cronJob, now, schedule, false);
    from = mostRecent ?? earliest;
  } catch {
    // Still come back at some point: aim for the next slot from now.
    from = now;
  }
  const next = schedule.next(from);
  return next === undefined ? undefined : next + NEXT_SCHEDULE_DELTA_MS - now;
}
