// The real apiserver's patch errors embed values printed by Go's fmt package (e.g.
// "map: map[image:nginx] does not contain declared merge key: name"). These helpers print
// decoded JSON the same way, so error texts match what kubectl users see from Kubernetes.
// Decoded as the apiserver decodes patches: whole numbers are int64, others float64.
import type { JsonValue } from '../object.ts';

/** fmt's %v of a decoded JSON value: maps with sorted keys, slices space-separated, nil as <nil>. */
export function goValue(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return goNumber(value);
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  const entries = Object.keys(value)
    .sort()
    .map((key) => `${key}:${goValue(value[key])}`);
  return `map[${entries.join(' ')}]`;
}

/** fmt's %s: strings as they are, anything else flagged the way Go flags a wrong verb. */
export function goString(value: JsonValue | undefined): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '%!s(<nil>)';
  return `%!s(${goTypeName(value)}=${goValue(value)})`;
}

/** reflect.TypeOf(v) printed with %s, for a value decoded from JSON into interface{}. */
export function goTypeName(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return '%!s(<nil>)';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return isInt64(value) ? 'int64' : 'float64';
  return Array.isArray(value) ? '[]interface {}' : 'map[string]interface {}';
}

/** The JSON kind encoding/json names in "json: cannot unmarshal <kind> into Go value of type …". */
export function goJsonKind(value: Exclude<JsonValue, null>): string {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number' || typeof value === 'string') return typeof value;
  return Array.isArray(value) ? 'array' : 'object';
}

function isInt64(value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) < 2 ** 63;
}

function goNumber(value: number): string {
  if (isInt64(value)) return BigInt(value).toString();
  // %v of a float64 is %g with the shortest digits, switching to an exponent outside [1e-4, 1e6).
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 6) return String(value);
  const sign = exponent < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}
