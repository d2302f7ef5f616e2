// One place that loads the store's .proto files, for gRPC (services) and for our own
// encodings (Raft entries in the WAL, internal requests, snapshot images).
//
// Conversion conventions, used on both sides of every boundary:
// - int64/uint64 fields decode as decimal strings (lease and member IDs use all 64 bits);
//   revisions, versions and counts are turned into JS numbers where they are used.
// - bytes decode as Buffer; enums decode as their names ("PUT", "EQUAL", …).
// - fields left unset decode as their defaults, and oneofs name the field that is set.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import protobuf from 'protobufjs';
import * as protoLoader from '@grpc/proto-loader';

export const PROTO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../proto');
const FILES = ['kv.proto', 'rpc.proto', 'raftpb.proto', 'internal.proto'];

export const CONVERSION = {
  longs: String,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
} as const;

/** The protobufjs reflection root holding every message of the store. */
export const protoRoot: protobuf.Root = (() => {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => path.join(PROTO_DIR, path.basename(target));
  root.loadSync(FILES, { keepCase: true });
  root.resolveAll();
  return root;
})();

/** The grpc-js package definition for the etcd v3 services. */
export function loadEtcdPackageDefinition(): protoLoader.PackageDefinition {
  return protoLoader.loadSync(path.join(PROTO_DIR, 'rpc.proto'), {
    ...CONVERSION,
    keepCase: true,
    includeDirs: [PROTO_DIR],
  });
}

const messageTypes = new Map<string, protobuf.Type>();

/** A message type by its full name, e.g. "raftpb.Entry" (looked up once: a lookup walks the namespace tree). */
export function messageType(fullName: string): protobuf.Type {
  let type = messageTypes.get(fullName);
  if (!type) messageTypes.set(fullName, (type = protoRoot.lookupType(fullName)));
  return type;
}

/** Encodes a plain object (numbers or decimal strings for 64-bit fields) as protobuf bytes. */
export function encodeMessage(fullName: string, value: object): Uint8Array {
  const type = messageType(fullName);
  return type.encode(type.fromObject(value)).finish();
}

/** Decodes protobuf bytes into a plain object using the conventions above. */
export function decodeMessage<T = Record<string, unknown>>(fullName: string, bytes: Uint8Array): T {
  const type = messageType(fullName);
  return type.toObject(type.decode(bytes), CONVERSION) as T;
}
