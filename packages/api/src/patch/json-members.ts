// Own-member access for JSON objects. Patches are user input: a key such as "__proto__" must be
// read and written as an ordinary member, never as the object's prototype.
import { isJsonObject, type JsonObject, type JsonValue } from '../object.ts';

export function hasMember(target: JsonObject, key: string): boolean {
  return Object.hasOwn(target, key);
}

/** The member's value, or undefined when the object has no such own member. */
export function member(target: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(target, key) ? target[key] : undefined;
}

export function setMember(target: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

export function deepEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => hasMember(b, key) && deepEqual(a[key], b[key]));
}

/**
 * Drops null members of objects at any depth, in place; null array elements stay. Both merge
 * patch flavours do this to a value they add where nothing was before, since there is nothing
 * for its nulls to delete.
 */
export function withoutNullMembers(value: JsonValue): JsonValue {
  if (Array.isArray(value)) {
    value.forEach(withoutNullMembers);
  } else if (isJsonObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (child === null) delete value[key];
      else withoutNullMembers(child);
    }
  }
  return value;
}
