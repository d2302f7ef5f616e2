// Backend records are mvccpb.KeyValue protobufs, as in etcd.
import { messageType } from '../proto.ts';
import type { KeyValue } from './types.ts';

const KeyValueType = messageType('mvccpb.KeyValue');

interface LongLike {
  toString(): string;
}

const toNumber = (v: number | LongLike | undefined): number => (v === undefined ? 0 : Number(v.toString()));

export function encodeKeyValue(kv: KeyValue): Buffer {
  const bytes = KeyValueType.encode(kv as never).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function decodeKeyValue(bytes: Uint8Array): KeyValue {
  const m = KeyValueType.decode(bytes) as unknown as Record<string, Uint8Array | number | LongLike | undefined>;
  const key = m.key as Uint8Array | undefined;
  const value = m.value as Uint8Array | undefined;
  return {
    key: key ? Buffer.from(key) : Buffer.alloc(0),
    create_revision: toNumber(m.create_revision as LongLike),
    mod_revision: toNumber(m.mod_revision as LongLike),
    version: toNumber(m.version as LongLike),
    value: value ? Buffer.from(value) : Buffer.alloc(0),
    lease: m.lease === undefined ? '0' : m.lease.toString(),
  };
}
