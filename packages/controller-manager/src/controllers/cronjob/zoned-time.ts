// Wall-clock time in an IANA time zone, through the runtime's Intl time-zone database (Go's
// time.LoadLocation reads the same tz database). A "wall" time is a plain field tuple encoded as
// milliseconds with Date.UTC, so that cron arithmetic can step days and hours without caring
// about offsets; only the final answer is converted back to an instant.

/** Whether `zone` names a time zone the runtime knows ("UTC" always does). */
export function isKnownZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The wall-clock time (Date.UTC-encoded, whole seconds) that `instant` reads as in `zone`. */
export function wallClockOf(instant: number, zone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const wall = Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
  // Intl drops milliseconds; keep the instant's own sub-second part.
  return wall + (((instant % 1000) + 1000) % 1000);
}

/** How far `zone` is ahead of UTC at `instant`, in ms (e.g. +3600000 for CET in winter). */
export function offsetAt(instant: number, zone: string): number {
  return wallClockOf(instant, zone) - instant;
}

const DAY_MS = 86_400_000;

/**
 * The instant that reads as `wall` in `zone`: the earlier one when the wall time occurs twice
 * (clocks turned back), undefined when it never occurs (clocks turned forward over it).
 */
export function instantOf(wall: number, zone: string): number | undefined {
  const offsets = new Set([offsetAt(wall - DAY_MS, zone), offsetAt(wall, zone), offsetAt(wall + DAY_MS, zone)]);
  const candidates = [...offsets].map((offset) => wall - offset).filter((instant) => wallClockOf(instant, zone) === wall);
  return candidates.length === 0 ? undefined : Math.min(...candidates);
}

/** Go's time.Format(time.RFC3339) of `instant` as read in `zone`: "2025-01-01T10:00:00+01:00" or "…Z". */
export function formatRfc3339In(instant: number, zone: string): string {
  const offsetMinutes = Math.round(offsetAt(instant, zone) / 60_000);
  const wall = new Date(wallClockOf(instant, zone)).toISOString().slice(0, 19);
  if (offsetMinutes === 0) return `${wall}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${wall}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.Format(time.RFC1123Z) of a UTC instant: "Mon, 02 Jan 2006 15:04:05 +0000". */
export function formatRfc1123zUtc(instant: number): string {
  const d = new Date(instant);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${WEEKDAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${time} +0000`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
