import { describe, expect, it } from 'vitest';
import { cronScheduleError, parseStandardCron } from './cron.ts';

describe('cron schedules (robfig/cron ParseStandard)', () => {
  it.each(['*/1 * * * *', '0 0 * * *', '30 2 1-15/2 jan,jun MON-FRI', '@hourly', '@every 1h30m', 'CRON_TZ=Europe/Berlin 0 3 * * *'])('accepts %s', (schedule) => {
    expect(cronScheduleError(schedule)).toBeUndefined();
  });

  it.each([
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-2 * * * *', 'beginning of range (5) beyond end of range (2): 5-2'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
  ])('rejects %j with %j', (schedule, message) => {
    expect(cronScheduleError(schedule)).toBe(message);
  });
});

describe('parseStandardCron', () => {
  const allowed = (values: boolean[]): number[] => values.flatMap((on, v) => (on ? [v] : []));

  it('expands descriptors, ranges, steps and names into the allowed values of each field', () => {
    const parsed = parseStandardCron('TZ=Europe/Berlin 10/20 9-11 * jan-mar/2 mon,fri');
    if ('every' in parsed) throw new Error('expected fields');
    expect(parsed.zone).toBe('Europe/Berlin');
    expect(allowed(parsed.minutes.values)).toEqual([10, 30, 50]);
    expect(allowed(parsed.hours.values)).toEqual([9, 10, 11]);
    expect(parsed.daysOfMonth.star).toBe(true);
    expect(allowed(parsed.months.values)).toEqual([1, 3]);
    expect(allowed(parsed.daysOfWeek.values)).toEqual([1, 5]);
    const weekly = parseStandardCron('@weekly');
    if ('every' in weekly) throw new Error('expected fields');
    expect(allowed(weekly.daysOfWeek.values)).toEqual([0]);
  });

  it('a stepped wildcard is not a star (day matching then needs either day field), and @every keeps its duration', () => {
    const parsed = parseStandardCron('0 0 */2 * *');
    expect('every' in parsed ? undefined : parsed.daysOfMonth.star).toBe(false);
    expect(parseStandardCron('@every 1h30m')).toEqual({ every: '1h30m' });
  });
});
