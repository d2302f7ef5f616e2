// A CronJob's schedule as the controller reads it (robfig/cron v3's ParseStandard, which
// Kubernetes uses): five fields — minute, hour, day of month, month, day of week — each a list
// of values, ranges and steps ("*/15", "1-5", "mon,wed,fri", "jan-mar/2"), or one of the
// @yearly/@annually/@monthly/@weekly/@daily/@midnight/@hourly descriptors, or "@every <duration>";
// optionally prefixed by "TZ=<zone> " / "CRON_TZ=<zone> ". A schedule answers one question:
// the first time it fires strictly after a given instant. Times are computed on the wall clock
// of the schedule's zone, so "0 9 * * *" in Europe/Berlin fires at 09:00 local time on both
// sides of a DST change; a wall time skipped by a DST jump does not fire that day, and one
// repeated by a DST fall-back fires once (at its first occurrence).
import { parseStandardCron, type CronField } from '@k8ts/api/validation/cron.ts';
import { instantOf, wallClockOf } from './zoned-time.ts';

export interface CronSchedule {
  /** The first firing time (ms since the epoch) strictly after `after`; undefined if none within five years. */
  next(after: number): number | undefined;
}

/** Searching further than this for a matching time means there is none (robfig gives up after five years too). */
const SEARCH_YEARS = 5;
const MINUTE_MS = 60_000;

/**
 * Parses a schedule; `defaultZone` applies unless the schedule names its own with TZ=/CRON_TZ=.
 * Throws robfig's error message for a schedule it cannot parse.
 */
export function parseCronSchedule(spec: string, defaultZone: string): CronSchedule {
  const parsed = parseStandardCron(spec);
  if ('every' in parsed) return everySchedule(parseGoDuration(parsed.every));
  return new FieldSchedule(parsed.minutes, parsed.hours, parsed.daysOfMonth, parsed.months, parsed.daysOfWeek, parsed.zone ?? defaultZone);
}

class FieldSchedule implements CronSchedule {
  constructor(
    private readonly minutes: CronField,
    private readonly hours: CronField,
    private readonly daysOfMonth: CronField,
    private readonly months: CronField,
    private readonly daysOfWeek: CronField,
    private readonly zone: string,
  ) {}

  next(after: number): number | undefined {
    // Standard schedules fire on whole minutes: start at the first one after `after`'s minute.
    let wall = Math.floor(wallClockOf(after, this.zone) / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
    const lastYear = new Date(wall).getUTCFullYear() + SEARCH_YEARS;
    for (;;) {
      const d = new Date(wall);
      const [year, month, day, hour] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()];
      if (year > lastYear) return undefined;
      if (!this.months.values[month + 1]) {
        wall = Date.UTC(year, month + 1, 1);
      } else if (!this.dayMatches(day, d.getUTCDay())) {
        wall = Date.UTC(year, month, day + 1);
      } else if (!this.hours.values[hour]) {
        wall = Date.UTC(year, month, day, hour + 1);
      } else if (!this.minutes.values[d.getUTCMinutes()]) {
        wall += MINUTE_MS;
      } else {
        const instant = instantOf(wall, this.zone);
        // Skipped by a DST jump, or (after a fall-back) already behind us: keep looking.
        if (instant !== undefined && instant > after) return instant;
        wall += MINUTE_MS;
      }
    }
  }

  /**
   * Day of month and day of week: when either was written "*", both must match; otherwise either
   * may ("0 0 1 * mon" fires on the 1st and on every Monday), as in every cron.
   */
  private dayMatches(dayOfMonth: number, dayOfWeek: number): boolean {
    const dom = this.daysOfMonth.values[dayOfMonth] === true;
    const dow = this.daysOfWeek.values[dayOfWeek] === true;
    return this.daysOfMonth.star || this.daysOfWeek.star ? dom && dow : dom || dow;
  }
}

/** "@every 1h30m": fires every interval counted from the previous time (whole seconds, at least one). */
function everySchedule(intervalMs: number): CronSchedule {
  const delay = Math.max(1000, intervalMs - (intervalMs % 1000));
  return { next: (after) => after - (((after % 1000) + 1000) % 1000) + delay };
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration for the positive durations validation lets through ("1h30m", "1.5h", "90s"). */
function parseGoDuration(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)/g)) total += Number(amount) * DURATION_UNITS[unit!]!;
  return total;
}
