// application/strategic-merge-patch+json: Kubernetes' JSON merge patch that knows, from the API
// types, which lists to merge by key (containers by name, ports by containerPort, …) and which to
// replace whole. Follows apimachinery/pkg/util/strategicpatch as the apiserver runs it
// (StrategicMergeMapPatch): nulls delete, directives ($patch, $retainKeys, $setElementOrder,
// $deleteFromPrimitiveList) are consumed, and errors are worded the same.
import { copyJson, isJsonObject, type JsonObject, type JsonValue } from '../object.ts';
import type { MessageSchema } from '../schema/types.ts';
import { PatchError } from './errors.ts';
import { goJsonKind } from './go-format.ts';
import { hasMember, member, setMember, withoutNullMembers } from './json-members.ts';
import {
  applyMapDirective,
  applyRetainKeys,
  DELETE_FROM_PRIMITIVE_LIST,
  parallelListTarget,
  PATCH_DIRECTIVE,
  SET_ELEMENT_ORDER,
  withoutPatchDirectives,
} from './strategic-directives.ts';
import { badArgType, GO_LIST_TYPE, GO_MAP_TYPE } from './strategic-errors.ts';
import { listOfMaps, mergeListField } from './strategic-list.ts';
import { arrangeList, validatePatchOrder } from './strategic-order.ts';
import { lookupList, lookupMember, type MergeableSchema } from './strategic-schema.ts';

/**
 * Applies `patch` to `original`, an object of the kind `message` describes. `message` is
 * undefined for kinds without Go types (custom resources), which Kubernetes refuses to
 * strategic-merge.
 */
export function strategicMergePatch(original: JsonValue, patch: JsonValue, message: MessageSchema | undefined): JsonValue {
  if (!message) throw new PatchError('strategic merge patch format is not supported', 'BadRequest');
  if (!isJsonObject(original)) throw badArgType(GO_MAP_TYPE, original);
  // A null body decodes to an empty patch; anything but an object does not decode at all.
  if (patch === null) return copyJson(original);
  if (!isJsonObject(patch)) {
    throw new PatchError(`json: cannot unmarshal ${goJsonKind(patch)} into Go value of type map[string]interface {}`, 'BadRequest');
  }
  return mergeMap(copyJson(original), copyJson(patch), { kind: 'struct', message });
}

/** Merges `patch` into `original` (both owned by this module: both are modified). */
function mergeMap(original: JsonObject, patch: JsonObject, schema: MergeableSchema): JsonObject {
  if (hasMember(patch, PATCH_DIRECTIVE)) return applyMapDirective(patch);
  applyRetainKeys(original, patch);
  applyElementOrders(original, patch, schema);
  for (const [patchKey, patchValue] of Object.entries(patch)) {
    const isDeleteList = patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST);
    const key = isDeleteList ? parallelListTarget(patchKey, DELETE_FROM_PRIMITIVE_LIST) : patchKey;
    const current = member(original, key);
    if (patchValue === null) {
      delete original[key];
    } else if (isJsonObject(current) && isJsonObject(patchValue)) {
      const field = lookupMember(schema, key);
      const replaceWhole = field.schema.kind === 'opaque' || field.strategy === 'replace';
      setMember(original, key, replaceWhole ? patchValue : mergeMap(current, patchValue, field.schema));
    } else if (Array.isArray(current) && Array.isArray(patchValue)) {
      setMember(original, key, mergeListField(current, patchValue, lookupList(schema, key), isDeleteList, mergeMap));
    } else if (!isDeleteList) {
      placeValue(original, key, patchValue);
    }
  }
  return original;
}

/**
 * A patch value with nothing to merge into (new key, or a different JSON type) is taken as is,
 * minus its nulls and any maps carrying "$patch".
 */
function placeValue(original: JsonObject, key: string, patchValue: JsonValue): void {
  const value = withoutPatchDirectives(withoutNullMembers(patchValue));
  if (value === undefined) delete original[key];
  else setMember(original, key, value);
}

/**
 * Consumes every "$setElementOrder/<list>" of the patch together with the patch's <list>: merges
 * the list (if both sides have it) and orders it as the directive says, with server-only items
 * placed by their live order.
 */
function applyElementOrders(original: JsonObject, patch: JsonObject, schema: MergeableSchema): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[directiveKey];
    delete patch[directiveKey];
    if (!Array.isArray(order)) throw badArgType(GO_LIST_TYPE, order);
    const key = parallelListTarget(directiveKey, SET_ELEMENT_ORDER);
    const current = listMember(original, key);
    const patchList = listMember(patch, key);
    const field = lookupList(schema, key);
    validatePatchOrder(patchList ?? [], order, field.mergeKey);
    let merged: JsonValue[];
    if (current && patchList) merged = mergeListField(current, patchList, field, false, mergeMap);
    else if (current) merged = current;
    else if (patchList) merged = withoutPatchDirectives(patchList) as JsonValue[];
    else continue;
    const identity = { mergeKey: field.mergeKey, elementsAreMaps: listOfMaps(current ?? [], patchList ?? []) };
    setMember(original, key, arrangeList(merged, order, current ?? [], identity));
    delete patch[key];
  }
}

/** A member that must be a list when present. */
function listMember(target: JsonObject, key: string): JsonValue[] | undefined {
  if (!hasMember(target, key)) return undefined;
  const value = target[key];
  if (!Array.isArray(value)) throw badArgType(GO_LIST_TYPE, value);
  return value;
}
