// Protobuf message → the JSON the Kubernetes API would carry for it, driven by the schema
// registry. The JSON follows Go's encoding/json on the decoded Go struct:
// - a field absent from the wire holds Go's zero value: non-pointer scalars appear as "", 0,
//   false; non-pointer structs always appear (omitempty never drops a struct); nil slices, maps,
//   pointers and []byte are null;
// - `omitempty` drops "", 0, false, null and empty slices/maps;
// - types with custom JSON (Time, IntOrString, Quantity, RawExtension, …) use their own form.
import type { JsonObject, JsonValue } from '../object.ts';
import type { FieldSchema, MessageSchema } from '../schema/types.ts';
import { ProtobufDecodeError } from './errors.ts';
import { fieldNamed, messageOf } from './schema-fields.ts';
import { formatGoDuration } from './go-duration.ts';
import { formatRfc3339, GO_ZERO_TIME_SECONDS, MAX_RFC3339_SECONDS, MIN_RFC3339_SECONDS } from './rfc3339.ts';
import { compareUtf8, utf8Decode } from './utf8.ts';
import {
  fixed64ToDouble,
  readFields,
  unpackVarints,
  varintToBigInt,
  varintToInt32,
  varintToInt64,
  WireType,
  type WireValue,
} from './wire-reader.ts';

/** Deeper nesting than any Kubernetes object has; the cap keeps hostile input from exhausting the stack. */
const MAX_NESTING_DEPTH = 100;

export interface DecodeContext {
  depth: number;
  /**
   * JSON path of the value being decoded. Segments are pushed on the way in and popped only on
   * success, so when an error escapes the path still names the field that failed.
   */
  readonly path: string[];
  /** Decodes a full object ("k8s\0" + Unknown) embedded in a RawExtension. */
  readonly decodeEmbedded: (bytes: Uint8Array, ctx: DecodeContext) => JsonObject;
}

const NONE: readonly WireValue[] = [];

/** Decodes a message given as one or more chunks (repeated occurrences of a field merge). */
export function decodeMessage(chunks: readonly Uint8Array[], message: MessageSchema, ctx: DecodeContext): JsonValue {
  if (++ctx.depth > MAX_NESTING_DEPTH) throw new ProtobufDecodeError(`messages nested deeper than ${MAX_NESTING_DEPTH} levels`);
  const value = decodeShape(chunks, message, ctx);
  ctx.depth--;
  return value;
}

function decodeShape(chunks: readonly Uint8Array[], message: MessageSchema, ctx: DecodeContext): JsonValue {
  const fields = readFields(chunks);
  switch (message.jsonShape) {
    case 'object': {
      const out: JsonObject = {};
      decodeFieldsInto(out, fields, message, ctx);
      return out;
    }
    case 'time':
    case 'micro-time': {
      // Go reads an empty message as the zero time; the nanoseconds of a Time are dropped (JSON has seconds only)
      if (chunks.every((c) => c.length === 0)) return null;
      const seconds = lastInt64(valuesNamed(fields, message, 'seconds'));
      const micros = message.jsonShape === 'micro-time' ? Math.floor(lastInt32(valuesNamed(fields, message, 'nanos')) / 1000) : undefined;
      if (seconds === GO_ZERO_TIME_SECONDS && !micros) return null;
      if (seconds < MIN_RFC3339_SECONDS || seconds > MAX_RFC3339_SECONDS) throw new ProtobufDecodeError(`time ${seconds}s is outside years 0000-9999`);
      if (micros !== undefined && (micros < 0 || micros > 999_999)) throw new ProtobufDecodeError(`time fraction ${micros}µs is out of range`);
      return formatRfc3339(seconds, micros);
    }
    case 'duration': {
      const last = lastValue(valuesNamed(fields, message, 'duration'), WireType.varint);
      return formatGoDuration(last ? varintToBigInt(last) : 0n);
    }
    case 'quantity':
      return lastString(valuesNamed(fields, message, 'string')) || '0';
    case 'int-or-string': {
      const type = lastInt64(valuesNamed(fields, message, 'type'));
      if (type !== 0 && type !== 1) throw new ProtobufDecodeError(`IntOrString type ${type} is neither 0 (int) nor 1 (string)`);
      return type === 1 ? lastString(valuesNamed(fields, message, 'strVal')) : lastInt32(valuesNamed(fields, message, 'intVal'));
    }
    case 'raw':
    case 'fields-v1':
      return decodeRawJson(lastBytes(fields.get(message.fields[0].number) ?? NONE), ctx);
    case 'string-list': {
      const items = scalarList(message.fields[0], fields.get(message.fields[0].number) ?? NONE);
      return items.length === 0 ? null : items; // a Go nil slice
    }
    case 'json-schema-or-array': {
      const schemas = valuesNamed(fields, message, 'jSONSchemas');
      if (schemas.length > 0) return decodeMessageList(schemas, jsonSchemaProps(message), ctx);
      return optionalSchema(valuesNamed(fields, message, 'schema'), message, ctx);
    }
    case 'json-schema-or-bool': {
      const schemaValues = valuesNamed(fields, message, 'schema');
      if (schemaValues.length > 0) return optionalSchema(schemaValues, message, ctx);
      const allows = lastValue(valuesNamed(fields, message, 'allows'), WireType.varint);
      return allows !== undefined && (allows.lo !== 0 || allows.hi !== 0);
    }
    case 'json-schema-or-string-array': {
      const property = scalarList(fieldNamed(message, 'property'), valuesNamed(fields, message, 'property'));
      return property.length > 0 ? property : optionalSchema(valuesNamed(fields, message, 'schema'), message, ctx);
    }
  }
}

