import { describe, expect, it } from 'vitest';
import type { SnapshotMetadata } from '../raft/types.ts';
import { decodeSnapshotFile, encodeSnapshotFile, SnapshotCorruptError } from './snapshot-file.ts';

const META: SnapshotMetadata = {
  index: 1234,
  term: 7,
  confState: { voters: ['1', '18446744073709551615'], learners: ['9'] },
};
const BODY = Buffer.from('the state machine image');

function problemOf(bytes: Uint8Array): string {
  try {
    decodeSnapshotFile(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(SnapshotCorruptError);
    expect(err).toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
    return (err as SnapshotCorruptError).problem;
  }
  throw new Error('decodeSnapshotFile accepted damaged bytes');
}

describe('snapshot file format', () => {
  it('round-trips metadata (64-bit member IDs included) and body', () => {
    const decoded = decodeSnapshotFile(encodeSnapshotFile(META, BODY));
    expect(decoded.metadata).toEqual(META);
    expect(decoded.body).toEqual(BODY);
  });

  it('lays out magic, version, metadata length, metadata, body length, body, padding, SHA-256', () => {
    const bytes = encodeSnapshotFile(META, BODY);
    expect(bytes.subarray(0, 8).toString('ascii')).toBe('K8TSSNAP');
    expect(bytes.readUInt32LE(8)).toBe(1);
    const metaLength = bytes.readUInt32LE(12);
    expect(bytes.readBigUInt64LE(16 + metaLength)).toBe(BigInt(BODY.length));
    const unpadded = 16 + metaLength + 8 + BODY.length;
    expect(bytes.length - 32).toBe(Math.ceil(unpadded / 512) * 512);
    // etcdctl snapshot save insists on whole 512-byte blocks plus a SHA-256 trailer
    expect(bytes.length % 512).toBe(32);
    expect(bytes.subarray(unpadded, bytes.length - 32).every((b) => b === 0)).toBe(true);
  });

  it('handles an empty body and empty conf state', () => {
    const meta = { index: 0, term: 0, confState: { voters: [], learners: [] } };
    expect(decodeSnapshotFile(encodeSnapshotFile(meta, new Uint8Array(0)))).toEqual({ metadata: meta, body: Buffer.alloc(0) });
  });

  it('rejects a flipped bit anywhere', () => {
    const bytes = encodeSnapshotFile(META, BODY);
    for (const offset of [20, bytes.length - 40, bytes.length - 1]) {
      const damaged = Buffer.from(bytes);
      damaged[offset] ^= 0x01;
      expect(problemOf(damaged)).toMatch(/checksum mismatch/);
    }
  });

  it('rejects truncation, foreign files and unknown versions', () => {
    const bytes = encodeSnapshotFile(META, BODY);
    expect(problemOf(bytes.subarray(0, bytes.length - 1))).toMatch(/checksum mismatch/);
    expect(problemOf(bytes.subarray(0, 10))).toMatch(/fewer than the smallest/);
    expect(problemOf(Buffer.alloc(100, 0x41))).toMatch(/magic/);
    const future = Buffer.from(bytes);
    future.writeUInt32LE(2, 8);
    expect(problemOf(future)).toMatch(/version 2/);
  });
});
