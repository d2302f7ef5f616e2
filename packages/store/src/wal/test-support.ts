// Helpers shared by the WAL tests: throwaway directories, entries, and ways to damage files.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { Entry } from '../raft/types.ts';
import { encodeMessage } from '../proto.ts';
import { scanRecords } from './record.ts';

const created: string[] = [];
afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh empty directory, removed after the current test. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'k8ts-wal-test-'));
  created.push(dir);
  return dir;
}

export const METADATA = encodeMessage('k8tsstore.WalMetadata', { member_id: '42', cluster_id: '7' });

export function entry(index: number, term = 1, payload = `value-${index}-${term}`): Entry {
  return { index, term, type: 'EntryNormal', data: Buffer.from(payload) };
}

export function entries(from: number, to: number, term = 1): Entry[] {
  const list: Entry[] = [];
  for (let i = from; i <= to; i++) list.push(entry(i, term));
  return list;
}

/** Segment file names in dir, oldest first. */
export function segmentFiles(dir: string): string[] {
  return readdirSync(dir).filter((file) => file.endsWith('.wal')).sort();
}

export function lastSegment(dir: string): string {
  return path.join(dir, segmentFiles(dir).at(-1)!);
}

/** Byte offsets of the intact records in a segment file. */
export function recordOffsets(file: string): number[] {
  return scanRecords(readFileSync(file)).records.map((record) => record.offset);
}

export function flipByte(file: string, offset: number): void {
  const bytes = readFileSync(file);
  bytes[offset] ^= 0xff;
  writeFileSync(file, bytes);
}
