// Kubernetes objects are Go structs, and Go's JSON encoder writes some fields even when nobody
// set them: a non-pointer struct is always written (omitempty does not apply to structs), and a
// non-pointer scalar without omitempty is written as its zero value. That is why
// `kubectl get -o yaml` shows `resources: {}`, `creationTimestamp: null`, `status: {}`,
// `divisor: "0"` or `restartCount: 0` on objects whose author never wrote them. k8ts keeps
// objects as JSON, so it adds these zero values explicitly, driven by the schema.
import { schema } from '../schema/registry.ts';
import type { FieldSchema, MessageSchema } from '../schema/types.ts';
import { isJsonObject, type JsonValue } from '../object.ts';
import { isNil, type Fields } from './fields.ts';

/** Adds the zero values Go's encoder would write for `message` to `obj`, recursively. */
export function fillGoZeroValues(message: MessageSchema, obj: Fields): void {
  for (const [json, field] of message.properties) {
    const value = obj[json];
    if (field.repeated) {
      if (Array.isArray(value)) forEachMessage(field, value);
    } else if (field.kind === 'map') {
      if (isJsonObject(value)) forEachMessage(field, Object.values(value));
    } else if (field.kind === 'message') {
      fillMessageField(field, obj, json);
    } else if (isNil(value) && !field.pointer && !field.omitempty) {
      const zero = zeroScalar(field.type);
      if (zero !== undefined) obj[json] = zero;
    }
  }
}

function forEachMessage(field: FieldSchema, values: unknown[]): void {
  const message = schema.fieldMessage(field);
  if (message?.jsonShape !== 'object') return;
  for (const value of values) if (isJsonObject(value)) fillGoZeroValues(message, value);
}

function fillMessageField(field: FieldSchema, obj: Fields, json: string): void {
  const message = schema.findMessage(field.type);
  if (!message) return;
  const value = obj[json];
  if (message.jsonShape === 'object') {
    if (isJsonObject(value)) fillGoZeroValues(message, value);
    else if (isNil(value) && !field.pointer) {
      const created = {};
      obj[json] = created;
      fillGoZeroValues(message, created);
    }
    return;
  }
  if (!isNil(value) || field.pointer) return;
  const zero = ZERO_BY_SHAPE[message.jsonShape];
  if (zero !== undefined) obj[json] = zero;
}

/** How Go writes the zero value of the custom-JSON types (the others are lists: Go writes null, we leave them out). */
const ZERO_BY_SHAPE: Partial<Record<MessageSchema['jsonShape'], JsonValue>> = {
  time: null,
  'micro-time': null,
  duration: '0s',
  quantity: '0',
  'int-or-string': 0,
  raw: null,
};

function zeroScalar(type: string): JsonValue | undefined {
  switch (type) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'int32':
    case 'int64':
    case 'double':
    case 'float':
      return 0;
    default:
      // bytes are a Go slice: nil is written as null, which k8ts leaves out
      return undefined;
  }
}
