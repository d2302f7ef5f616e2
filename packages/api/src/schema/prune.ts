// What survives decoding into the typed object: Kubernetes decodes JSON into Go structs, so
// properties the schema does not define vanish and `null`s become "unset". Patches and
// clients can leave both behind (e.g. `$setElementOrder` keys, `paused: null`); pruning
// gives the object the apiserver would have stored.
import type { JsonValue } from '../object.ts';
import { isJsonObject } from '../object.ts';
import { schema } from './registry.ts';
import type { FieldSchema, MessageSchema } from './types.ts';

/** A copy of `value` holding only what `message` defines, without nulls. */
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
    out[key] = pruneField(field, child);
  }
  return out;
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
