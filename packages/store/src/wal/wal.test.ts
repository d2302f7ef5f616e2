import { readFileSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { HardState } from '../raft/types.ts';
import { decodeEntry, decodeHardState } from './payload.ts';
import { RecordType, scanRecords } from './record.ts';
import { entries, entry, METADATA, segmentFiles, tempDir } from './test-support.ts';
import { Wal, WalCorruptError, WalError } from './wal.ts';

const SMALL = { segmentBytes: 300 };
const NO_SNAPSHOT = { index: 0, term: 0 };

describe('Wal round trip', () => {
  it('restores metadata, the last hard state and all entries across several segments', async () => {
    const dir = tempDir();
    const wal = await Wal.create(dir, METADATA, SMALL);
    let hardState: HardState | undefined;
    for (let batch = 0; batch < 10; batch++) {
      hardState = { term: 2, vote: '18446744073709551615', commit: batch * 4 };
      await wal.save(hardState, entries(batch * 4 + 1, batch * 4 + 4, 2));
    }
    expect(wal.lastIndex()).toBe(40);
    await wal.close();

    const files = segmentFiles(dir);
    expect(files.length).toBeGreaterThan(3);
    expect(files[0]).toBe('0000000000000000-0000000000000001.wal');

    const opened = await Wal.open(dir, NO_SNAPSHOT, SMALL);
    expect(Buffer.from(opened.metadata)).toEqual(Buffer.from(METADATA));
    expect(opened.hardState).toEqual(hardState);
    expect(opened.entries).toEqual(entries(1, 40, 2));
    expect(opened.repairedTornTail).toBeUndefined();
    expect(opened.wal.lastIndex()).toBe(40);
    await opened.wal.close();
  });

  it('names each segment after the index that follows and starts it with metadata and hard state', async () => {
    const dir = tempDir();
    const wal = await Wal.create(dir, METADATA, SMALL);
    const hardState = { term: 3, vote: '5', commit: 7 };
    for (let i = 1; i <= 30; i++) await wal.save(hardState, [entry(i, 3)]);
    await wal.close();

    for (const file of segmentFiles(dir).slice(1)) {
      const { records } = scanRecords(readFileSync(path.join(dir, file)));
      expect(records[0].type).toBe(RecordType.metadata);
      expect(records[1].type).toBe(RecordType.hardState);
      expect(decodeHardState(records[1].payload)).toEqual(hardState);
      const firstIndex = parseInt(file.slice(17, 33), 16);
      const firstEntry = records.find((record) => record.type === RecordType.entry)!;
      expect(decodeEntry(firstEntry.payload).index).toBe(firstIndex);
    }
  });

  it('keeps the latest of several entries written at the same index (conflicting suffix)', async () => {
    const dir = tempDir();
    const wal = await Wal.create(dir, METADATA, SMALL);
    await wal.save(undefined, entries(1, 20, 1));
    // A new leader overwrites 12.. in term 2; by now we are in a later segment than the originals.
    await wal.save({ term: 2, vote: '0', commit: 11 }, entries(12, 14, 2));
    await wal.save(undefined, entries(15, 16, 2));
    expect(wal.lastIndex()).toBe(16);
    await wal.save(undefined, entries(17, 40, 2)); // cuts more segments after the overwrite
    await wal.close();

    const { entries: restored, wal: reopened } = await Wal.open(dir, NO_SNAPSHOT, SMALL);
    expect(restored).toEqual([...entries(1, 11, 1), ...entries(12, 40, 2)]);
    await reopened.close();
  });

  it('serializes concurrent saves in call order', async () => {
    const dir = tempDir();
    const wal = await Wal.create(dir, METADATA, SMALL);
    await Promise.all(Array.from({ length: 25 }, (_, i) => wal.save({ term: 1, vote: '1', commit: i }, [entry(i + 1)])));
    await wal.close();

    const opened = await Wal.open(dir, NO_SNAPSHOT);
    expect(opened.entries).toEqual(entries(1, 25));
    expect(opened.hardState?.commit).toBe(24);
    await opened.wal.close();
  });

  it('saves a large batch with one write and one fdatasync, and reads it back', async () => {
    const dir = tempDir();
    const wal = await Wal.create(dir, METADATA);
    const fileHandle = Object.getPrototypeOf(await probeHandle()) as FileHandle;
    const writes = vi.spyOn(fileHandle, 'write');
    const datasyncs = vi.spyOn(fileHandle, 'datasync');
    const batch = entries(1, 5000);
    try {
      await wal.save({ term: 1, vote: '1', commit: 5000 }, batch);
      expect(writes).toHaveBeenCalledTimes(1);
      expect(datasyncs).toHaveBeenCalledTimes(1);
    } finally {
      vi.restoreAllMocks();
    }
    await wal.close();
    const opened = await Wal.open(dir, NO_SNAPSHOT);
    expect(opened.entries).toEqual(batch);
    await opened.wal.close();
  });

  it('round-trips conf-change entries and empty data', async () => {
    const dir = tempDir();
    const wal = await Wal.create(dir, METADATA);
    const list = [
      { index: 1, term: 1, type: 'EntryConfChange' as const, data: Buffer.from([1, 2, 3]) },
      { index: 2, term: 1, type: 'EntryNormal' as const, data: Buffer.alloc(0) },
    ];
    await wal.save(undefined, list);
    await wal.close();
    const opened = await Wal.open(dir, NO_SNAPSHOT);
    expect(opened.entries).toEqual(list);
    await opened.wal.close();
  });
});

describe('Wal snapshots and purge', () => {
  it('opens from a snapshot marker, skipping the entries it covers', async () => {
    const dir = tempDir();
    const wal = await Wal.create(dir, METADATA, SMALL);
    await wal.save({ term: 1, vote: '1', commit: 20 }, entries(1, 20));
    await wal.saveSnapshot({ index: 10, term: 1 });
    await wal.save(undefined, entries(21, 25));
    await wal.close();

    const opened = await Wal.open(dir, { index: 10, term: 1 }, SMALL);
    expect(opened.entries).toEqual(entries(11, 25));
    expect(opened.hardState).toEqual({ term: 1, vote: '1', commit: 20 });
    await opened.wal.close();
  });

  it('refuses a snapshot whose term contradicts the marker at the same index', async () => {
    const dir = tempDir();
    const wal = await Wal.create(dir, METADATA);
    await wal.save(undefined, entries(1, 5));
    await wal.saveSnapshot({ index: 5, term: 1 });
    await wal.close();
    await expect(Wal.open(dir, { index: 5, term: 9 })).rejects.toThrow(/term 9/);
  });

  it('continues after a snapshot from the leader that lies beyond the log', async () => {
    const dir = tempDir();
    const wal = await Wal.create(dir, METADATA, SMALL);
    await wal.save(undefined, entries(1, 3));
    await expect(wal.save(undefined, [entry(101)])).rejects.toMatchObject({ code: 'WAL_ENTRY_GAP' });
    await wal.saveSnapshot({ index: 100, term: 4 });
    await wal.save({ term: 4, vote: '2', commit: 100 }, entries(101, 120, 4));
    await wal.close();

    const opened = await Wal.open(dir, { index: 100, term: 4 }, SMALL);
    expect(opened.entries).toEqual(entries(101, 120, 4));
    await opened.wal.close();
    // From an older snapshot, entries 4..100 would be needed but were never in this WAL.
    await expect(Wal.open(dir, NO_SNAPSHOT)).rejects.toThrow(/jumps from index 3 to a snapshot at index 100/);
  });

  it('purges segments the snapshot covers, keeping what reopening from it needs', async () => {
    const dir = tempDir();
    const wal = await Wal.create(dir, METADATA, SMALL);
    for (let i = 1; i <= 100; i += 5) await wal.save({ term: 1, vote: '1', commit: i + 4 }, entries(i, i + 4));
    await wal.saveSnapshot({ index: 60, term: 1 });
    const before = segmentFiles(dir);

    const removed = await wal.purge(60, 2);
    const after = segmentFiles(dir);
    expect(removed.length).toBeGreaterThan(0);
    expect([...removed, ...after]).toEqual(before);
    // The oldest remaining segment is the newest one that can hold entry 61.
    const firstIndexes = after.map((file) => parseInt(file.slice(17, 33), 16));
    expect(firstIndexes[0]).toBeLessThanOrEqual(61);
    expect(firstIndexes[1]).toBeGreaterThan(61);
    await wal.close();

    const opened = await Wal.open(dir, { index: 60, term: 1 }, SMALL);
    expect(opened.entries).toEqual(entries(61, 100));
    expect(opened.hardState).toEqual({ term: 1, vote: '1', commit: 100 });
    await opened.wal.close();

    const tooOld = await Wal.open(dir, NO_SNAPSHOT).catch((err: unknown) => err);
    expect(tooOld).toBeInstanceOf(WalCorruptError);
    expect((tooOld as WalCorruptError).message).toMatch(/entries 1\.\.\d+ are missing/);
  });

  it('keeps at least keepFiles segments and never the active one', async () => {
    const dir = tempDir();
    const wal = await Wal.create(dir, METADATA, SMALL);
    await wal.save(undefined, entries(1, 50));
    for (let i = 51; i <= 80; i++) await wal.save(undefined, [entry(i)]);
    const count = segmentFiles(dir).length;
    expect(count).toBeGreaterThanOrEqual(4);

    expect(await wal.purge(80, count)).toEqual([]);
    expect(await wal.purge(80, 3)).toHaveLength(count - 3);
    expect(segmentFiles(dir)).toHaveLength(3);
    await wal.purge(1_000_000, 0);
    expect(segmentFiles(dir)).toHaveLength(1);
    await wal.save(undefined, [entry(81)]);
    await wal.close();

    const opened = await Wal.open(dir, { index: 80, term: 1 });
    expect(opened.entries).toEqual([entry(81)]);
    await opened.wal.close();
  });

  it('purges nothing the snapshot does not cover', async () => {
    const dir = tempDir();
    const wal = await Wal.create(dir, METADATA, SMALL);
    for (let i = 1; i <= 40; i++) await wal.save(undefined, [entry(i)]);
    expect(await wal.purge(0, 0)).toEqual([]);
    await wal.close();
  });
});

describe('Wal misuse', () => {
  it('refuses to create over an existing WAL and to open an empty directory', async () => {
    const dir = tempDir();
    expect(Wal.exists(dir)).toBe(false);
    await expect(Wal.open(dir, NO_SNAPSHOT)).rejects.toMatchObject({ code: 'WAL_NOT_FOUND' });
    const wal = await Wal.create(dir, METADATA);
    expect(Wal.exists(dir)).toBe(true);
    await expect(Wal.create(dir, METADATA)).rejects.toMatchObject({ code: 'WAL_EXISTS' });
    await wal.close();
  });

  it('creates missing parent directories', async () => {
    const dir = path.join(tempDir(), 'member', 'wal');
    const wal = await Wal.create(dir, METADATA);
    await wal.close();
    expect(statSync(dir).isDirectory()).toBe(true);
  });

  it('refuses gaps inside a batch and operations after close', async () => {
    const dir = tempDir();
    const wal = await Wal.create(dir, METADATA);
    const gap = await wal.save(undefined, [entry(1), entry(3)]).catch((err: unknown) => err);
    expect(gap).toBeInstanceOf(WalError);
    expect(gap).toMatchObject({ code: 'WAL_ENTRY_GAP' });
    expect(wal.lastIndex()).toBe(0);
    await wal.close();
    await expect(wal.save(undefined, [entry(1)])).rejects.toMatchObject({ code: 'WAL_CLOSED' });
  });
});

/** A closed FileHandle, only to reach the FileHandle prototype (the class is not exported). */
async function probeHandle(): Promise<FileHandle> {
  const handle = await open(path.join(tempDir(), 'probe'), 'w');
  await handle.close();
  return handle;
}
