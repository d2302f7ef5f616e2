// Merging a list under strategic merge patch. Lists whose field has strategy "merge" are merged:
// lists of maps entry by entry, matched on the merge key ("$patch": "delete" / "replace" entries
// act on the list); primitive lists as a set union. Any other list is replaced by the patch's.
import type { JsonObject, JsonValue } from '../object.ts';
import { goTypeName, goValue } from './go-format.ts';
import { hasMember } from './json-members.ts';
import { PATCH_DIRECTIVE } from './strategic-directives.ts';
import { badPatchType, GO_LIST_TYPE, GO_MAP_TYPE, listsOfLists, mergeFailure, noMergeKey } from './strategic-errors.ts';
import { arrangeList } from './strategic-order.ts';
import { schemaName, type FieldPatchMeta, type MergeableSchema } from './strategic-schema.ts';

/** How list entries are merged into each other: strategic-merge.ts's map merge. */
export type MergeMap = (original: JsonObject, patch: JsonObject, schema: MergeableSchema) => JsonObject;

/**
 * The merged value of a list field. `isDeleteList`: the patch is a
 * "$deleteFromPrimitiveList/<field>" list, whose values are removed whatever the strategy.
 */
export function mergeListField(
  original: JsonValue[],
  patch: JsonValue[],
  field: FieldPatchMeta,
  isDeleteList: boolean,
  mergeMap: MergeMap,
): JsonValue[] {
  if (field.strategy !== 'merge' && !isDeleteList) return patch;
  if (original.length === 0 && patch.length === 0) return original;
  if (!listOfMaps(original, patch)) {
    if (isDeleteList) return original.filter((value) => !patch.includes(value));
    const union = [...new Set([...original, ...patch])];
    return arrangeList(union, patch, original, { mergeKey: '', elementsAreMaps: false });
  }
  if (field.mergeKey === '') throw mergeFailure(`cannot merge lists without merge key for ${schemaName(field.schema)}`);
  const { base, additions } = applyEntryDirectives(original as JsonObject[], patch as JsonObject[], field.mergeKey);
  const merged = mergeEntries([...base], additions, field, mergeMap);
  return arrangeList(merged, additions, base, { mergeKey: field.mergeKey, elementsAreMaps: true });
}

/**
 * Whether the lists hold maps. All items must have one JSON type (whole and fractional numbers
 * count as different types, as int64 and float64 do in Go), and lists of lists are refused.
 */
export function listOfMaps(...lists: JsonValue[][]): boolean {
  const items = lists.flat(1);
  if (items.length === 0) throw mergeFailure('no elements in any of the given slices');
  const type = goTypeName(items[0]);
  if (type === GO_LIST_TYPE) throw listsOfLists();
  if (items.some((item) => goTypeName(item) !== type)) {
    throw mergeFailure(`list element types are not identical: ${goValue(lists)}`);
  }
  return type === GO_MAP_TYPE;
}

/**
 * Applies the "$patch" entries of a map-list patch: "delete" removes every original entry with
 * that merge key; "replace" makes the patch's other entries the whole list. Returns the list to
 * merge into and the patch entries left to merge.
 */
function applyEntryDirectives(original: JsonObject[], patch: JsonObject[], mergeKey: string): { base: JsonObject[]; additions: JsonObject[] } {
  let base = original;
  let replace = false;
  const additions: JsonObject[] = [];
  for (const entry of patch) {
    if (!hasMember(entry, PATCH_DIRECTIVE)) {
      additions.push(entry);
      continue;
    }
    const directive = entry[PATCH_DIRECTIVE];
    if (directive === 'delete') {
      if (!hasMember(entry, mergeKey)) throw noMergeKey(entry, mergeKey);
      base = base.filter((item) => !(hasMember(item, mergeKey) && item[mergeKey] === entry[mergeKey]));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw mergeFailure('merging lists cannot yet be specified in the patch');
    } else {
      throw badPatchType(directive, entry);
    }
  }
  return replace ? { base: additions, additions: [] } : { base, additions };
}

/** Merges each patch entry into the entry with the same merge key, or appends it. */
function mergeEntries(entries: JsonObject[], additions: JsonObject[], field: FieldPatchMeta, mergeMap: MergeMap): JsonObject[] {
  for (const addition of additions) {
    if (!hasMember(addition, field.mergeKey)) throw noMergeKey(addition, field.mergeKey);
    const key = addition[field.mergeKey];
    const index = entries.findIndex((entry) => hasMember(entry, field.mergeKey) && entry[field.mergeKey] === key);
    if (index < 0) entries.push(addition);
    else entries[index] = field.schema.kind === 'opaque' ? addition : mergeMap(entries[index], addition, field.schema);
  }
  return entries;
}
