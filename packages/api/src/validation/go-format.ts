// How Go's fmt prints the values k8s puts into validation messages. A 422 cause shows strings with
// %q and structs, slices and maps with %#v (Go syntax), so users see e.g.
//   Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`
// These helpers render those shapes from JSON values; they cover the types validation reports.
import type { JsonValue } from '../object.ts';
import { isJsonObject } from '../object.ts';
import { goQuote } from '../go-quote.ts';

/** Text that is already Go syntax and is printed as is. */
export class GoSyntax {
  constructor(readonly text: string) {}
}

export function go(text: string): GoSyntax {
  return new GoSyntax(text);
}

export { goQuote };

/** A Go struct literal as %#v prints it: Type{Field:value, Field:value}. */
export function goStruct(typeName: string, fields: [string, string][]): string {
  return `${typeName}{${fields.map(([name, value]) => `${name}:${value}`).join(', ')}}`;
}

/** %#v of a []string (or another string-like slice type); nil when absent. */
export function goStringSlice(values: JsonValue | undefined, typeName = '[]string'): string {
  if (!Array.isArray(values)) return `${typeName}(nil)`;
  return `${typeName}{${values.map((v) => goQuote(String(v))).join(', ')}}`;
}

/** %#v of a map[string]string: Go prints map keys sorted. */
export function goStringMap(map: JsonValue | undefined, typeName = 'map[string]string'): string {
  if (!isJsonObject(map)) return `${typeName}(nil)`;
  const keys = Object.keys(map).sort();
  return `${typeName}{${keys.map((k) => `${goQuote(k)}:${goQuote(String(map[k]))}`).join(', ')}}`;
}

/** %#v of an intstr.IntOrString (its String method has a pointer receiver, so %#v is what shows). */
export function goIntOrString(value: JsonValue | undefined): string {
  if (typeof value === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(value)}}`;
  const n = typeof value === 'number' ? value : 0;
  return `intstr.IntOrString{Type:0, IntVal:${n}, StrVal:""}`;
}

/** %#v of a metav1.LabelSelector (package name "v1"). */
export function goLabelSelector(selector: JsonValue | undefined): string {
  const sel = isJsonObject(selector) ? selector : {};
  const expressions = Array.isArray(sel.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${sel.matchExpressions
        .map((e) => {
          const req = isJsonObject(e) ? e : {};
          return goStruct('v1.LabelSelectorRequirement', [
            ['Key', goQuote(String(req.key ?? ''))],
            ['Operator', goQuote(String(req.operator ?? ''))],
            ['Values', goStringSlice(req.values)],
          ]);
        })
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return goStruct('v1.LabelSelector', [
    ['MatchLabels', goStringMap(sel.matchLabels)],
    ['MatchExpressions', expressions],
  ]);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** time.Time's String() for an RFC 3339 timestamp, in UTC as the apiserver decodes it
 *  ("2024-05-01 10:00:00 +0000 UTC"); unparseable text is quoted instead. */
export function goTime(value: JsonValue | undefined): string {
  if (typeof value !== 'string' || !RFC3339.test(value)) return goQuote(String(value ?? ''));
  const date = new Date(value);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const fraction = RFC3339.exec(value)![7]?.replace(/0+$/, '') ?? '';
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}` +
    `${fraction === '.' ? '' : fraction} +0000 UTC`
  );
}
