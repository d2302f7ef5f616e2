// The order of a list after a strategic merge (apimachinery's "preserve order" rules). Items the
// patch names (in the list itself or in "$setElementOrder/<list>") take the patch's order; items
// only the server has keep their live order; the two are interleaved so that a server-only item
// goes before a named item exactly when both exist in the live list and it came first there.
import { isJsonObject, type JsonValue } from '../object.ts';
import { goValue } from './go-format.ts';
import { hasMember, member } from './json-members.ts';
import { hasPatchDirective, PATCH_DIRECTIVE, SET_ELEMENT_ORDER } from './strategic-directives.ts';
import { badArgType, GO_MAP_TYPE, mergeFailure, noMergeKey, notAMap } from './strategic-errors.ts';

/** How list items are told apart: by the merge key's value, or (no merge key) by the item itself. */
export interface ListIdentity {
  readonly mergeKey: string;
  readonly elementsAreMaps: boolean;
}

/** Orders `merged`: items named in `patchOrder` by it, the rest by `serverOrder`, then interleaved. */
export function arrangeList(merged: JsonValue[], patchOrder: JsonValue[], serverOrder: JsonValue[], identity: ListIdentity): JsonValue[] {
  const { named, serverOnly } = partition(merged, patchOrder, identity.mergeKey);
  const sortedNamed = sortBy(named, patchOrder, identity);
  return interleave(sortBy(serverOnly, serverOrder, identity), sortedNamed, serverOrder, identity);
}

/**
 * Refuses a patch list whose items do not appear in the same relative order in its
 * "$setElementOrder" list (deletions and other directive items are exempt).
 */
export function validatePatchOrder(patchList: JsonValue[], order: JsonValue[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey === '' ? patchList : withoutDeletions(patchList);
  let itemIndex = 0;
  for (let orderIndex = 0; itemIndex < items.length && orderIndex < order.length; orderIndex++) {
    while (itemIndex < items.length && hasPatchDirective(items[itemIndex])) itemIndex++;
    if (itemIndex < items.length && sameItem(items[itemIndex], order[orderIndex], mergeKey)) itemIndex++;
  }
  if (itemIndex < items.length) {
    throw mergeFailure(
      `The order in patch list:\n${goValue(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goValue(order)}\n`,
    );
  }
}

function withoutDeletions(items: JsonValue[]): JsonValue[] {
  return items.filter((item) => {
    if (!isJsonObject(item)) throw badArgType(GO_MAP_TYPE, item);
    return !isDeletion(item);
  });
}

function isDeletion(item: JsonValue): boolean {
  return isJsonObject(item) && member(item, PATCH_DIRECTIVE) === 'delete';
}

function sameItem(item: JsonValue, orderItem: JsonValue, mergeKey: string): boolean {
  if (mergeKey === '') return item === orderItem;
  return keyOf(item, mergeKey) === keyOf(orderItem, mergeKey);
}

/** The merge key's value of an item that must be a map carrying it. */
function keyOf(item: JsonValue, mergeKey: string): JsonValue {
  if (!isJsonObject(item)) throw badArgType(GO_MAP_TYPE, item);
  if (!hasMember(item, mergeKey)) throw noMergeKey(item, mergeKey);
  return item[mergeKey];
}

/** Splits items into those `by` names and those it does not. */
function partition(items: JsonValue[], by: JsonValue[], mergeKey: string): { named: JsonValue[]; serverOnly: JsonValue[] } {
  const named: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  for (const item of items) {
    const found = mergeKey === '' ? by.includes(item) : containsKey(by, mergeKey, keyOf(item, mergeKey));
    (found ? named : serverOnly).push(item);
  }
  return { named, serverOnly };
}

function containsKey(list: JsonValue[], mergeKey: string, value: JsonValue): boolean {
  for (const [index, item] of list.entries()) {
    if (!isJsonObject(item)) throw notAMap(index);
    if (hasMember(item, mergeKey) && item[mergeKey] === value) return true;
  }
  return false;
}

/**
 * Sorts items by their position in `order`. Items of a map list must all carry the merge key
 * (as must `order`'s), and "$patch: delete" items go last. Items `order` does not mention, which
 * only odd patches produce, keep their relative order after the rest.
 */
function sortBy(items: JsonValue[], order: JsonValue[], identity: ListIdentity): JsonValue[] {
  let deletions: JsonValue[] = [];
  if (identity.elementsAreMaps) {
    for (const item of [...items, ...order]) keyOf(item, identity.mergeKey);
    deletions = items.filter(isDeletion);
    items = items.filter((item) => !deletions.includes(item));
  }
  const positioned = items.map((item) => ({ item, position: positionIn(order, item, identity) }));
  const found = positioned.filter((entry) => entry.position >= 0).sort((a, b) => a.position - b.position);
  const missing = positioned.filter((entry) => entry.position < 0);
  return [...found, ...missing].map((entry) => entry.item).concat(deletions);
}

function positionIn(list: JsonValue[], item: JsonValue, identity: ListIdentity): number {
  if (!identity.elementsAreMaps) return list.indexOf(item);
  const key = mergeKeyValue(item, identity.mergeKey);
  return list.findIndex((candidate) => mergeKeyValue(candidate, identity.mergeKey) === key);
}

/** The merge key's value, or undefined for an item without it (such items match each other). */
function mergeKeyValue(item: JsonValue, mergeKey: string): JsonValue | undefined {
  return isJsonObject(item) ? member(item, mergeKey) : undefined;
}

/**
 * Merges the sorted server-only items (`left`) into the sorted named items (`right`): a
 * server-only item goes first only when both are in the live list and it precedes there.
 */
function interleave(left: JsonValue[], right: JsonValue[], serverOrder: JsonValue[], identity: ListIdentity): JsonValue[] {
  const result: JsonValue[] = [];
  let l = 0;
  let r = 0;
  while (l < left.length || r < right.length) {
    if (r >= right.length) {
      result.push(left[l++]);
    } else if (l < left.length && precedesInServerOrder(left[l], right[r], serverOrder, identity)) {
      result.push(left[l++]);
    } else {
      result.push(right[r++]);
    }
  }
  return result;
}

function precedesInServerOrder(a: JsonValue, b: JsonValue, serverOrder: JsonValue[], identity: ListIdentity): boolean {
  const positionA = positionIn(serverOrder, a, identity);
  const positionB = positionIn(serverOrder, b, identity);
  return positionA >= 0 && positionB >= 0 && positionA < positionB;
}
