// application/merge-patch+json (RFC 7386), as the apiserver applies it through
// gopkg.in/evanphx/json-patch.v4 MergePatch. Two details of that library are kept on purpose:
// a patch that is not an object is refused (unless it is an array, which replaces the document),
// and null members are pruned from every object a patch adds — also inside added arrays.
import { copyJson, isJsonObject, type JsonObject, type JsonValue } from '../object.ts';
import { PatchError } from './errors.ts';
import { member, setMember, withoutNullMembers } from './json-members.ts';

export function jsonMergePatch(original: JsonValue, patch: JsonValue): JsonValue {
  if (Array.isArray(patch)) return withoutNullMembers(copyJson(patch));
  if (!isJsonObject(patch)) throw new PatchError('Invalid JSON Patch', 'BadRequest');
  if (original === null) throw new PatchError('Invalid JSON Document', 'Unknown');
  const patchCopy = copyJson(patch);
  if (!isJsonObject(original)) return withoutNullMembers(patchCopy);
  return mergeInto(copyJson(original), patchCopy);
}

function mergeInto(target: JsonObject, patch: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete target[key];
      continue;
    }
    const current = member(target, key);
    setMember(target, key, current === undefined || current === null ? withoutNullMembers(value) : merged(current, value));
  }
  return target;
}

function merged(current: JsonValue, patch: JsonValue): JsonValue {
  if (!isJsonObject(current)) return withoutNullMembers(patch);
  // An object replaced by a non-object takes the patch value exactly as written.
  if (!isJsonObject(patch)) return patch;
  return mergeInto(current, patch);
}
