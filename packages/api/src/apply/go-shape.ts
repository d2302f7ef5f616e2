// The JSON shape an object has after a trip through its Go type, which is the shape the apiserver
// compares and merges (its live objects are Go structs): struct fields are always present ({} when
// unset), non-omitempty fields show their zero value, unset Times are null, and omitempty fields
// holding a zero value disappear. Ownership of `.spec` versus `.spec.replicas` depends on it: a
// field present on both sides of a write is not "added".
import { schema } from '../schema/registry.ts';
import type { FieldSchema, MessageSchema } from '../schema/types.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../object.ts';

export function goRoundTrip(object: JsonObject, message: MessageSchema): JsonObject {
  const out: JsonObject = {};
  if (message.typeMeta) {
    for (const key of ['apiVersion', 'kind']) {
      if (typeof object[key] === 'string' && object[key] !== '') out[key] = object[key];
    }
  }
  for (const [json, field] of message.properties) {
    const value = shapeField(object[json], field);
    if (value !== undefined) out[json] = value;
  }
  // Fields the schema does not know are kept: rejecting them is validation's job.
  for (const [key, value] of Object.entries(object)) {
    if (!(key in out) && !message.properties.has(key) && !(message.typeMeta && (key === 'apiVersion' || key === 'kind'))) {
      out[key] = value;
    }
  }
  return out;
}

/** The field's value after the round trip; undefined when Go leaves it out. */
function shapeField(value: JsonValue | undefined, field: FieldSchema): JsonValue | undefined {
  const unset = value === undefined || value === null;
  if (field.repeated || field.kind === 'map' || field.type === 'bytes') {
    // Slices and maps: nil is null (or omitted); an empty one is omitted only with omitempty.
    if (unset) return field.omitempty ? undefined : null;
    if (field.omitempty && isEmptyCollection(value)) return undefined;
    return shapeElements(value, field);
  }
  if (field.kind === 'message') {
    const message = schema.message(field.type);
    if (unset) return field.pointer ? undefined : zeroOf(message, field);
    return message.jsonShape === 'object' && isJsonObject(value) ? goRoundTrip(value, message) : value;
  }
  if (unset) return field.pointer || field.omitempty ? undefined : zeroScalar(field.type);
  if (!field.pointer && field.omitempty && value === zeroScalar(field.type)) return undefined;
  return value;
}

function isEmptyCollection(value: JsonValue): boolean {
  return (Array.isArray(value) && value.length === 0) || (isJsonObject(value) && Object.keys(value).length === 0);
}

function shapeElements(value: JsonValue, field: FieldSchema): JsonValue {
  const itemType = field.kind === 'map' ? (field.mapValueKind === 'message' ? field.mapValue : undefined) : field.kind === 'message' ? field.type : undefined;
  const message = itemType ? schema.message(itemType) : undefined;
  if (!message || message.jsonShape !== 'object') return value;
  const shape = (v: JsonValue) => (isJsonObject(v) ? goRoundTrip(v, message) : v);
  if (Array.isArray(value)) return value.map(shape);
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return value;
}

/** The JSON of a non-pointer struct field left unset. */
function zeroOf(message: MessageSchema, field: FieldSchema): JsonValue | undefined {
  switch (message.jsonShape) {
    case 'object':
      return goRoundTrip({}, message);
    case 'duration':
      return '0s';
    case 'quantity':
      return '0';
    case 'int-or-string':
      return 0;
    case 'string-list':
      return field.omitempty ? undefined : null;
    default: // time, micro-time, raw JSON: their zero value marshals as null
      return null;
  }
}

function zeroScalar(protoType: string): JsonValue {
  if (protoType === 'string') return '';
  if (protoType === 'bool') return false;
  return 0;
}
