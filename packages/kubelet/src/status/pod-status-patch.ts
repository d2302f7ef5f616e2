// The PATCH the kubelet's status manager sends to pods/<name>/status: a two-way strategic merge
// patch from the status the API holds to the one the kubelet computed, with metadata.uid in it
// so the write fails (409) should the name now belong to a different pod. Lists merged by key
// (conditions by type, podIPs and hostIPs by ip) carry "$setElementOrder" so the server keeps
// the kubelet's order; atomic lists (container statuses) and scalars are sent whole; fields
// that disappeared are sent as null (within merged list items too).
import type { JsonObject, JsonValue } from '@k8ts/api';
import type { PodStatus } from '../pod/pod-types.ts';

/** status lists merged by a key field, and that key */
const MERGED_LISTS: Record<string, string> = { conditions: 'type', podIPs: 'ip', hostIPs: 'ip' };

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((v, i) => jsonEqual(v, other[i]));
  }
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function mergedListPatch(key: string, mergeKey: string, before: JsonObject[], after: JsonObject[], patch: JsonObject): void {
  const changed = after.flatMap((item) => {
    const old = before.find((b) => b[mergeKey] === item[mergeKey]);
    if (jsonEqual(item, old)) return [];
    // Items are merged field by field: a field the new item lacks must be deleted explicitly.
    const cleared = Object.keys(old ?? {}).filter((k) => !(k in item));
    return [{ ...item, ...Object.fromEntries(cleared.map((k) => [k, null])) }];
  });
  const removed = before.filter((b) => !after.some((a) => a[mergeKey] === b[mergeKey])).map((b) => ({ [mergeKey]: b[mergeKey]!, $patch: 'delete' }));
  patch[`$setElementOrder/${key}`] = after.map((item) => ({ [mergeKey]: item[mergeKey]! }));
  if (changed.length > 0 || removed.length > 0) patch[key] = [...changed, ...removed];
}

/** The status part of the patch; undefined when nothing changed. */
export function podStatusPatch(before: PodStatus, after: PodStatus): JsonObject | undefined {
  const from = before as unknown as JsonObject;
  const to = after as unknown as JsonObject;
  const patch: JsonObject = {};
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (jsonEqual(from[key], to[key])) continue;
    const mergeKey = MERGED_LISTS[key];
    if (mergeKey && Array.isArray(to[key])) {
      mergedListPatch(key, mergeKey, (Array.isArray(from[key]) ? from[key] : []) as JsonObject[], to[key] as JsonObject[], patch);
    } else {
      patch[key] = (to[key] ?? null) as JsonValue;
    }
  }
  return Object.keys(patch).length === 0 ? undefined : patch;
}

export function podStatusPatchBody(uid: string, before: PodStatus, after: PodStatus): JsonObject | undefined {
  const status = podStatusPatch(before, after);
  return status === undefined ? undefined : { metadata: { uid }, status };
}
