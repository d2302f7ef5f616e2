// meta.v1.Time and MicroTime travel as Unix seconds (+ nanoseconds) in protobuf and as RFC 3339
// UTC strings in JSON. The conversion is done on whole days with plain integer arithmetic (the
// proleptic Gregorian calendar, as Go uses), not with Date, so every year 0000–9999 that Go
// writes with four digits converts exactly.

const SECONDS_PER_DAY = 86400;

/** Days from 1970-01-01 to the given civil date (month 1–12). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1; // March-based year
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day: dayOfYear - Math.floor((153 * mp + 2) / 5) + 1 };
}

/** The range of instants whose year has four digits (0000-01-01T00:00:00Z … 9999-12-31T23:59:59Z). */
export const MIN_RFC3339_SECONDS = daysFromCivil(0, 1, 1) * SECONDS_PER_DAY;
export const MAX_RFC3339_SECONDS = daysFromCivil(10000, 1, 1) * SECONDS_PER_DAY - 1;

/** Go's zero time.Time, 0001-01-01T00:00:00Z: Kubernetes writes it as an empty message and JSON null. */
export const GO_ZERO_TIME_SECONDS = daysFromCivil(1, 1, 1) * SECONDS_PER_DAY;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** "2006-01-02T15:04:05Z", or with `micros` "2006-01-02T15:04:05.000000Z". Seconds must be in range. */
export function formatRfc3339(seconds: number, micros?: number): string {
  const days = Math.floor(seconds / SECONDS_PER_DAY);
  const secondOfDay = seconds - days * SECONDS_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  const clock = `${pad(Math.floor(secondOfDay / 3600), 2)}:${pad(Math.floor(secondOfDay / 60) % 60, 2)}:${pad(secondOfDay % 60, 2)}`;
  const fraction = micros === undefined ? '' : `.${pad(micros, 6)}`;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${clock}${fraction}Z`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/** Parses an RFC 3339 timestamp (any offset, optional fraction) as Go's time.RFC3339 layout accepts it. */
export function parseRfc3339(text: string): { seconds: number; nanos: number } | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const daysInMonth = month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (!m[8]) {
    const [offsetHours, offsetMinutes] = [Number(m[10]), Number(m[11])];
    if (offsetHours > 23 || offsetMinutes > 59) return undefined;
    offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
  }
  const seconds = daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offset;
  return { seconds, nanos: m[7] ? Number(m[7].padEnd(9, '0')) : 0 };
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
