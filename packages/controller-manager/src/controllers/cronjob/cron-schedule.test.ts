import { describe, expect, it } from 'vitest';
import { parseCronSchedule } from './cron-schedule.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The next `count` firing times after `from`, in UTC ISO form. */
function firings(spec: string, from: string, count: number, zone = 'UTC'): (string | undefined)[] {
  const schedule = parseCronSchedule(spec, zone);
  const out: (string | undefined)[] = [];
  let t: number | undefined = at(from);
  for (let i = 0; i < count && t !== undefined; i++) {
    t = schedule.next(t);
    out.push(iso(t));
  }
  return out;
}

describe('cron schedules', () => {
  it('fires every minute, strictly after the given time', () => {
    expect(firings('*/1 * * * *', '2025-01-01T00:00:00Z', 3)).toEqual(['2025-01-01T00:01:00.000Z', '2025-01-01T00:02:00.000Z', '2025-01-01T00:03:00.000Z']);
    expect(firings('* * * * *', '2025-01-01T00:00:30.500Z', 1)).toEqual(['2025-01-01T00:01:00.000Z']);
  });

  it('understands steps, ranges, lists and names', () => {
    expect(firings('*/15 * * * *', '2025-01-01T00:07:00Z', 3)).toEqual(['2025-01-01T00:15:00.000Z', '2025-01-01T00:30:00.000Z', '2025-01-01T00:45:00.000Z']);
    expect(firings('5/20 9-10 * * *', '2025-01-01T00:00:00Z', 4)).toEqual([
      '2025-01-01T09:05:00.000Z',
      '2025-01-01T09:25:00.000Z',
      '2025-01-01T09:45:00.000Z',
      '2025-01-01T10:05:00.000Z',
    ]);
    // 2025-01-01 is a Wednesday
    expect(firings('0 12 * * MON,fri', '2025-01-01T00:00:00Z', 3)).toEqual(['2025-01-03T12:00:00.000Z', '2025-01-06T12:00:00.000Z', '2025-01-10T12:00:00.000Z']);
    expect(firings('0 0 1 jan-mar/2 *', '2025-01-01T00:00:00Z', 2)).toEqual(['2025-03-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']);
  });

  it('matches day of month OR day of week when both are restricted, AND when either is "*"', () => {
    // the 15th, and every Sunday
    expect(firings('0 0 15 * sun', '2025-01-01T00:00:00Z', 3)).toEqual(['2025-01-05T00:00:00.000Z', '2025-01-12T00:00:00.000Z', '2025-01-15T00:00:00.000Z']);
    expect(firings('0 0 15 * *', '2025-01-01T00:00:00Z', 2)).toEqual(['2025-01-15T00:00:00.000Z', '2025-02-15T00:00:00.000Z']);
  });

  it('expands the descriptors', () => {
    const from = '2025-01-01T10:30:00Z';
    expect(firings('@hourly', from, 1)).toEqual(['2025-01-01T11:00:00.000Z']);
    expect(firings('@daily', from, 1)).toEqual(['2025-01-02T00:00:00.000Z']);
    expect(firings('@midnight', from, 1)).toEqual(['2025-01-02T00:00:00.000Z']);
    expect(firings('@weekly', from, 1)).toEqual(['2025-01-05T00:00:00.000Z']);
    expect(firings('@monthly', from, 1)).toEqual(['2025-02-01T00:00:00.000Z']);
    expect(firings('@yearly', from, 1)).toEqual(['2026-01-01T00:00:00.000Z']);
    expect(firings('@annually', from, 1)).toEqual(['2026-01-01T00:00:00.000Z']);
  });

  it('runs @every at a fixed interval from the previous time, in whole seconds', () => {
    expect(firings('@every 1h30m', '2025-01-01T00:00:00.700Z', 2)).toEqual(['2025-01-01T01:30:00.000Z', '2025-01-01T03:00:00.000Z']);
  });

  it('reads the fields on the wall clock of its zone, across DST changes', () => {
    // 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer (DST began 2025-03-30).
    expect(firings('0 9 * * *', '2025-03-28T12:00:00Z', 3, 'Europe/Berlin')).toEqual([
      '2025-03-29T08:00:00.000Z',
      '2025-03-30T07:00:00.000Z',
      '2025-03-31T07:00:00.000Z',
    ]);
    // 02:30 does not exist in Berlin on 2025-03-30: that day is skipped.
    expect(firings('30 2 * * *', '2025-03-29T12:00:00Z', 2, 'Europe/Berlin')).toEqual(['2025-03-31T00:30:00.000Z', '2025-04-01T00:30:00.000Z']);
    // 02:30 happens twice on 2025-10-26: it fires once, at the first.
    expect(firings('30 2 * * *', '2025-10-25T12:00:00Z', 2, 'Europe/Berlin')).toEqual(['2025-10-26T00:30:00.000Z', '2025-10-27T01:30:00.000Z']);
  });

  it('takes a TZ= / CRON_TZ= prefix over the default zone', () => {
    expect(firings('CRON_TZ=Asia/Tokyo 0 9 * * *', '2025-01-01T00:00:00Z', 1, 'Europe/Berlin')).toEqual(['2025-01-02T00:00:00.000Z']);
    expect(firings('TZ=UTC 0 9 * * *', '2025-01-01T00:00:00Z', 1, 'Asia/Tokyo')).toEqual(['2025-01-01T09:00:00.000Z']);
  });

  it('finds no time for a date that never exists', () => {
    expect(firings('0 0 30 2 *', '2025-01-01T00:00:00Z', 1)).toEqual([undefined]);
  });

  it("rejects what robfig/cron rejects, with its message", () => {
    expect(() => parseCronSchedule('* * * *', 'UTC')).toThrow('expected exactly 5 fields, found 4: [* * * *]');
    expect(() => parseCronSchedule('61 * * * *', 'UTC')).toThrow('end of range (61) above maximum (59): 61');
    expect(() => parseCronSchedule('@sometimes', 'UTC')).toThrow('unrecognized descriptor: @sometimes');
  });
});