function decodeFieldsInto(out: JsonObject, fields: Map<number, WireValue[]>, message: MessageSchema, ctx: DecodeContext): void {
  for (const field of message.fields) {
    if (field.json === '-') continue; // carried on the wire only, never in JSON
    const values = fields.get(field.number) ?? NONE;
    if (field.json === null) {
      // an inline (embedded) struct: its properties live directly in this JSON object
      if (++ctx.depth > MAX_NESTING_DEPTH) throw new ProtobufDecodeError(`messages nested deeper than ${MAX_NESTING_DEPTH} levels`);
      decodeFieldsInto(out, readFields(values.map(lengthDelimited)), messageOf(field), ctx);
      ctx.depth--;
      continue;
    }
    ctx.path.push(field.json);
    const value = decodeField(field, values, ctx);
    ctx.path.pop();
    if (value !== undefined) out[field.json] = value;
  }
}

/** The field's JSON value, or undefined when Go's JSON would leave it out. */
function decodeField(field: FieldSchema, values: readonly WireValue[], ctx: DecodeContext): JsonValue | undefined {
  if (field.kind === 'map') return orAbsent(field, decodeMap(field, values, ctx));
  if (field.kind === 'scalar') {
    if (field.repeated) return orAbsent(field, scalarList(field, values));
    const last = values[values.length - 1];
    if (last === undefined && field.pointer) return field.omitempty ? undefined : null;
    const value = last === undefined ? zeroScalar(field.type) : scalar(field.type, last);
    // a set pointer is never empty, even when it points at a zero
    const empty = !field.pointer && (value === '' || value === 0 || value === false || value === null);
    return field.omitempty && empty ? undefined : value;
  }
  const message = messageOf(field);
  if (field.repeated) return orAbsent(field, decodeMessageList(values, message, ctx));
  if (values.length === 0 && field.pointer) return field.omitempty ? undefined : null;
  const value = decodeMessage(values.map(lengthDelimited), message, ctx);
  // slice-typed messages (Verbs) follow slice rules; structs are never dropped by omitempty
  return value === null && message.jsonShape === 'string-list' && field.omitempty ? undefined : value;
}

function decodeMap(field: FieldSchema, values: readonly WireValue[], ctx: DecodeContext): JsonObject {
  const entries = new Map<string, JsonValue>();
  const valueMessage = field.mapValueKind === 'message' ? messageOf(field) : undefined;
  for (const entry of values) {
    // a map entry is a message {key = 1, value = 2}
    const entryFields = readFields([lengthDelimited(entry)]);
    const key = lastString(entryFields.get(1) ?? NONE);
    const valueRecords = entryFields.get(2) ?? NONE;
    ctx.path.push(`[${JSON.stringify(key)}]`);
    entries.set(key, valueMessage ? decodeMessage(valueRecords.map(lengthDelimited), valueMessage, ctx) : mapScalar(field.mapValue!, valueRecords));
    ctx.path.pop();
  }
  // Go writes JSON map keys sorted; fromEntries also keeps a "__proto__" key as an ordinary key
  return Object.fromEntries([...entries].sort(([a], [b]) => compareUtf8(a, b)));
}

/** Empty lists and maps are nil in Go: dropped by omitempty, null otherwise. */
function orAbsent(field: FieldSchema, value: JsonValue[] | JsonObject): JsonValue | undefined {
  const empty = Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
  if (!empty) return value;
  return field.omitempty ? undefined : null;
}

const EXPECTED_WIRE_TYPE: Record<string, number> = {
  string: WireType.lengthDelimited,
  bytes: WireType.lengthDelimited,
  bool: WireType.varint,
  int32: WireType.varint,
  int64: WireType.varint,
  double: WireType.fixed64,
};

