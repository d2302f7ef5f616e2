// What survives decoding into the typed object: Kubernetes decodes JSON into Go structs, so
// properties the schema does not define vanish and `null`s become "unset"; encoding them again
// leaves out the empty maps and lists of omitempty fields. Patches and clients can leave all of
// these behind (e.g. `$setElementOrder` keys, `paused: null`, the `annotations: {}` of a merge
// patch that removed the last one); pruning gives the object the apiserver would have stored.
import type { JsonValue } from '../object.ts';
import { isJsonObject } from '../object.ts';
import { schema } from './registry.ts';
import type { FieldSchema, MessageSchema } from './types.ts';

/** A copy of `value` holding only what `message` defines, without nulls or empty omitempty collections. */
export function pruneToSchema(message: MessageSchema, value: JsonValue): JsonValue {
  if (message.jsonShape !== 'object' || !isJsonObject(value)) return value;
  const out: Record<string, JsonValue> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === null) continue;
    if (message.typeMeta && (key === 'apiVersion' || key === 'kind')) {
      out[key] = child;
      continue;
    }
    const field = message.properties.get(key);
    if (!field) continue;
    const pruned = pruneField(field, child);
    if (field.omitempty && (field.kind === 'map' || field.repeated) && isEmptyCollection(pruned)) continue;
    out[key] = pruned;
  }
  return out;
}

function isEmptyCollection(value: JsonValue): boolean {
  return (Array.isArray(value) && value.length === 0) || (isJsonObject(value) && Object.keys(value).length === 0);
}

function pruneField(field: FieldSchema, value: JsonValue): JsonValue {
  const inner = schema.fieldMessage(field);
  if (field.kind === 'map') {
    if (!isJsonObject(value)) return value;
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null) continue;
      out[k] = inner ? pruneToSchema(inner, v) : v;
    }
    return out;
  }
  if (!inner) return value;
  if (field.repeated && Array.isArray(value)) {
    return value.filter((v) => v !== null).map((v) => pruneToSchema(inner, v));
  }
  return pruneToSchema(inner, value);
}
