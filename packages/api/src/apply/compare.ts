// What changed between two versions of an object, field by field: leaves whose value changed are
// modified, and any node (leaf, map entry, list item) present on one side only is added or removed.
// A write takes ownership of what it added or modified and strips what it removed from everyone.
import { isJsonObject, type JsonObject, type JsonValue } from '../object.ts';
import { FieldSet } from './field-set.ts';
import { indexItems, type IndexedItem } from './list-items.ts';
import type { Path } from './path.ts';
import { DEDUCED, fieldType, resolveAtom, type Atom, type ListType, type SmdType } from './smd-type.ts';
import { valuesEqual } from './value.ts';

export interface Comparison {
  readonly removed: FieldSet;
  readonly modified: FieldSet;
  readonly added: FieldSet;
}

export function compare(lhs: JsonValue | undefined, rhs: JsonValue | undefined, type: SmdType): Comparison {
  const c: Comparison = { removed: new FieldSet(), modified: new FieldSet(), added: new FieldSet() };
  compareNode(lhs, rhs, type, [], c);
  return c;
}

/** Applies `filter` (reset fields the write can never own) to each set of a comparison. */
export function filterComparison(c: Comparison, filter: (s: FieldSet) => FieldSet): Comparison {
  return { removed: filter(c.removed), modified: filter(c.modified), added: filter(c.added) };
}

function compareNode(lhs: JsonValue | undefined, rhs: JsonValue | undefined, type: SmdType, path: Path, c: Comparison): void {
  const lhsAtom = lhs === undefined ? undefined : resolveAtom(type, lhs);
  const rhsAtom = rhs === undefined ? undefined : resolveAtom(type, rhs);
  let inLeaf: boolean;
  if (rhsAtom === undefined) inLeaf = handle(lhsAtom!, lhs, rhs, path, c);
  else if (lhsAtom === undefined || lhsAtom.kind === rhsAtom.kind) inLeaf = handle(rhsAtom, lhs, rhs, path, c);
  else {
    // A free-form value changed shape (say, map to string): walk it as both.
    handle(lhsAtom, lhs, rhs, path, c);
    inLeaf = handle(rhsAtom, lhs, rhs, path, c);
  }
  if (!inLeaf) {
    if (lhs === undefined) c.added.insert(path);
    else if (rhs === undefined) c.removed.insert(path);
  }
}

/** Returns whether the node was handled as a leaf. */
function handle(atom: Atom, lhs: JsonValue | undefined, rhs: JsonValue | undefined, path: Path, c: Comparison): boolean {
  if (atom.kind === 'scalar') return leaf(lhs, rhs, path, c);
  if (atom.kind === 'list') {
    const l = Array.isArray(lhs) ? lhs : undefined;
    const r = Array.isArray(rhs) ? rhs : undefined;
    // Empty and null lists on both sides are compared as values, keeping [] and null apart.
    if (!atom.associative || (!l?.length && !r?.length)) return leaf(lhs, rhs, path, c);
    compareListItems(atom, l ?? [], r ?? [], path, c);
    return false;
  }
  const l = isJsonObject(lhs) ? lhs : undefined;
  const r = isJsonObject(rhs) ? rhs : undefined;
  const empty = (m: JsonObject | undefined) => !m || Object.keys(m).length === 0;
  if (atom.atomic || (empty(l) && empty(r))) return leaf(lhs, rhs, path, c);
  for (const key of new Set([...Object.keys(l ?? {}), ...Object.keys(r ?? {})])) {
    compareNode(l?.[key], r?.[key], fieldType(atom, key) ?? DEDUCED, [...path, { field: key }], c);
  }
  return false;
}

function leaf(lhs: JsonValue | undefined, rhs: JsonValue | undefined, path: Path, c: Comparison): boolean {
  if (lhs === undefined) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
  else if (!valuesEqual(lhs, rhs)) c.modified.insert(path);
  return true;
}

function compareListItems(list: ListType, lhs: JsonValue[], rhs: JsonValue[], path: Path, c: Comparison): void {
  const groups = new Map<string, { element: IndexedItem['element']; l: JsonValue[]; r: JsonValue[] }>();
  const group = (x: IndexedItem) => {
    let g = groups.get(x.id);
    if (!g) groups.set(x.id, (g = { element: x.element, l: [], r: [] }));
    return g;
  };
  for (const x of indexItems(list, lhs).indexed) group(x).l.push(x.item);
  for (const x of indexItems(list, rhs).indexed) group(x).r.push(x.item);
  for (const { element, l, r } of groups.values()) {
    const itemPath = [...path, element];
    if (l.length <= 1 && r.length <= 1) {
      compareNode(l[0], r[0], list.element, itemPath, c);
    } else if (l.length >= 2 && r.length >= 2) {
      // Duplicated keys on both sides: the duplicates compare as one atomic value.
      if (!valuesEqual(l, r)) c.modified.insert(itemPath);
    } else if (l.length >= 2) {
      if (r.length > 0) compareNode(undefined, r[0], list.element, itemPath, c);
      c.removed.insert(itemPath);
    } else {
      if (l.length > 0) compareNode(l[0], undefined, list.element, itemPath, c);
      c.added.insert(itemPath);
    }
  }
}
