// How Go's fmt prints the JSON values structured-merge-diff puts in its messages. The apiserver's
// texts embed them (`expected string, got &value.valueUnstructured{Value:1}`,
// `.spec.template.spec.containers[name="nginx"]`), so reproducing them keeps error output identical.
import { isJsonObject, type JsonValue } from '../object.ts';
import { compareStrings } from './value.ts';
import { goQuote } from '../go-quote.ts';

/** A number as Go's %v prints a decoded JSON number (a float64): shortest %g, exponent from 1e+06. */
function goNumber(n: number): string {
  const [mantissa, exponent] = n.toExponential().split('e');
  const exp = Number(exponent);
  if (exp < -4 || exp >= 6) {
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

export { goQuote };

/** Go's %v of a JSON value held in an interface{}. */
function goValue(v: JsonValue): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  const keys = Object.keys(v).sort(compareStrings);
  return `map[${keys.map((k) => `${k}:${goValue(v[k])}`).join(' ')}]`;
}

/** Go's %#v of a JSON value held in an interface{}. */
function goSyntax(v: JsonValue): string {
  if (v === null) return 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return goValue(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(', ')}}`;
  const keys = Object.keys(v).sort(compareStrings);
  return `map[string]interface {}{${keys.map((k) => `${goQuote(k)}:${goSyntax(v[k])}`).join(', ')}}`;
}

/** Go's %T of a decoded JSON value (YAML and JSON numbers decode to float64). */
export function goTypeName(v: JsonValue): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  return Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';
}

/** %v of structured-merge-diff's value wrapper (a pointer to a struct holding the value). */
export function smdValueV(v: JsonValue): string {
  return `&{${goValue(v)}}`;
}

/** %#v of structured-merge-diff's value wrapper. */
export function smdValueSyntax(v: JsonValue): string {
  return `&value.valueUnstructured{Value:${goSyntax(v)}}`;
}

/** structured-merge-diff's human-readable form of a value, used in path strings. */
export function smdToString(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return goValue(v);
  if (Array.isArray(v)) return `[${v.map(smdToString).join(',')}]`;
  if (isJsonObject(v)) return Object.keys(v).map((k) => `${k}=${smdToString(v[k])}`).join('');
  return '{{undefined}}';
}
