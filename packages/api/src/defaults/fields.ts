// Field access with Go's notion of "unset". Kubernetes defaulting runs on Go structs decoded
// from JSON, where an absent field, a JSON null and the zero value are indistinguishable for
// non-pointer fields (`if obj.DNSPolicy == ""`), while pointer fields are unset only when nil
// (`if obj.Replicas == nil`). These helpers name which of the two tests a default uses.
import { isJsonObject, type JsonObject, type JsonValue } from '../object.ts';

/** A JSON object seen as a Go struct: any object, including a top-level KubeObject. */
export type Fields = { [key: string]: unknown };

/** Pointer test (`== nil`): JSON null decodes to nil, so null counts as unset. */
export function isNil(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/** Pointer field: set when nil. */
export function defaultPointer(obj: Fields, key: string, value: JsonValue): void {
  if (isNil(obj[key])) obj[key] = value;
}

/** Non-pointer string field: set when "" (absent or null decode to ""). */
export function defaultString(obj: Fields, key: string, value: string): void {
  if (isNil(obj[key]) || obj[key] === '') obj[key] = value;
}

/** Non-pointer number field: set when 0 (absent or null decode to 0). */
export function defaultNumber(obj: Fields, key: string, value: number): void {
  if (isNil(obj[key]) || obj[key] === 0) obj[key] = value;
}

/** `len(x) == 0` for a slice or map field. */
export function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (isJsonObject(value)) return Object.keys(value).length === 0;
  return isNil(value);
}

/** The object held by a struct field, or undefined when the field is not an object. */
export function child(obj: Fields, key: string): JsonObject | undefined {
  const value = obj[key];
  return isJsonObject(value) ? value : undefined;
}

/**
 * The struct held by a field, created empty when nil — a Go pointer set to `&T{}` or a
 * non-pointer struct. A value of the wrong JSON type is left for validation to report: the
 * defaults then go to a detached object and are dropped.
 */
export function ensureChild(obj: Fields, key: string): JsonObject {
  const existing = child(obj, key);
  if (existing) return existing;
  const created: JsonObject = {};
  if (isNil(obj[key])) obj[key] = created;
  return created;
}

/** The elements of a list field that are objects (Go ranges over a slice of structs). */
export function children(obj: Fields, key: string): JsonObject[] {
  const value = obj[key];
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/** Follows a path of struct fields; undefined as soon as one is missing. */
export function descend(obj: Fields, ...path: string[]): JsonObject | undefined {
  let current: Fields | undefined = obj;
  for (const key of path) {
    if (!current) return undefined;
    current = child(current, key);
  }
  return current as JsonObject | undefined;
}
