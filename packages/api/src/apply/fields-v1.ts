// FieldsV1, the wire form of a field set in metadata.managedFields: a JSON trie keyed by
// serialized path elements, `{}` marking a member leaf and `".": {}` marking a member that also
// has members below it.
import { isJsonObject, type JsonObject, type JsonValue } from '../object.ts';
import { FieldSet } from './field-set.ts';
import { comparePathElements, parsePathElement, serializePathElement, UnknownPathElementType, type PathElement } from './path.ts';

export function encodeFieldsV1(set: FieldSet): JsonObject {
  return encodeLevel(set, false);
}

function encodeLevel(set: FieldSet, includeSelf: boolean): JsonObject {
  const out: JsonObject = {};
  if (includeSelf && (set.members.length > 0 || set.children.length > 0)) out['.'] = {};
  // Members and children interleave in path-element order, as the apiserver writes them.
  const entries: [PathElement, JsonObject][] = [];
  let ci = 0;
  for (const member of set.members) {
    while (ci < set.children.length && comparePathElements(set.children[ci].element, member) < 0) {
      entries.push([set.children[ci].element, encodeLevel(set.children[ci].set, false)]);
      ci++;
    }
    if (ci < set.children.length && comparePathElements(set.children[ci].element, member) === 0) {
      entries.push([member, encodeLevel(set.children[ci].set, true)]);
      ci++;
    } else {
      entries.push([member, {}]);
    }
  }
  for (; ci < set.children.length; ci++) entries.push([set.children[ci].element, encodeLevel(set.children[ci].set, false)]);
  for (const [element, value] of entries) out[serializePathElement(element)] = value;
  return out;
}

/** Reads FieldsV1; unknown element types (from a newer apiserver) are skipped, as Kubernetes does. */
export function decodeFieldsV1(fields: JsonValue): FieldSet {
  if (!isJsonObject(fields)) throw new Error('FieldsV1 must be a JSON object');
  const set = new FieldSet();
  decodeLevel(fields, [], set);
  return set;
}

/** Returns whether the level held any element this reader understands. */
function decodeLevel(level: JsonObject, prefix: PathElement[], set: FieldSet): boolean {
  let recognized = false;
  for (const [key, value] of Object.entries(level)) {
    if (key === '.') continue;
    let element: PathElement;
    try {
      element = parsePathElement(key);
    } catch (err) {
      if (err instanceof UnknownPathElementType) continue;
      throw new Error(`parsing key as path element: ${(err as Error).message}`);
    }
    if (!isJsonObject(value)) throw new Error(`expected an object for ${key}`);
    const path = [...prefix, element];
    // A leaf (nothing understood below) or an explicit "." makes the element a member.
    const hasChildren = decodeLevel(value, path, set);
    if (!hasChildren || '.' in value) set.insert(path);
    recognized = true;
  }
  return recognized;
}
