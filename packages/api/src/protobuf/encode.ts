// JSON object → protobuf message, driven by the schema registry, writing what Kubernetes' own
// (gogo-generated) encoder writes for the Go struct the JSON decodes into:
// - fields in ascending field-number order, map entries sorted by key;
// - non-pointer scalars always (a missing value is written as its zero: "", 0, false);
// - non-pointer structs always (possibly as an empty message); pointers, slices, maps and
//   []byte only when set;
// - custom types in their wire form (Time as seconds, IntOrString as {type, intVal, strVal}, …).
// Values of the wrong JSON type are rejected, as Go's JSON decoder would reject them.
import { isJsonObject } from '../object.ts';
import type { FieldSchema, MessageSchema } from '../schema/types.ts';
import { ProtobufEncodeError } from './errors.ts';
import { fieldNamed, messageOf } from './schema-fields.ts';
import { parseGoDuration } from './go-duration.ts';
import { GO_ZERO_TIME_SECONDS, parseRfc3339 } from './rfc3339.ts';
import { compareUtf8 } from './utf8.ts';
import { WireWriter } from './wire-writer.ts';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_LIMIT = 2 ** 63;

/** JSON path of the value being encoded, for error messages. */
export type EncodePath = string[];

const fieldsByNumber = new WeakMap<MessageSchema, readonly FieldSchema[]>();

/** The IDL declares fields in source order; the wire wants them by number. */
function inWireOrder(message: MessageSchema): readonly FieldSchema[] {
  let fields = fieldsByNumber.get(message);
  if (!fields) {
    fields = [...message.fields].sort((a, b) => a.number - b.number);
    fieldsByNumber.set(message, fields);
  }
  return fields;
}

/** Writes the fields of an object-shaped message whose JSON properties are in `obj`. */
export function encodeFields(w: WireWriter, obj: Readonly<Record<string, unknown>>, message: MessageSchema, path: EncodePath): void {
  for (const field of inWireOrder(message)) {
    if (field.json === null) {
      // inline struct: its properties sit in this same JSON object
      const start = w.begin(field.number);
      encodeFields(w, obj, messageOf(field), path);
      w.end(start);
      continue;
    }
    // a "-" field is never in JSON: Go leaves it at its zero value, which is then written
    const value = field.json === '-' ? null : (obj[field.json] ?? null);
    path.push(field.json);
    encodeField(w, field, value, path);
    path.pop();
  }
}

function encodeField(w: WireWriter, field: FieldSchema, value: unknown, path: EncodePath): void {
  if (field.kind === 'map') return encodeMap(w, field, value, path);
  if (field.repeated) {
    if (value === null) return;
    if (!Array.isArray(value)) throw fail(path, 'an array', value);
    value.forEach((item, i) => {
      path.push(`[${i}]`);
      if (field.kind === 'scalar') encodeScalar(w, field.number, field.type, item ?? null, path);
      else encodeMessage(w, field.number, item ?? null, messageOf(field), path);
      path.pop();
    });
    return;
  }
  if (field.kind === 'scalar') {
    if (value === null && field.pointer) return;
    return encodeScalar(w, field.number, field.type, value, path);
  }
  const message = messageOf(field);
  // slice-typed messages (Verbs) are nil when absent, like pointers
  if (value === null && (field.pointer || message.jsonShape === 'string-list')) return;
  encodeMessage(w, field.number, value, message, path);
}

function encodeMap(w: WireWriter, field: FieldSchema, value: unknown, path: EncodePath): void {
  if (value === null) return;
  if (!isJsonObject(value)) throw fail(path, 'an object', value);
  const valueMessage = field.mapValueKind === 'message' ? messageOf(field) : undefined;
  for (const key of Object.keys(value).sort(compareUtf8)) {
    const entryValue = value[key];
    path.push(`[${JSON.stringify(key)}]`);
    // a map entry is a message {key = 1, value = 2}
    const start = w.begin(field.number);
    w.string(1, key);
    if (valueMessage) encodeMessage(w, 2, entryValue, valueMessage, path);
    else if (!(entryValue === null && field.mapValue === 'bytes')) encodeScalar(w, 2, field.mapValue!, entryValue, path);
    w.end(start);
    path.pop();
  }
}

