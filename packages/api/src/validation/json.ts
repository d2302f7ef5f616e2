// Typed reads of decoded JSON. Validation runs after the apiserver has decoded and type-checked the
// body (findTypeError), so these only guard against absent fields: an absent object reads as {},
// an absent list as [], an absent string as "" — the zero values Go validation code sees.
import type { JsonObject, JsonValue } from '../object.ts';
import { isJsonObject } from '../object.ts';

export type Json = JsonValue | undefined;

export function objectAt(value: Json): JsonObject {
  return isJsonObject(value) ? value : {};
}

/** The object when present (a Go pointer that is not nil), otherwise undefined. */
export function optionalObject(value: Json): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}

export function listAt(value: Json): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

export function stringAt(value: Json): string {
  return typeof value === 'string' ? value : '';
}

export function optionalString(value: Json): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function optionalNumber(value: Json): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

export function stringList(value: Json): string[] {
  return listAt(value).map((v) => (typeof v === 'string' ? v : String(v)));
}

/** A map[string]string's entries, keys sorted (Go iterates maps in random order; we pick one). */
export function sortedEntries(value: Json): [string, JsonValue][] {
  const map = objectAt(value);
  return Object.keys(map)
    .sort()
    .map((k) => [k, map[k]]);
}

/** Go's apiequality.Semantic.DeepEqual on JSON: nil and empty lists/maps are equal, and an absent
 *  field equals its zero value (the decoder would have left the Go field zero). An empty object
 *  also equals an absent one, which Go distinguishes only for pointer structs. */
export function semanticEqual(a: Json, b: Json): boolean {
  if (isZero(a) && isZero(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => semanticEqual(item, b[i]));
  }
  if (isJsonObject(a) || isJsonObject(b)) {
    if (!isJsonObject(a) || !isJsonObject(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!semanticEqual(a[key], b[key])) return false;
    return true;
  }
  return a === b;
}

function isZero(value: Json): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isJsonObject(value) && Object.keys(value).length === 0;
}
