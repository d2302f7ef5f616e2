// Protobuf watch streams (`application/vnd.kubernetes.protobuf;stream=watch`): each event is a
// frame of a 4-byte big-endian length followed by a meta.v1.WatchEvent message — no magic, no
// Unknown wrapper — whose object.raw holds the object in the full envelope form.
import type { KubeObject } from '../object.ts';
import { schema } from '../schema/registry.ts';
import { lastBytes, lastString, lengthDelimited } from './decode.ts';
import { decodeKubeProtobuf, encodeKubeProtobuf } from './envelope.ts';
import { ProtobufDecodeError } from './errors.ts';
import { fieldNamed, messageOf } from './schema-fields.ts';
import { readFields } from './wire-reader.ts';
import { WireWriter } from './wire-writer.ts';

const watchEvent = schema.message('k8s.io.apimachinery.pkg.apis.meta.v1.WatchEvent');
const typeNumber = fieldNamed(watchEvent, 'type').number;
const objectField = fieldNamed(watchEvent, 'object');
const rawNumber = fieldNamed(messageOf(objectField), 'raw').number;

const LENGTH_PREFIX = 4;

export function encodeWatchEventFrame(type: string, obj: KubeObject): Buffer {
  const event = new WireWriter();
  event.string(typeNumber, type);
  const object = event.begin(objectField.number);
  event.bytes(rawNumber, encodeKubeProtobuf(obj));
  event.end(object);
  const body = event.finish();
  const prefix = Buffer.alloc(LENGTH_PREFIX);
  prefix.writeUInt32BE(body.length);
  return Buffer.concat([prefix, body]);
}

/**
 * Decodes every complete frame in `buffer`; `rest` is the start of an incomplete frame, to be
 * prefixed to the next chunk read from the stream.
 */
export function decodeWatchEventFrames(buffer: Uint8Array): { events: { type: string; object: KubeObject }[]; rest: Uint8Array } {
  const events: { type: string; object: KubeObject }[] = [];
  const view = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  let offset = 0;
  while (view.length - offset >= LENGTH_PREFIX) {
    const length = view.readUInt32BE(offset);
    if (view.length - offset - LENGTH_PREFIX < length) break;
    const frame = view.subarray(offset + LENGTH_PREFIX, offset + LENGTH_PREFIX + length);
    events.push(decodeWatchEvent(frame));
    offset += LENGTH_PREFIX + length;
  }
  return { events, rest: buffer.subarray(offset) };
}

function decodeWatchEvent(frame: Uint8Array): { type: string; object: KubeObject } {
  try {
    const fields = readFields([frame]);
    const object = readFields((fields.get(objectField.number) ?? []).map(lengthDelimited));
    const raw = lastBytes(object.get(rawNumber) ?? []) ?? new Uint8Array(0);
    return { type: lastString(fields.get(typeNumber) ?? []), object: decodeKubeProtobuf(raw) };
  } catch (err) {
    if (err instanceof ProtobufDecodeError) throw new ProtobufDecodeError(`watch event: ${err.message}`);
    throw err;
  }
}
