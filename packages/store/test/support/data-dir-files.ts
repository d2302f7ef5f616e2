// Reading and damaging a stopped member's files, for the crash tests. Only ever used on a data
// dir the test created, with the member stopped.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { encodeRecords, RecordType, scanRecords, type DecodedRecord } from '../../src/wal/record.ts';

export const walDir = (dataDir: string) => path.join(dataDir, 'member', 'wal');
export const snapDir = (dataDir: string) => path.join(dataDir, 'member', 'snap');
export const dbDir = (dataDir: string) => path.join(dataDir, 'member', 'db');

/** The WAL segment files, oldest first (full paths). */
export function walSegments(dataDir: string): string[] {
  const dir = walDir(dataDir);
  return fs
    .readdirSync(dir)
    .filter((file) => /^[0-9a-f]{16}-[0-9a-f]{16}\.wal$/.test(file))
    .sort()
    .map((file) => path.join(dir, file));
}

export function newestSegment(dataDir: string): string {
  const segments = walSegments(dataDir);
  if (segments.length === 0) throw new Error(`no WAL segments in ${walDir(dataDir)}`);
  return segments.at(-1)!;
}

export interface SegmentContents {
  records: DecodedRecord[];
  /** Checksum of the last record: the seed a record appended next would chain from. */
  lastCrc: number;
  size: number;
  damage: string | undefined;
}

export function readSegment(file: string): SegmentContents {
  const bytes = fs.readFileSync(file);
  const scan = scanRecords(bytes);
  return { records: scan.records, lastCrc: scan.lastCrc, size: bytes.length, damage: scan.damage?.problem };
}

/**
 * Appends the first `keep` bytes of a correctly framed and chained entry record of
 * `payloadBytes` bytes: what a write interrupted by a crash leaves. Returns the bytes appended.
 */
export function appendPartialRecord(file: string, payloadBytes: number, keep: number): number {
  const { lastCrc } = readSegment(file);
  const payload = Buffer.alloc(payloadBytes, 0x5a);
  const { bytes } = encodeRecords([{ type: RecordType.entry, payload }], lastCrc);
  if (keep >= bytes.length) throw new Error(`keep ${keep} must be shorter than the record (${bytes.length} bytes)`);
  fs.appendFileSync(file, bytes.subarray(0, keep));
  return keep;
}

export function appendZeros(file: string, count: number): void {
  fs.appendFileSync(file, Buffer.alloc(count));
}

export function xorByte(file: string, offset: number, mask = 0xff): void {
  const handle = fs.openSync(file, 'r+');
  try {
    const byte = Buffer.alloc(1);
    fs.readSync(handle, byte, 0, 1, offset);
    byte[0] ^= mask;
    fs.writeSync(handle, byte, 0, 1, offset);
  } finally {
    fs.closeSync(handle);
  }
}

/** relative path → sha256 of every file under dir (directories by their listing). */
export function treeDigest(dir: string): Map<string, string> {
  const digest = new Map<string, string>();
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(current, entry.name);
      const relative = path.relative(dir, full);
      if (entry.isDirectory()) {
        digest.set(`${relative}/`, 'dir');
        walk(full);
      } else {
        digest.set(relative, createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
      }
    }
  };
  walk(dir);
  return digest;
}

/** The newest snapshot file's index (from its `<term>-<index>.snap` name), 0 if there is none. */
export function newestSnapshotIndex(dataDir: string): number {
  const indexes = fs
    .readdirSync(snapDir(dataDir))
    .map((file) => /^[0-9a-f]{16}-([0-9a-f]{16})\.snap$/.exec(file))
    .filter((match) => match !== null)
    .map((match) => parseInt(match[1], 16));
  return indexes.length === 0 ? 0 : Math.max(...indexes);
}
