// The set of fields a value sets: what an applier owns after applying it. Leaves (scalars, atomic
// lists and maps) are members; so are list items and map entries, which can be owned as a whole.
// A struct field with content is not a member itself (only its leaves are), unless it is null or
// an empty object, which is a value the applier asked for.
import { isJsonObject, type JsonValue } from '../object.ts';
import { FieldSet } from './field-set.ts';
import { indexItems } from './list-items.ts';
import type { Path } from './path.ts';
import { DEDUCED, fieldType, resolveAtom, type SmdType } from './smd-type.ts';

export function toFieldSet(value: JsonValue, type: SmdType): FieldSet {
  const set = new FieldSet();
  walk(value, type, [], set);
  return set;
}

function walk(value: JsonValue, type: SmdType, path: Path, set: FieldSet): void {
  const atom = resolveAtom(type, value);
  if (atom.kind === 'scalar') {
    set.insert(path);
  } else if (atom.kind === 'list') {
    if (!atom.associative) return set.insert(path);
    if (!Array.isArray(value)) return;
    const { indexed } = indexItems(atom, value);
    // Items whose key appears more than once are owned whole, without their fields.
    const counts = new Map<string, number>();
    for (const { id } of indexed) counts.set(id, (counts.get(id) ?? 0) + 1);
    const duplicateDone = new Set<string>();
    for (const { element, id, item } of indexed) {
      const itemPath = [...path, element];
      if (counts.get(id)! > 1) {
        if (!duplicateDone.has(id)) set.insert(itemPath);
        duplicateDone.add(id);
        continue;
      }
      walk(item, atom.element, itemPath, set);
      set.insert(itemPath);
    }
  } else {
    if (atom.atomic) return set.insert(path);
    if (!isJsonObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, { field: key }];
      // Unknown fields of typed structs were rejected by validation; treat any left as free-form.
      walk(child, fieldType(atom, key) ?? DEDUCED, childPath, set);
      if (child === null || (isJsonObject(child) && Object.keys(child).length === 0) || !atom.field(key)) {
        set.insert(childPath);
      }
    }
  }
}
