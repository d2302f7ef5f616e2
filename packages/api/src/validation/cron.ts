// Parsing a CronJob schedule the way github.com/robfig/cron/v3's ParseStandard does (five fields,
// an @descriptor or "@every <duration>", optionally after "TZ=<zone> "), reporting its error
// messages verbatim. Validation only asks whether it parses; the CronJob controller takes the
// parsed fields and computes the firing times itself.

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

/** One field's allowed values; `star` records that it was written "*" or "?" (step 1), which changes day matching. */
export interface CronField {
  /** values[v] is true for every allowed v. */
  values: boolean[];
  star: boolean;
}

interface ParsedZone {
  /** The zone a "TZ=" or "CRON_TZ=" prefix names. */
  zone?: string;
}

/** A schedule as cron.ParseStandard reads it: an "@every" interval or the five fields (descriptors expanded). */
export type ParsedCronSchedule =
  | (ParsedZone & { every: string })
  | (ParsedZone & { minutes: CronField; hours: CronField; daysOfMonth: CronField; months: CronField; daysOfWeek: CronField });

/** strconv.Atoi plus robfig's sign check. */
function parseInt10(expr: string): number {
  if (!/^[+-]?[0-9]+$/.test(expr)) throw new Error(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new Error(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, bounds: Bounds): number {
  const named = bounds.names?.[expr.toLowerCase()];
  return named !== undefined ? named : parseInt10(expr);
}

/** One comma-separated part ("*", "5", "1-5", "*\/10", "10/5" = 10-max/5) added to `field`. */
function addRange(expr: string, bounds: Bounds, field: CronField): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const wildcard = lowAndHigh[0] === '*' || lowAndHigh[0] === '?';
  let start: number;
  let end: number;
  if (wildcard) {
    start = bounds.min;
    end = bounds.max;
  } else {
    start = parseIntOrName(lowAndHigh[0], bounds);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1], bounds);
    else throw new Error(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseInt10(rangeAndStep[1]);
    if (lowAndHigh.length === 1) end = bounds.max;
  } else if (rangeAndStep.length > 2) {
    throw new Error(`too many slashes: ${expr}`);
  }
  if (start < bounds.min) throw new Error(`beginning of range (${start}) below minimum (${bounds.min}): ${expr}`);
  if (end > bounds.max) throw new Error(`end of range (${end}) above maximum (${bounds.max}): ${expr}`);
  if (start > end) throw new Error(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new Error(`step of range should be a positive number: ${expr}`);
  if (wildcard && step === 1) field.star = true;
  for (let v = start; v <= end; v += step) field.values[v] = true;
}

function parseField(text: string, bounds: Bounds): CronField {
  const field: CronField = { values: [], star: false };
  for (const expr of text.split(',').filter((e) => e !== '')) addRange(expr, bounds, field);
  return field;
}

/** Go's %s of a []string: "[a b c]". */
function goFields(fields: string[]): string {
  return `[${fields.join(' ')}]`;
}

/** cron.ParseStandard; throws its error message for a schedule it cannot parse. */
export function parseStandardCron(schedule: string): ParsedCronSchedule {
  let spec = schedule;
  if (spec.length === 0) throw new Error('empty spec string');
  let zone: string | undefined;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    zone = spec.slice(spec.indexOf('=') + 1, space < 0 ? spec.length : space);
    if (space < 0 || !isKnownZone(zone)) throw new Error(`provided bad location ${zone}: unknown time zone ${zone}`);
    spec = spec.slice(space).trim();
  }
  const zoned = zone === undefined ? {} : { zone };
  if (spec.startsWith('@')) {
    if (spec.startsWith('@every ')) return { ...zoned, every: everyDuration(spec) };
    if (DESCRIPTORS[spec] === undefined) throw new Error(`unrecognized descriptor: ${spec}`);
    spec = DESCRIPTORS[spec];
  }
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: ${goFields(fields)}`);
  return {
    ...zoned,
    minutes: parseField(fields[0], MINUTES),
    hours: parseField(fields[1], HOURS),
    daysOfMonth: parseField(fields[2], DAYS_OF_MONTH),
    months: parseField(fields[3], MONTHS),
    daysOfWeek: parseField(fields[4], DAYS_OF_WEEK),
  };
}

/** The error cron.ParseStandard gives for a schedule, or undefined when it parses. */
export function cronScheduleError(schedule: string): string | undefined {
  try {
    parseStandardCron(schedule);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** "@every <duration>" needs a Go duration ("1h30m", "90s"): the duration's text. */
function everyDuration(spec: string): string {
  const duration = spec.slice('@every '.length);
  if (/^([0-9]*\.?[0-9]+(ns|us|µs|ms|s|m|h))+$/.test(duration)) return duration;
  throw new Error(`failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(duration)}`);
}

function isKnownZone(zone: string): boolean {
  if (zone === 'UTC' || zone === 'Local') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Whether a time zone name is one the IANA database (as this runtime knows it) defines. */
export function isKnownTimeZone(zone: string): boolean {
  return isKnownZone(zone);
}
