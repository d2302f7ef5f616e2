// The bridge from client-side to server-side apply. Objects managed with plain `kubectl apply`
// carry their last applied configuration in an annotation, and their fields belong to the
// "kubectl-client-side-apply" Update manager. When `kubectl apply --server-side` (manager
// "kubectl") meets conflicts only on fields that the annotation shows the user applied, and whose
// live value is still what was applied, it takes them over without --force-conflicts; afterwards
// it keeps the annotation in step so that client-side apply keeps working.
import { isJsonObject, type JsonObject, type JsonValue, type KubeObject } from '../object.ts';
import { compare } from './compare.ts';
import type { OwnedFieldConflict } from './errors.ts';
import type { FieldSet } from './field-set.ts';
import type { SmdType } from './smd-type.ts';
import { toFieldSet } from './to-field-set.ts';
import { validateValue } from './validate.ts';
import { goJson } from './value.ts';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** The manager name `kubectl apply --server-side` uses; only it gets the upgrade path. */
export const KUBECTL_APPLY_MANAGER = 'kubectl';
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

function lastApplied(object: KubeObject): string | undefined {
  const value = object.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  return value ? value : undefined;
}

/**
 * The conflicts left once those the annotation vouches for are set aside, or undefined when
 * the annotation cannot vouch for anything (absent, unparsable, another version, untypable).
 */
export function conflictsNotInLastApplied(
  live: KubeObject,
  liveValue: JsonValue,
  conflicts: readonly OwnedFieldConflict[],
  apiVersion: string,
  type: SmdType,
): OwnedFieldConflict[] | undefined {
  const text = lastApplied(live);
  if (!text) return undefined;
  let applied: JsonValue;
  try {
    applied = JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
  if (!isJsonObject(applied) || applied.apiVersion !== apiVersion || validateValue(applied, type).length > 0) return undefined;
  // Fields whose live value differs from what was last applied are not vouched for.
  const c = compare(applied, liveValue, type);
  const allowed: FieldSet = toFieldSet(applied, type).difference(c.modified).difference(c.added).difference(c.removed);
  return conflicts.filter((conflict) => !allowed.has(conflict.path));
}

/** After a successful apply by kubectl: the annotation, if the object has one, now holds `config`. */
export function refreshLastApplied(object: KubeObject, config: KubeObject): KubeObject {
  if (!lastApplied(object)) return object;
  const annotations = { ...object.metadata.annotations };
  annotations[LAST_APPLIED_ANNOTATION] = encodeConfig(config);
  const size = Object.entries(annotations).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  // An annotation that would take the object over the size limit is dropped instead.
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) delete annotations[LAST_APPLIED_ANNOTATION];
  return { ...object, metadata: { ...object.metadata, annotations } };
}

/** The configuration without its own copy of the annotation, as Go encodes it (with a newline). */
function encodeConfig(config: KubeObject): string {
  const copy = structuredClone(config) as unknown as JsonObject;
  const metadata = copy.metadata;
  if (isJsonObject(metadata)) {
    const annotations = metadata.annotations;
    if (isJsonObject(annotations)) delete annotations[LAST_APPLIED_ANNOTATION];
    else delete metadata.annotations;
  }
  return `${goJson(copy)}\n`;
}
