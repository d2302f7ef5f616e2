import { describe, expect, it } from 'vitest';
import { cronScheduleError } from './cron.ts';

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
