// Field paths as structured-merge-diff names them. A path is a list of elements, each selecting a
// child: a struct field or map key (`f:`), an associative-list item by its key fields (`k:`), a
// set item by its value (`v:`), or a list item by position (`i:`, never produced for Kubernetes
// types, whose non-associative lists are atomic).
import { isJsonObject, type JsonValue } from '../object.ts';
import { smdToString } from './go-format.ts';
import { compareStrings, compareValues, goJson, goJsonString, valuesEqual } from './value.ts';

export interface KeyField {
  readonly name: string;
  readonly value: JsonValue;
}

export type PathElement =
  | { readonly field: string }
  | { readonly key: readonly KeyField[] } // sorted by name
  | { readonly value: JsonValue }
  | { readonly index: number };

export type Path = readonly PathElement[];

/** Path elements order fields < keys < values < indexes, then by content. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  const ka = kindRank(a);
  const kb = kindRank(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  if ('field' in a) return compareStrings(a.field, (b as { field: string }).field);
  if ('key' in a) return compareKeys(a.key, (b as { key: readonly KeyField[] }).key);
  if ('value' in a) return compareValues(a.value, (b as { value: JsonValue }).value);
  const bi = (b as { index: number }).index;
  return a.index < bi ? -1 : a.index > bi ? 1 : 0;
}

function kindRank(e: PathElement): number {
  return 'field' in e ? 0 : 'key' in e ? 1 : 'value' in e ? 2 : 3;
}

function compareKeys(a: readonly KeyField[], b: readonly KeyField[]): number {
  for (let i = 0; ; i++) {
    if (i >= a.length && i >= b.length) return 0;
    if (i >= a.length) return -1;
    if (i >= b.length) return 1;
    const c = compareStrings(a[i].name, b[i].name) || compareValues(a[i].value, b[i].value);
    if (c !== 0) return c;
  }
}

export function pathElementsEqual(a: PathElement, b: PathElement): boolean {
  if ('field' in a) return 'field' in b && a.field === b.field;
  if ('key' in a) {
    return (
      'key' in b &&
      a.key.length === b.key.length &&
      a.key.every((f, i) => f.name === b.key[i].name && valuesEqual(f.value, b.key[i].value))
    );
  }
  if ('value' in a) return 'value' in b && valuesEqual(a.value, b.value);
  return 'index' in b && a.index === b.index;
}

/** `.spec`, `[name="nginx"]`, `[="example.com/foo"]`, `[3]` — the form conflicts are reported in. */
export function pathElementString(e: PathElement): string {
  if ('field' in e) return `.${e.field}`;
  if ('key' in e) return `[${e.key.map((f) => `${f.name}=${smdToString(f.value)}`).join(',')}]`;
  if ('value' in e) return `[=${smdToString(e.value)}]`;
  return `[${e.index}]`;
}

export function pathString(path: Path): string {
  return path.map(pathElementString).join('');
}

/** The FieldsV1 key for a path element: `f:name`, `k:{"name":"nginx"}`, `v:"x"`, `i:0`. */
export function serializePathElement(e: PathElement): string {
  if ('field' in e) return `f:${e.field}`;
  if ('key' in e) return `k:{${e.key.map((f) => `${goJsonString(f.name)}:${goJson(f.value)}`).join(',')}}`;
  if ('value' in e) return `v:${goJson(e.value)}`;
  return `i:${e.index}`;
}

/** Thrown for an element whose type letter is not one of f, k, v, i: readers skip those. */
export class UnknownPathElementType extends Error {
  constructor() {
    super('unknown path element type');
  }
}

export function parsePathElement(s: string): PathElement {
  if (s.length < 2) throw new Error('key must be 2 characters long:');
  if (s[1] !== ':') throw new Error(`missing colon: ${s}`);
  const body = s.slice(2);
  switch (s[0]) {
    case 'f':
      return { field: body };
    case 'v':
      return { value: JSON.parse(body) as JsonValue };
    case 'k': {
      const fields = JSON.parse(body) as JsonValue;
      if (!isJsonObject(fields)) throw new Error(`invalid key: ${body}`);
      return { key: keyFields(Object.entries(fields).map(([name, value]) => ({ name, value }))) };
    }
    case 'i':
      if (!/^[+-]?\d+$/.test(body)) throw new Error(`strconv.Atoi: parsing ${goJsonString(body)}: invalid syntax`);
      return { index: Number(body) };
    default:
      throw new UnknownPathElementType();
  }
}

export function keyFields(fields: KeyField[]): readonly KeyField[] {
  return fields.sort((a, b) => compareStrings(a.name, b.name));
}