function scalar(type: string, value: WireValue): JsonValue {
  const expected = EXPECTED_WIRE_TYPE[type];
  if (expected === undefined) throw new Error(`schema: unsupported scalar type ${type}`);
  if (value.wireType !== expected) throw new ProtobufDecodeError(`wrong wire type ${value.wireType} for a field of type ${type} (expected ${expected})`);
  if (value.wireType === WireType.varint) {
    if (type === 'bool') return value.lo !== 0 || value.hi !== 0;
    return type === 'int32' ? varintToInt32(value) : varintToInt64(value);
  }
  const { bytes } = value as { bytes: Uint8Array }; // the wire type matched a fixed64 or length-delimited type
  if (type === 'double') {
    const n = fixed64ToDouble(bytes);
    if (!Number.isFinite(n)) throw new ProtobufDecodeError(`${n} cannot be written as JSON`);
    return n;
  }
  return type === 'string' ? utf8Decode(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Elements of a repeated scalar field, whether sent one record per element or packed. */
function scalarList(field: FieldSchema, values: readonly WireValue[]): JsonValue[] {
  const items: JsonValue[] = [];
  const expected = EXPECTED_WIRE_TYPE[field.type];
  for (const value of values) {
    // (the schema has no repeated double fields, so packed runs are only ever of varints)
    if (value.wireType === WireType.lengthDelimited && expected === WireType.varint) {
      for (const v of unpackVarints(value.bytes)) items.push(scalar(field.type, { wireType: WireType.varint, ...v }));
    } else {
      items.push(scalar(field.type, value));
    }
  }
  return items;
}

/** A scalar map value; Go starts a bytes value as empty (not nil) before reading the entry. */
function mapScalar(type: string, values: readonly WireValue[]): JsonValue {
  const last = values[values.length - 1];
  if (last === undefined) return type === 'bytes' ? '' : zeroScalar(type);
  return scalar(type, last);
}

function zeroScalar(type: string): JsonValue {
  if (type === 'string') return '';
  if (type === 'bool') return false;
  if (type === 'bytes') return null; // a nil []byte
  return 0;
}

/** The JSON an embedded raw value holds: a full protobuf object, or JSON bytes written verbatim. */
function decodeRawJson(bytes: Uint8Array | undefined, ctx: DecodeContext): JsonValue {
  if (bytes === undefined || bytes.length === 0) return null;
  if (bytes[0] === 0x6b && bytes[1] === 0x38 && bytes[2] === 0x73 && bytes[3] === 0x00) return ctx.decodeEmbedded(bytes, ctx);
  try {
    return JSON.parse(utf8Decode(bytes)) as JsonValue;
  } catch (err) {
    throw new ProtobufDecodeError(`embedded raw value is not JSON: ${(err as Error).message}`);
  }
}

function optionalSchema(values: readonly WireValue[], message: MessageSchema, ctx: DecodeContext): JsonValue {
  return values.length === 0 ? null : decodeMessage(values.map(lengthDelimited), jsonSchemaProps(message), ctx);
}

function jsonSchemaProps(message: MessageSchema): MessageSchema {
  return messageOf(fieldNamed(message, 'schema'));
}

function decodeMessageList(values: readonly WireValue[], message: MessageSchema, ctx: DecodeContext): JsonValue[] {
  const items: JsonValue[] = [];
  for (let i = 0; i < values.length; i++) {
    ctx.path.push(`[${i}]`);
    items.push(decodeMessage([lengthDelimited(values[i])], message, ctx));
    ctx.path.pop();
  }
  return items;
}

function valuesNamed(fields: Map<number, WireValue[]>, message: MessageSchema, name: string): readonly WireValue[] {
  return fields.get(fieldNamed(message, name).number) ?? NONE;
}

function lastValue<T extends WireValue['wireType']>(values: readonly WireValue[], wireType: T): Extract<WireValue, { wireType: T }> | undefined {
  const last = values[values.length - 1];
  if (last === undefined) return undefined;
  if (last.wireType !== wireType) throw new ProtobufDecodeError(`wrong wire type ${last.wireType} (expected ${wireType})`);
  return last as Extract<WireValue, { wireType: T }>;
}

export function lengthDelimited(value: WireValue): Uint8Array {
  if (value.wireType !== WireType.lengthDelimited) throw new ProtobufDecodeError(`wrong wire type ${value.wireType} for a message (expected 2)`);
  return value.bytes;
}

export function lastBytes(values: readonly WireValue[]): Uint8Array | undefined {
  return lastValue(values, WireType.lengthDelimited)?.bytes;
}

export function lastString(values: readonly WireValue[]): string {
  const bytes = lastBytes(values);
  return bytes === undefined ? '' : utf8Decode(bytes);
}

function lastInt64(values: readonly WireValue[]): number {
  const last = lastValue(values, WireType.varint);
  return last === undefined ? 0 : varintToInt64(last);
}

function lastInt32(values: readonly WireValue[]): number {
  const last = lastValue(values, WireType.varint);
  return last === undefined ? 0 : varintToInt32(last);
}
