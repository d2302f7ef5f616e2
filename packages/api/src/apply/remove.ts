// Removing a set of fields (and list items, map entries) from a value: how apply prunes what an
// applier stopped applying. A container left with nothing in it becomes null, as in
// structured-merge-diff; the Go round trip (go-shape.ts) then drops it where the field is optional.
import { isJsonObject, type JsonObject, type JsonValue } from '../object.ts';
import type { FieldSet } from './field-set.ts';
import { isPathElement, listItemPathElement } from './list-items.ts';
import { DEDUCED, fieldType, resolveAtom, type SmdType } from './smd-type.ts';

export function removeItems(value: JsonValue, toRemove: FieldSet, type: SmdType): JsonValue {
  const atom = resolveAtom(type, value);
  if (atom.kind === 'scalar') return value;
  if (atom.kind === 'list') {
    if (!Array.isArray(value) || value.length === 0 || !atom.associative) return null;
    const out: JsonValue[] = [];
    for (const item of value) {
      const element = listItemPathElement(atom, item);
      if (!isPathElement(element)) {
        out.push(item);
        continue;
      }
      if (toRemove.hasMember(element)) continue;
      const below = toRemove.withPrefix(element);
      out.push(below.isEmpty() ? item : removeItems(item, below, atom.element));
    }
    return out.length > 0 ? out : null;
  }
  if (!isJsonObject(value) || Object.keys(value).length === 0 || atom.atomic) return null;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const element = { field: key };
    if (toRemove.hasMember(element)) continue;
    const below = toRemove.withPrefix(element);
    out[key] = below.isEmpty() ? child : removeItems(child, below, fieldType(atom, key) ?? DEDUCED);
  }
  return Object.keys(out).length > 0 ? out : null;
}
