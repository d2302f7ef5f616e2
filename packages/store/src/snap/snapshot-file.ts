// The snapshot file format: one self-checking file per snapshot. The same bytes are what the
// server streams to `etcdctl snapshot save` and what `k8ts store snapshot restore` reads, so the
// helpers here are pure and work on buffers.
//
//   "K8TSSNAP"                      8 bytes, magic
//   u32 LE version (1)              4 bytes
//   u32 LE metadata length          4 bytes
//   raftpb.SnapshotMetadata         metadata length bytes
//   u64 LE body length              8 bytes
//   body                            body length bytes (the state machine image)
//   zero padding                    up to a multiple of 512 bytes
//   SHA-256 of all of the above     32 bytes
//
// The padding is for `etcdctl snapshot save`: it accepts a stream only if it is a whole number
// of 512-byte blocks plus a trailing SHA-256 (etcd's own snapshots are bbolt pages + digest).
// Integers are little-endian like the WAL's. SHA-256 rather than a CRC: a snapshot can run to
// gigabytes and is copied between machines, where a 32-bit check lets too much slip through.
import { createHash } from 'node:crypto';
import { decodeMessage, encodeMessage } from '../proto.ts';
import type { SnapshotMetadata } from '../raft/types.ts';

const MAGIC = Buffer.from('K8TSSNAP', 'ascii');
const VERSION = 1;
const DIGEST_BYTES = 32;
/** Magic, version and metadata length. */
const PREFIX_BYTES = MAGIC.length + 4 + 4;
const BODY_LENGTH_BYTES = 8;
const MIN_FILE_BYTES = PREFIX_BYTES + BODY_LENGTH_BYTES + DIGEST_BYTES;
const BLOCK_BYTES = 512;

/** The bytes do not form a valid snapshot file. `problem` says what is wrong. */
export class SnapshotCorruptError extends Error {
  readonly code = 'SNAPSHOT_CORRUPT';

  constructor(readonly problem: string) {
    super(`snapshot corrupt: ${problem}`);
    this.name = 'SnapshotCorruptError';
  }
}

/**
 * The file as four pieces (everything before the body, the body itself, the padding, the
 * digest), so a writer can send a large body without copying it into a new buffer.
 */
export function snapshotFileParts(metadata: SnapshotMetadata, body: Uint8Array): [Buffer, Uint8Array, Buffer, Buffer] {
  const meta = encodeMetadata(metadata);
  const head = Buffer.alloc(PREFIX_BYTES + meta.length + BODY_LENGTH_BYTES);
  MAGIC.copy(head, 0);
  head.writeUInt32LE(VERSION, MAGIC.length);
  head.writeUInt32LE(meta.length, MAGIC.length + 4);
  head.set(meta, PREFIX_BYTES);
  head.writeBigUInt64LE(BigInt(body.length), PREFIX_BYTES + meta.length);
  const padding = Buffer.alloc((BLOCK_BYTES - ((head.length + body.length) % BLOCK_BYTES)) % BLOCK_BYTES);
  const digest = createHash('sha256').update(head).update(body).update(padding).digest();
  return [head, body, padding, digest];
}

export function encodeSnapshotFile(metadata: SnapshotMetadata, body: Uint8Array): Buffer {
  return Buffer.concat(snapshotFileParts(metadata, body));
}

/** Checks and splits a snapshot file; throws SnapshotCorruptError. The body is a view into buf. */
export function decodeSnapshotFile(buf: Uint8Array): { metadata: SnapshotMetadata; body: Buffer } {
  const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (bytes.length < MIN_FILE_BYTES) {
    throw new SnapshotCorruptError(`only ${bytes.length} bytes, fewer than the smallest snapshot file (${MIN_FILE_BYTES})`);
  }
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new SnapshotCorruptError('not a k8ts snapshot file (the magic "K8TSSNAP" is missing)');
  }
  const version = bytes.readUInt32LE(MAGIC.length);
  if (version !== VERSION) throw new SnapshotCorruptError(`unsupported format version ${version}`);

  const digestAt = bytes.length - DIGEST_BYTES;
  const actual = createHash('sha256').update(bytes.subarray(0, digestAt)).digest();
  if (!actual.equals(bytes.subarray(digestAt))) {
    throw new SnapshotCorruptError('SHA-256 checksum mismatch (the file is truncated or damaged)');
  }

  // The digest matched, so a bad length below means a broken writer rather than bit rot.
  const metaLength = bytes.readUInt32LE(MAGIC.length + 4);
  const bodyLengthAt = PREFIX_BYTES + metaLength;
  if (bodyLengthAt + BODY_LENGTH_BYTES > digestAt) {
    throw new SnapshotCorruptError(`metadata length ${metaLength} runs past the end of the file`);
  }
  const bodyLength = bytes.readBigUInt64LE(bodyLengthAt);
  const bodyAt = bodyLengthAt + BODY_LENGTH_BYTES;
  const paddingBytes = BigInt(digestAt - bodyAt) - bodyLength;
  if (paddingBytes < 0n || paddingBytes >= BigInt(BLOCK_BYTES)) {
    throw new SnapshotCorruptError(`body length ${bodyLength} does not match the ${digestAt - bodyAt} bytes present`);
  }
  let metadata: SnapshotMetadata;
  try {
    metadata = decodeMetadata(bytes.subarray(PREFIX_BYTES, bodyLengthAt));
  } catch (err) {
    throw new SnapshotCorruptError(`metadata does not decode: ${(err as Error).message}`);
  }
  return { metadata, body: bytes.subarray(bodyAt, bodyAt + Number(bodyLength)) };
}

function encodeMetadata(metadata: SnapshotMetadata): Uint8Array {
  return encodeMessage('raftpb.SnapshotMetadata', {
    conf_state: { voters: metadata.confState.voters, learners: metadata.confState.learners },
    index: metadata.index,
    term: metadata.term,
  });
}

function decodeMetadata(bytes: Uint8Array): SnapshotMetadata {
  const raw = decodeMessage<{
    conf_state: { voters: string[]; learners: string[] } | null;
    index: string;
    term: string;
  }>('raftpb.SnapshotMetadata', bytes);
  return {
    index: Number(raw.index),
    term: Number(raw.term),
    confState: { voters: raw.conf_state?.voters ?? [], learners: raw.conf_state?.learners ?? [] },
  };
}
