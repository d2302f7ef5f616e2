// The Kubernetes protobuf envelope (media type application/vnd.kubernetes.protobuf): the magic
// "k8s\0", then a runtime.Unknown whose typeMeta names apiVersion/kind and whose raw bytes are
// the typed message. The reference encoder writes contentEncoding and contentType as empty
// strings; readers ignore them.
import type { JsonObject, KubeObject } from '../object.ts';
import { schema } from '../schema/registry.ts';
import { parseApiVersion, type MessageSchema } from '../schema/types.ts';
import { decodeMessage, lastBytes, lastString, lengthDelimited, type DecodeContext } from './decode.ts';
import { encodeFields } from './encode.ts';
import { ProtobufDecodeError, ProtobufEncodeError } from './errors.ts';
import { fieldNamed, messageOf } from './schema-fields.ts';
import { readFields } from './wire-reader.ts';
import { WireWriter } from './wire-writer.ts';

export const KUBE_PROTOBUF_MAGIC: Buffer = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const unknown = schema.message('k8s.io.apimachinery.pkg.runtime.Unknown');
const typeMetaField = fieldNamed(unknown, 'typeMeta');
const typeMeta = messageOf(typeMetaField);
const apiVersionNumber = fieldNamed(typeMeta, 'apiVersion').number;
const kindNumber = fieldNamed(typeMeta, 'kind').number;
const rawNumber = fieldNamed(unknown, 'raw').number;
const contentEncodingNumber = fieldNamed(unknown, 'contentEncoding').number;
const contentTypeNumber = fieldNamed(unknown, 'contentType').number;

interface Envelope {
  readonly apiVersion: string;
  readonly kind: string;
  readonly raw: Uint8Array;
}

/**
 * Decodes "k8s\0" + runtime.Unknown + typed message into the object's JSON form (as the JSON API
 * carries it). Anything that is not such a body, or names a kind this API does not have, is a
 * ProtobufDecodeError saying what and where.
 */
export function decodeKubeProtobuf(body: Uint8Array): KubeObject {
  const ctx: DecodeContext = { depth: 0, path: [], decodeEmbedded: (bytes, inner) => decodeObject(readEnvelope(bytes), inner) };
  let subject = 'protobuf body';
  try {
    const envelope = readEnvelope(body);
    subject = `${envelope.apiVersion} ${envelope.kind}`;
    return decodeObject(envelope, ctx) as KubeObject;
  } catch (err) {
    if (!(err instanceof ProtobufDecodeError)) throw err;
    const where = ctx.path.length > 0 ? `${ctx.path.join('.').replace(/\.\[/g, '[')}: ` : '';
    throw new ProtobufDecodeError(`${subject}: ${where}${err.message}`);
  }
}

function readEnvelope(body: Uint8Array): Envelope {
  // the same checks, in the same words, as the reference protobuf serializer
  if (body.length === 0) throw new ProtobufDecodeError('empty data');
  if (body.length < 4 || !KUBE_PROTOBUF_MAGIC.equals(body.subarray(0, 4))) {
    throw new ProtobufDecodeError(`provided data does not appear to be a protobuf message, expected prefix [${[...KUBE_PROTOBUF_MAGIC].join(' ')}]`);
  }
  if (body.length === 4) throw new ProtobufDecodeError('empty body');
  // a plain view: slices of a Buffer are Buffers, which cost more to make than Uint8Arrays
  const fields = readFields([new Uint8Array(body.buffer, body.byteOffset + 4, body.byteLength - 4)]);
  const meta = readFields((fields.get(typeMetaField.number) ?? []).map(lengthDelimited));
  const apiVersion = lastString(meta.get(apiVersionNumber) ?? []);
  const kind = lastString(meta.get(kindNumber) ?? []);
  if (kind === '') throw new ProtobufDecodeError("Object 'Kind' is missing in the protobuf envelope");
  if (apiVersion === '') throw new ProtobufDecodeError("Object 'apiVersion' is missing in the protobuf envelope");
  return { apiVersion, kind, raw: lastBytes(fields.get(rawNumber) ?? []) ?? new Uint8Array(0) };
}

function decodeObject({ apiVersion, kind, raw }: Envelope, ctx: DecodeContext): JsonObject {
  const message = kindMessage(apiVersion, kind);
  if (!message) throw new ProtobufDecodeError(`no kind "${kind}" is registered for version "${apiVersion}"`);
  // Go writes TypeMeta (kind, then apiVersion) before the object's own fields
  return { kind, apiVersion, ...(decodeMessage([raw], message, ctx) as JsonObject) };
}

function kindMessage(apiVersion: string, kind: string): MessageSchema | undefined {
  return schema.kindSchema({ ...parseApiVersion(apiVersion), kind });
}

/**
 * The reverse: object JSON (with apiVersion/kind) ⇒ "k8s\0" + Unknown envelope, byte for byte as
 * the reference encoder writes it.
 */
export function encodeKubeProtobuf(obj: KubeObject): Buffer {
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || apiVersion === '' || typeof kind !== 'string' || kind === '') {
    throw new ProtobufEncodeError('the object needs apiVersion and kind to be written as protobuf');
  }
  const message = kindMessage(apiVersion, kind);
  if (!message) throw new ProtobufEncodeError(`no kind "${kind}" is registered for version "${apiVersion}"`);
  const w = new WireWriter();
  const meta = w.begin(typeMetaField.number);
  w.string(apiVersionNumber, apiVersion);
  w.string(kindNumber, kind);
  w.end(meta);
  const raw = w.begin(rawNumber);
  encodeFields(w, obj, message, []);
  w.end(raw);
  w.string(contentEncodingNumber, '');
  w.string(contentTypeNumber, '');
  return Buffer.concat([KUBE_PROTOBUF_MAGIC, w.finish()]);
}
