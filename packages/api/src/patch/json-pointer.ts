// Locating and editing the member a JSON Patch path names, with the semantics (and error texts)
// of gopkg.in/evanphx/json-patch.v4, the library the real apiserver uses. Behaviours of that
// library kept here: a null member counts as missing when walking a path, array indexes may be
// negative (counted from the end), and reading a missing object member yields null.
import type { JsonObject, JsonValue } from '../object.ts';
import { hasMember, member, setMember } from './json-members.ts';

export type Container = JsonObject | JsonValue[];

/** A failed step, worded as the Go library words it; operations prefix it with their context. */
export class JsonPatchFailure extends Error {}

/** The container holding the path's last segment, and that segment; undefined when unreachable. */
export function findContainer(root: Container, path: string): { container: Container; key: string } | undefined {
  const segments = path.split('/');
  if (segments.length < 2) return undefined;
  let current: Container = root;
  for (const segment of segments.slice(1, -1)) {
    let next: JsonValue;
    try {
      next = getMember(current, unescapeSegment(segment));
    } catch (error) {
      if (error instanceof JsonPatchFailure) return undefined;
      throw error;
    }
    if (next === null || typeof next !== 'object') return undefined;
    current = next;
  }
  return { container: current, key: unescapeSegment(segments[segments.length - 1]) };
}

/** RFC 6901: "~1" is "/" and "~0" is "~", decoded left to right in one pass. */
function unescapeSegment(segment: string): string {
  return segment.replace(/~[01]/g, (escape) => (escape === '~1' ? '/' : '~'));
}

export function getMember(container: Container, key: string): JsonValue {
  if (!Array.isArray(container)) return member(container, key) ?? null;
  return container[existingIndex(container, parseIndex(key))];
}

/** Overwrites a member; for arrays the index must exist (callers read it first). */
export function replaceMember(container: Container, key: string, value: JsonValue): void {
  if (!Array.isArray(container)) return setMember(container, key, value);
  container[existingIndex(container, parseIndex(key))] = value;
}

/** Adds an object member (replacing any) or inserts into an array ("-" appends). */
export function addMember(container: Container, key: string, value: JsonValue): void {
  if (!Array.isArray(container)) return setMember(container, key, value);
  if (key === '-') {
    container.push(value);
    return;
  }
  let index: number;
  try {
    index = parseIndex(key);
  } catch (error) {
    throw new JsonPatchFailure(`value was not a proper array index: '${key}': ${(error as Error).message}`);
  }
  const size = container.length + 1;
  if (index >= size || index < -size) throw invalidIndex(index);
  container.splice(index < 0 ? index + size : index, 0, value);
}

export function removeMember(container: Container, key: string): void {
  if (!Array.isArray(container)) {
    if (!hasMember(container, key)) throw new JsonPatchFailure(`Unable to remove nonexistent key: ${key}: missing value`);
    delete container[key];
    return;
  }
  const index = parseIndex(key);
  if (index >= container.length || index < -container.length) throw invalidIndex(index);
  container.splice(index < 0 ? index + container.length : index, 1);
}

function existingIndex(list: JsonValue[], index: number): number {
  if (index < -list.length) throw invalidIndex(index);
  const position = index < 0 ? index + list.length : index;
  if (position >= list.length) throw invalidIndex(position);
  return position;
}

function invalidIndex(index: number): JsonPatchFailure {
  return new JsonPatchFailure(`Unable to access invalid index: ${index}: invalid index referenced`);
}

/** Go's strconv.Atoi: optional sign and decimal digits, within int64. */
function parseIndex(key: string): number {
  const quoted = JSON.stringify(key);
  if (!/^[+-]?[0-9]+$/.test(key)) throw new JsonPatchFailure(`strconv.Atoi: parsing ${quoted}: invalid syntax`);
  const value = BigInt(key);
  if (value >= 2n ** 63n || value < -(2n ** 63n)) throw new JsonPatchFailure(`strconv.Atoi: parsing ${quoted}: value out of range`);
  return Number(value);
}
