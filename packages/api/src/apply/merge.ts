// Merging an applied configuration into the live object: the configuration wins on every leaf it
// sets, maps and structs merge key by key, associative lists merge item by item (keeping the live
// order, with the configuration's items placed in its order), atomic lists and maps are replaced.
import { isJsonObject, type JsonObject, type JsonValue } from '../object.ts';
import { indexItems, type IndexedItem } from './list-items.ts';
import { pathElementString, pathString, type Path } from './path.ts';
import { DEDUCED, fieldType, resolveAtom, type ListType, type SmdType } from './smd-type.ts';

/** Merges `rhs` over `lhs`; `errors` collects items that cannot be keyed. Undefined: no value. */
export function merge(lhs: JsonValue | undefined, rhs: JsonValue | undefined, type: SmdType, errors: string[]): JsonValue | undefined {
  return mergeNode(lhs, rhs, type, [], errors);
}

function mergeNode(lhs: JsonValue | undefined, rhs: JsonValue | undefined, type: SmdType, path: Path, errors: string[]): JsonValue | undefined {
  // When a free-form value changes shape, the configuration's shape decides.
  const atom = resolveAtom(type, rhs !== undefined ? rhs : lhs);
  const keepRhs = rhs !== undefined ? rhs : lhs;
  if (atom.kind === 'scalar') return keepRhs;
  if (atom.kind === 'list') {
    const l = Array.isArray(lhs) ? lhs : undefined;
    const r = Array.isArray(rhs) ? rhs : undefined;
    if (!atom.associative || (!l?.length && !r?.length)) return keepRhs;
    const out = mergeListItems(atom, l ?? [], r ?? [], path, errors);
    return out.length > 0 ? out : undefined;
  }
  const l = isJsonObject(lhs) ? lhs : undefined;
  const r = isJsonObject(rhs) ? rhs : undefined;
  const empty = (m: JsonObject | undefined) => !m || Object.keys(m).length === 0;
  if (atom.atomic || (empty(l) && empty(r))) return keepRhs;
  const out: JsonObject = {};
  for (const key of new Set([...Object.keys(l ?? {}), ...Object.keys(r ?? {})])) {
    const merged = mergeNode(l?.[key], r?.[key], fieldType(atom, key) ?? DEDUCED, [...path, { field: key }], errors);
    if (merged !== undefined) out[key] = merged;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Merges list items by key. The result keeps the live items in their order; an item the
 * configuration also lists is merged in place, unless the configuration orders the shared items
 * differently, in which case the shared items follow the configuration's order, each placed where
 * the configuration reaches it. Items only in the configuration come at the position it gives them.
 */
function mergeListItems(list: ListType, lhs: JsonValue[], rhs: JsonValue[], path: Path, errors: string[]): JsonValue[] {
  const right = indexItems(list, rhs);
  const left = indexItems(list, lhs);
  const problems = [...right.errors, ...left.errors];
  const rightById = new Map<string, JsonValue>();
  for (const x of right.indexed) {
    if (rightById.has(x.id)) problems.push(`duplicate entries for key ${pathElementString(x.element)}`);
    else rightById.set(x.id, x.item);
  }
  if (problems.length > 0) {
    errors.push(...problems.map((p) => `${pathString(path)}: ${p}`));
    return [];
  }
  // A key the live list holds more than once merges as null: duplicates are not merged into.
  const leftById = new Map<string, JsonValue>();
  for (const x of left.indexed) leftById.set(x.id, leftById.has(x.id) ? null : x.item);

  const rightItems: IndexedItem[] = right.indexed;
  const leftItems: IndexedItem[] = left.indexed;
  const shared = rightItems.filter((x) => leftById.has(x.id)).map((x) => x.id);
  let nextShared = shared.shift();
  const mergedIds = new Set<string>();
  const out: JsonValue[] = [];
  const emit = (x: IndexedItem, l: JsonValue | undefined, r: JsonValue | undefined) => {
    const merged = mergeNode(l, r, list.element, [...path, x.element], errors);
    if (merged !== undefined) out.push(merged);
  };
  let li = 0;
  let ri = 0;
  while (li < leftItems.length || ri < rightItems.length) {
    if (li < leftItems.length && ri < rightItems.length) {
      const l = leftItems[li];
      if (l.id === rightItems[ri].id) {
        mergedIds.add(l.id);
        emit(l, leftById.get(l.id), rightById.get(l.id));
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      if (rightById.has(l.id) && nextShared !== undefined && nextShared !== l.id) {
        li++; // a shared item the configuration places later
        continue;
      }
    }
    if (li < leftItems.length) {
      const l = leftItems[li];
      if (!rightById.has(l.id)) {
        emit(l, l.item, undefined);
        li++;
        continue;
      }
      if (mergedIds.has(l.id)) li++;
    }
    if (ri < rightItems.length) {
      const r = rightItems[ri];
      mergedIds.add(r.id);
      emit(r, leftById.get(r.id), r.item);
      ri++;
      if (nextShared === r.id) nextShared = shared.shift();
    }
  }
  return out;
}
