// The directives a strategic merge patch may carry inside maps, besides plain values:
//   "$patch": "replace" | "delete"     — replace this map with the patch's / empty it
//   "$retainKeys": [keys]               — after merging, keep only these keys (union types)
//   "$setElementOrder/<list>": [items]  — final order of a merged list (see strategic-order.ts)
//   "$deleteFromPrimitiveList/<list>": [values] — remove values from a merged primitive list
import { isJsonObject, type JsonObject, type JsonValue } from '../object.ts';
import { badFormat, badPatchType } from './strategic-errors.ts';
import { hasMember, member, setMember } from './json-members.ts';

export const PATCH_DIRECTIVE = '$patch';
export const RETAIN_KEYS = '$retainKeys';
export const SET_ELEMENT_ORDER = '$setElementOrder';
export const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';

export function hasPatchDirective(value: JsonValue): value is JsonObject {
  return isJsonObject(value) && hasMember(value, PATCH_DIRECTIVE);
}

/**
 * The result of merging a map patch that carries "$patch". "replace" yields the patch as written
 * (minus the marker); "delete" yields an empty map. Kubernetes refuses any other value here,
 * including "merge".
 */
export function applyMapDirective(patch: JsonObject): JsonObject {
  const directive = member(patch, PATCH_DIRECTIVE)!;
  if (directive === 'replace') {
    delete patch[PATCH_DIRECTIVE];
    return patch;
  }
  if (directive === 'delete') return {};
  throw badPatchType(directive, patch);
}

/**
 * Applies and removes "$retainKeys": every key the patch sets must be listed, and the original
 * loses every key that is not. Nulls and parallel-list directives are exempt from the check.
 */
export function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!hasMember(patch, RETAIN_KEYS)) return;
  const retained = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retained)) throw badFormat('retainKeys');
  const keep = new Set<JsonValue>(retained);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(key)) throw badFormat('retainKeys');
  }
  for (const key of Object.keys(original)) {
    if (!keep.has(key)) delete original[key];
  }
}

/** The list a parallel-list directive key ("$setElementOrder/containers") refers to. */
export function parallelListTarget(key: string, prefix: typeof SET_ELEMENT_ORDER | typeof DELETE_FROM_PRIMITIVE_LIST): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw badFormat(prefix === SET_ELEMENT_ORDER ? 'setElementOrder list' : 'primitive list');
  }
  return key.slice(slash + 1);
}

/**
 * A patch value as it lands where the original had nothing to merge with: maps carrying "$patch"
 * vanish (undefined), at any depth; other directives stay, as they do in Kubernetes.
 */
export function withoutPatchDirectives(value: JsonValue): JsonValue | undefined {
  if (Array.isArray(value)) {
    return value.map(withoutPatchDirectives).filter((item): item is JsonValue => item !== undefined);
  }
  if (!isJsonObject(value)) return value;
  if (hasMember(value, PATCH_DIRECTIVE)) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const kept = withoutPatchDirectives(child);
    if (kept === undefined) delete value[key];
    else setMember(value, key, kept);
  }
  return value;
}
