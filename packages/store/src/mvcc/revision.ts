// A revision is etcd's (main, sub) pair: main is the store-wide revision a write transaction
// created, sub orders the changes inside that transaction. The backend keys every stored
// KeyValue by its revision, so history is a range scan in revision order — which is exactly
// what a watch replaying from start_revision needs.

export interface Revision {
  main: number;
  sub: number;
}

/** Backend key prefix for revision-keyed KeyValue records. */
export const REVISION_KEY_PREFIX = 0x72; // 'r'
const TOMBSTONE_MARK = 0x74; // 't'
const REVISION_KEY_LENGTH = 1 + 8 + 1 + 8;

/** 'r' + 8-byte big-endian main + '_' + 8-byte big-endian sub (+ 't' when a tombstone). */
export function encodeRevisionKey(rev: Revision, tombstone = false): Buffer {
  const buf = Buffer.alloc(REVISION_KEY_LENGTH + (tombstone ? 1 : 0));
  buf[0] = REVISION_KEY_PREFIX;
  buf.writeBigUInt64BE(BigInt(rev.main), 1);
  buf[9] = 0x5f; // '_'
  buf.writeBigUInt64BE(BigInt(rev.sub), 10);
  if (tombstone) buf[REVISION_KEY_LENGTH] = TOMBSTONE_MARK;
  return buf;
}

export function decodeRevisionKey(key: Uint8Array): { rev: Revision; tombstone: boolean } {
  const buf = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  return {
    rev: { main: Number(buf.readBigUInt64BE(1)), sub: Number(buf.readBigUInt64BE(10)) },
    tombstone: buf.length > REVISION_KEY_LENGTH && buf[REVISION_KEY_LENGTH] === TOMBSTONE_MARK,
  };
}

/** The first backend key at or after revision main (sub 0). */
export function revisionKeyLowerBound(main: number): Buffer {
  return encodeRevisionKey({ main, sub: 0 });
}

export function compareRevisions(a: Revision, b: Revision): number {
  return a.main !== b.main ? a.main - b.main : a.sub - b.sub;
}
