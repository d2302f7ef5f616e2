// meta.v1.Duration is int64 nanoseconds on the protobuf wire and Go's duration string in JSON
// ("1h0m0s", "1.5s", "300ms"). These follow Go's time.Duration String and ParseDuration rules.

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const INT64_MAX = (1n << 63n) - 1n;

/** `value` split at `digits` decimal places: the whole part and ".fraction" without trailing zeros. */
function splitFraction(value: bigint, digits: number): [bigint, string] {
  const scale = 10n ** BigInt(digits);
  const fraction = (value % scale).toString().padStart(digits, '0').replace(/0+$/, '');
  return [value / scale, fraction === '' ? '' : `.${fraction}`];
}

export function formatGoDuration(nanos: bigint): string {
  if (nanos === 0n) return '0s';
  const sign = nanos < 0n ? '-' : '';
  const u = nanos < 0n ? -nanos : nanos;
  if (u < 1_000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${splitFraction(u, 3).join('')}µs`;
  if (u < 1_000_000_000n) return `${sign}${splitFraction(u, 6).join('')}ms`;
  const [totalSeconds, fraction] = splitFraction(u, 9);
  const hours = totalSeconds / 3600n;
  const minutes = (totalSeconds / 60n) % 60n;
  const text = `${minutes}m${totalSeconds % 60n}${fraction}s`;
  if (hours > 0n) return `${sign}${hours}h${text}`;
  return minutes > 0n ? `${sign}${text}` : `${sign}${totalSeconds % 60n}${fraction}s`;
}

const COMPONENT = /(\d*)(?:\.(\d*))?([^\d.]+)/y;

/** Nanoseconds, or undefined when the text is not a Go duration or overflows int64. */
export function parseGoDuration(text: string): bigint | undefined {
  const sign = text.startsWith('-') ? -1n : 1n;
  const body = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;
  if (body === '0') return 0n;
  if (body === '') return undefined;
  let total = 0n;
  COMPONENT.lastIndex = 0;
  while (COMPONENT.lastIndex < body.length) {
    const m = COMPONENT.exec(body);
    const unit = m ? UNITS[m[3]] : undefined;
    if (!m || unit === undefined || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
    const fraction = m[2] ?? '';
    total += BigInt(m[1] || '0') * unit + (fraction === '' ? 0n : (BigInt(fraction) * unit) / 10n ** BigInt(fraction.length));
    if (total > INT64_MAX + (sign < 0n ? 1n : 0n)) return undefined;
  }
  return sign * total;
}
