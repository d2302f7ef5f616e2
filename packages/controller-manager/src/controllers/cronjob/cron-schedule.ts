// A CronJob's schedule as the controller reads it (robfig/cron v3's ParseStandard, which
// Kubernetes uses): five fields — minute, hour, day of month, month, day of week — each a list
// of values, ranges and steps ("*/15", "1-5", "mon,wed,fri", "jan-mar/2"), or one of the
// @yearly/@annually/@monthly/@weekly/@daily/@midnight/@hourly descriptors, or "@every <duration>";
// optionally prefixed by "TZ=<zone> " / "CRON_TZ=<zone> ". A schedule answers one question:
// the first time it fires strictly after a given instant. Times are computed on the wall clock
// of the schedule's zone, so "0 9 * * *" in Europe/Berlin fires at 09:00 local time on both
// sides of a DST change; a wall time skipped by a DST jump does not fire that day, and one
// repeated by a DST fall-back fires once (at its first occurrence).
import { cronScheduleError } from '@k8ts/api/validation/cron.ts';
import { instantOf, wallClockOf } from './zoned-time.ts';

export interface CronSchedule {
  /** The first firing time (ms since the epoch) strictly after `after`; undefined if none within five years. */
  next(after: number): number | undefined;
}

/** A field's allowed values; `star` records that it was written "*" or "?" (step 1), which changes day matching. */
interface FieldSet {
  values: boolean[];
  star: boolean;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DAYS_OF_MONTH: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1,
  max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
const DAYS_OF_WEEK: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

/** The five standard fields every descriptor stands for. */
const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Searching further than this for a matching time means there is none (robfig gives up after five years too). */
const SEARCH_YEARS = 5;
const MINUTE_MS = 60_000;

/**
 * Parses a schedule; `defaultZone` applies unless the schedule names its own with TZ=/CRON_TZ=.
 * Throws robfig's error message for a schedule it cannot parse.
 */
export function parseCronSchedule(spec: string, defaultZone: string): CronSchedule {
  const problem = cronScheduleError(spec);
  if (problem !== undefined) throw new Error(problem);
  let zone = defaultZone;
  let rest = spec;
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    const space = rest.indexOf(' ');
    zone = rest.slice(rest.indexOf('=') + 1, space);
    rest = rest.slice(space).trim();
  }
  if (rest.startsWith('@every ')) return everySchedule(parseGoDuration(rest.slice('@every '.length)));
  const fields = (DESCRIPTORS[rest] ?? rest).split(/\s+/).filter((f) => f !== '');
  return new FieldSchedule(
    parseField(fields[0]!, MINUTES),
    parseField(fields[1]!, HOURS),
    parseField(fields[2]!, DAYS_OF_MONTH),
    parseField(fields[3]!, MONTHS),
    parseField(fields[4]!, DAYS_OF_WEEK),
    zone,
  );
}

class FieldSchedule implements CronSchedule {
  constructor(
    private readonly minutes: FieldSet,
    private readonly hours: FieldSet,
    private readonly daysOfMonth: FieldSet,
    private readonly months: FieldSet,
    private readonly daysOfWeek: FieldSet,
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

function parseField(field: string, bounds: Bounds): FieldSet {
  const set: FieldSet = { values: [], star: false };
  for (const expr of field.split(',').filter((e) => e !== '')) addRange(expr, bounds, set);
  return set;
}

/** One comma-separated part: "*", "5", "1-5", "*\/10", "10/5" (= 10-max/5), names allowed. */
function addRange(expr: string, bounds: Bounds, set: FieldSet): void {
  const [range = '', stepText] = expr.split('/');
  const [low = '', high] = range.split('-');
  const wildcard = low === '*' || low === '?';
  const start = wildcard ? bounds.min : valueOf(low, bounds);
  let end = wildcard ? bounds.max : high !== undefined ? valueOf(high, bounds) : start;
  const step = stepText === undefined ? 1 : Number(stepText);
  if (stepText !== undefined && high === undefined) end = bounds.max;
  if (wildcard && step === 1) set.star = true;
  for (let v = start; v <= end; v += step) set.values[v] = true;
}

function valueOf(text: string, bounds: Bounds): number {
  return bounds.names?.[text.toLowerCase()] ?? Number(text);
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration for the positive durations validation lets through ("1h30m", "1.5h", "90s"). */
function parseGoDuration(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)/g)) total += Number(amount) * DURATION_UNITS[unit!]!;
  return total;
}
