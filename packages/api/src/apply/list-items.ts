// How an associative list names its items: by the values of its key fields (a list map, e.g.
// containers by name, ports by containerPort+protocol) or by the item itself (a set, e.g.
// finalizers). Items of keyed lists that omit a key field take the field's schema default.
import { isJsonObject, type JsonValue } from '../object.ts';
import { keyFields, serializePathElement, type KeyField, type PathElement } from './path.ts';
import type { ListType } from './smd-type.ts';

/** The path element of a list item, or the reason it has none. */
export function listItemPathElement(list: ListType, item: JsonValue): PathElement | { error: string } {
  if (list.keys.length > 0) {
    if (item === null) return { error: 'associative list with keys may not have a null element' };
    if (!isJsonObject(item)) return { error: 'associative list with keys may not have non-map elements' };
    const fields: KeyField[] = [];
    for (const name of list.keys) {
      const value = name in item ? item[name] : list.keyDefault(name);
      if (value === undefined) {
        return {
          error: `associative list with keys has an element that omits key field "${name}" (and doesn't have default value)`,
        };
      }
      fields.push({ name, value });
    }
    return { key: keyFields(fields) };
  }
  if (isJsonObject(item)) return { error: "associative list without keys has an element that's a map type" };
  if (Array.isArray(item)) return { error: 'not supported: associative list with lists as elements' };
  if (item === null) return { error: "associative list without keys has an element that's an explicit null" };
  return { value: item };
}

export function isPathElement(x: PathElement | { error: string }): x is PathElement {
  return !('error' in x);
}

export interface IndexedItem {
  readonly element: PathElement;
  readonly id: string;
  readonly item: JsonValue;
}

/** The items that have path elements, each with a string id for lookups (equal ids, equal elements). */
export function indexItems(list: ListType, items: readonly JsonValue[]): { indexed: IndexedItem[]; errors: string[] } {
  const indexed: IndexedItem[] = [];
  const errors: string[] = [];
  items.forEach((item, i) => {
    const element = listItemPathElement(list, item);
    if (isPathElement(element)) indexed.push({ element, id: serializePathElement(element), item });
    else errors.push(`element ${i}: ${element.error}`);
  });
  return { indexed, errors };
}