/** Writes a message field from its JSON value (null = absent: the zero message). */
function encodeMessage(w: WireWriter, fieldNumber: number, value: unknown, message: MessageSchema, path: EncodePath): void {
  const start = w.begin(fieldNumber);
  switch (message.jsonShape) {
    case 'object':
      if (value !== null && !isJsonObject(value)) throw fail(path, 'an object', value);
      encodeFields(w, value ?? {}, message, path);
      break;
    case 'time':
    case 'micro-time': {
      if (value === null) break; // the zero time is an empty message
      const time = typeof value === 'string' ? parseRfc3339(value) : undefined;
      if (!time) throw fail(path, 'an RFC 3339 time', value);
      if (time.seconds === GO_ZERO_TIME_SECONDS && time.nanos === 0) break; // Go's zero time, also empty
      w.int64(fieldNamed(message, 'seconds').number, time.seconds);
      // Time keeps whole seconds only; MicroTime keeps microseconds
      if (message.jsonShape === 'micro-time') w.int32(fieldNamed(message, 'nanos').number, Math.floor(time.nanos / 1000) * 1000);
      break;
    }
    case 'duration': {
      const nanos = value === null ? 0n : typeof value === 'string' ? parseGoDuration(value) : undefined;
      if (nanos === undefined) throw fail(path, 'a duration such as "1m30s"', value);
      w.int64Big(fieldNamed(message, 'duration').number, nanos);
      break;
    }
    case 'quantity':
      if (value !== null && typeof value !== 'string' && typeof value !== 'number') throw fail(path, 'a quantity', value);
      w.string(fieldNamed(message, 'string').number, value === null ? '0' : String(value));
      break;
    case 'int-or-string': {
      if (value !== null && typeof value !== 'string' && !isInt32(value)) throw fail(path, 'an int32 or a string', value);
      w.int64(fieldNamed(message, 'type').number, typeof value === 'string' ? 1 : 0);
      w.int32(fieldNamed(message, 'intVal').number, typeof value === 'number' ? value : 0);
      w.string(fieldNamed(message, 'strVal').number, typeof value === 'string' ? value : '');
      break;
    }
    case 'raw':
    case 'fields-v1':
      if (value !== null) w.string(message.fields[0].number, JSON.stringify(value)); // the raw bytes are JSON text
      break;
    case 'string-list':
      encodeField(w, message.fields[0], value, path);
      break;
    case 'json-schema-or-array':
      if (Array.isArray(value)) encodeField(w, fieldNamed(message, 'jSONSchemas'), value, path);
      else encodeField(w, fieldNamed(message, 'schema'), value, path);
      break;
    case 'json-schema-or-bool':
      if (value !== null && typeof value !== 'boolean' && !isJsonObject(value)) throw fail(path, 'a boolean or a schema', value);
      w.bool(fieldNamed(message, 'allows').number, value === true || isJsonObject(value));
      if (isJsonObject(value)) encodeField(w, fieldNamed(message, 'schema'), value, path);
      break;
    case 'json-schema-or-string-array':
      if (Array.isArray(value)) encodeField(w, fieldNamed(message, 'property'), value, path);
      else encodeField(w, fieldNamed(message, 'schema'), value, path);
      break;
  }
  w.end(start);
}

/** One scalar record; null (absent or JSON null) writes the zero value, as Go leaves it. */
function encodeScalar(w: WireWriter, fieldNumber: number, type: string, value: unknown, path: EncodePath): void {
  switch (type) {
    case 'string':
      if (value !== null && typeof value !== 'string') throw fail(path, 'a string', value);
      return w.string(fieldNumber, value ?? '');
    case 'bool':
      if (value !== null && typeof value !== 'boolean') throw fail(path, 'a boolean', value);
      return w.bool(fieldNumber, value ?? false);
    case 'int32':
      if (value !== null && !isInt32(value)) throw fail(path, 'an int32', value);
      return w.int32(fieldNumber, value ?? 0);
    case 'int64':
      if (value !== null && !(Number.isInteger(value) && Math.abs(value as number) < INT64_LIMIT)) throw fail(path, 'an int64', value);
      return w.int64(fieldNumber, (value as number | null) ?? 0);
    case 'double':
      if (value !== null && !Number.isFinite(value)) throw fail(path, 'a number', value);
      return w.double(fieldNumber, (value as number | null) ?? 0);
    case 'bytes': {
      if (value === null) return; // a nil []byte is not written
      const bytes = typeof value === 'string' ? decodeBase64(value) : undefined;
      if (!bytes) throw fail(path, 'base64 data', value);
      return w.bytes(fieldNumber, bytes);
    }
    default:
      throw new Error(`schema: unsupported scalar type ${type}`);
  }
}

/** Standard base64 as Go's []byte JSON decoding accepts it (line breaks are ignored). */
function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/[\r\n]/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

function isInt32(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= INT32_MIN && (value as number) <= INT32_MAX;
}

function fail(path: EncodePath, expected: string, value: unknown): ProtobufEncodeError {
  const where = path.join('.').replace(/\.\[/g, '[');
  return new ProtobufEncodeError(`${where}: expected ${expected}, got ${JSON.stringify(value) ?? typeof value}`);
}
