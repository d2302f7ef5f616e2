import { describe, expect, it } from 'vitest';
import { parseCronSchedule } from './cron-schedule.ts';
import { InvalidScheduleError, mostRecentScheduleTime, nextScheduleTime, nextScheduleTimeDuration } from './schedule-times.ts';
import type { CronJob } from './types.ts';

const at = (iso: string) => Date.parse(iso);
const everyMinute = parseCronSchedule('* * * * *', 'UTC');

function cronJob(created: string, shape: { lastScheduleTime?: string; startingDeadlineSeconds?: number } = {}): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'c', namespace: 'default', creationTimestamp: created },
    spec: {
      schedule: '* * * * *',
      jobTemplate: {},
      ...(shape.startingDeadlineSeconds !== undefined ? { startingDeadlineSeconds: shape.startingDeadlineSeconds } : {}),
    },
    ...(shape.lastScheduleTime ? { status: { lastScheduleTime: shape.lastScheduleTime } } : {}),
  };
}

describe('schedule times', () => {
  it('has nothing due before the first time after creation', () => {
    expect(nextScheduleTime(cronJob('2025-01-01T00:00:10Z'), at('2025-01-01T00:00:50Z'), everyMinute)).toEqual({ tooManyMissed: false });
  });

  it('is due at the latest time passed since the last schedule', () => {
    const cj = cronJob('2025-01-01T00:00:10Z', { lastScheduleTime: '2025-01-01T00:01:00Z' });
    expect(nextScheduleTime(cj, at('2025-01-01T00:05:30Z'), everyMinute)).toEqual({ scheduledTime: at('2025-01-01T00:05:00Z'), tooManyMissed: false });
    expect(mostRecentScheduleTime(cj, at('2025-01-01T00:05:30Z'), everyMinute, false).missed).toBe(4);
  });

  it('reports more than 100 missed times, unless a starting deadline forgets them', () => {
    const old = cronJob('2025-01-01T00:00:00Z');
    const now = at('2025-01-03T00:00:30Z');
    expect(nextScheduleTime(old, now, everyMinute)).toEqual({ scheduledTime: at('2025-01-03T00:00:00Z'), tooManyMissed: true });
    const withDeadline = cronJob('2025-01-01T00:00:00Z', { startingDeadlineSeconds: 60 });
    expect(nextScheduleTime(withDeadline, now, everyMinute)).toEqual({ scheduledTime: at('2025-01-03T00:00:00Z'), tooManyMissed: false });
  });

  it('finds the most recent time of an irregular schedule', () => {
    // 06:30, 10:30, 14:30 on weekdays, two weeks of them missed
    const irregular = parseCronSchedule('30 6-16/4 * * 1-5', 'UTC');
    const cj = cronJob('2024-12-20T00:00:00Z');
    expect(nextScheduleTime(cj, at('2025-01-03T15:00:00Z'), irregular).scheduledTime).toBe(at('2025-01-03T14:30:00Z'));
  });

  it('requeues just after the next time', () => {
    const cj = cronJob('2025-01-01T00:00:10Z', { lastScheduleTime: '2025-01-01T00:01:00Z' });
    expect(nextScheduleTimeDuration(cj, at('2025-01-01T00:01:00.500Z'), everyMinute)).toBe(59_600);
  });

  it('refuses a schedule that never fires', () => {
    const never = parseCronSchedule('0 0 31 2 *', 'UTC');
    expect(() => nextScheduleTime(cronJob('2025-01-01T00:00:00Z'), at('2025-01-02T00:00:00Z'), never)).toThrow(InvalidScheduleError);
    expect(() => nextScheduleTime(cronJob('2025-01-01T00:00:00Z'), at('2025-01-02T00:00:00Z'), never)).toThrow(
      'time difference between two schedules is less than 1 second',
    );
  });
});
