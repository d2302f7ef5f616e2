// What open() does with damaged files: repair an interrupted final append, refuse everything else.
import { appendFileSync, readFileSync, renameSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../proto.ts';
import { encodeEntry, encodeHardState } from './payload.ts';
import { encodeRecords, RECORD_HEADER_BYTES, RecordType, scanRecords } from './record.ts';
import { entries, entry, flipByte, lastSegment, METADATA, recordOffsets, segmentFiles, tempDir } from './test-support.ts';
import { Wal, WalCorruptError } from './wal.ts';

const NO_SNAPSHOT = { index: 0, term: 0 };
const SMALL = { segmentBytes: 300 };

/** A one-segment WAL holding entries 1..10, then entry 11 saved alone as the final record. */
async function walEndingInEntry11(): Promise<{ dir: string; file: string; lastRecordStart: number }> {
  const dir = tempDir();
  const wal = await Wal.create(dir, METADATA);
  await wal.save({ term: 1, vote: '1', commit: 10 }, entries(1, 10));
  const lastRecordStart = statSync(lastSegment(dir)).size;
  await wal.save(undefined, [entry(11)]);
  await wal.close();
  return { dir, file: lastSegment(dir), lastRecordStart };
}

async function openFailure(dir: string): Promise<WalCorruptError> {
  const err = await Wal.open(dir, NO_SNAPSHOT).then(
    (opened) => { void opened.wal.close(); throw new Error('open() succeeded on a damaged WAL'); },
    (error: unknown) => error,
  );
  expect(err).toBeInstanceOf(WalCorruptError);
  expect(err).toMatchObject({ code: 'WAL_CORRUPT' });
  expect((err as Error).message).toContain('k8ts store snapshot restore');
  return err as WalCorruptError;
}

describe('torn tail repair', () => {
  it.each([
    ['inside the header', 5],
    ['inside the payload', RECORD_HEADER_BYTES + 3],
  ])('drops a final record cut off %s, and only that record', async (_where, keptBytes) => {
    const { dir, file, lastRecordStart } = await walEndingInEntry11();
    truncateSync(file, lastRecordStart + keptBytes);

    const opened = await Wal.open(dir, NO_SNAPSHOT);
    expect(opened.entries).toEqual(entries(1, 10));
    expect(opened.hardState).toEqual({ term: 1, vote: '1', commit: 10 });
    expect(opened.repairedTornTail).toEqual({ file, offset: lastRecordStart, droppedBytes: keptBytes, problem: expect.any(String) });
    expect(statSync(file).size).toBe(lastRecordStart);
    expect(opened.wal.lastIndex()).toBe(10);

    // Appending resumes cleanly after the cut: the checksum chain continues from entry 10.
    await opened.wal.save(undefined, [entry(11, 2)]);
    await opened.wal.close();
    const again = await Wal.open(dir, NO_SNAPSHOT);
    expect(again.entries).toEqual([...entries(1, 10), entry(11, 2)]);
    expect(again.repairedTornTail).toBeUndefined();
    await again.wal.close();
  });

  it('cuts off zero bytes appended after the last record', async () => {
    const { dir, file } = await walEndingInEntry11();
    const size = statSync(file).size;
    appendFileSync(file, Buffer.alloc(4096));

    const opened = await Wal.open(dir, NO_SNAPSHOT);
    expect(opened.entries).toEqual(entries(1, 11));
    expect(opened.repairedTornTail).toEqual({ file, offset: size, droppedBytes: 4096, problem: expect.stringMatching(/zero bytes/) });
    await opened.wal.close();
  });

  it('cuts off garbage that does not form a complete record', async () => {
    const { dir, file } = await walEndingInEntry11();
    const size = statSync(file).size;
    const garbage = Buffer.from('deadbeefcafebabe0123456789', 'hex'); // declares 0xefbeadde bytes
    appendFileSync(file, garbage);

    const opened = await Wal.open(dir, NO_SNAPSHOT);
    expect(opened.entries).toEqual(entries(1, 11));
    expect(opened.repairedTornTail).toEqual({
      file, offset: size, droppedBytes: garbage.length, problem: expect.stringMatching(/declares 4022250974 payload bytes/),
    });
    await opened.wal.close();
  });

  it('drops a final record that fails its checksum when only zeros follow', async () => {
    const { dir, file, lastRecordStart } = await walEndingInEntry11();
    flipByte(file, statSync(file).size - 1);
    appendFileSync(file, Buffer.alloc(100));

    const opened = await Wal.open(dir, NO_SNAPSHOT);
    expect(opened.entries).toEqual(entries(1, 10));
    expect(opened.repairedTornTail?.offset).toBe(lastRecordStart);
    await opened.wal.close();
  });

  it('removes a segment left half-started by a crash (stale .tmp)', async () => {
    const { dir } = await walEndingInEntry11();
    const stale = path.join(dir, '0000000000000001-000000000000000c.wal.tmp');
    writeFileSync(stale, Buffer.from([1, 2, 3]));
    const opened = await Wal.open(dir, NO_SNAPSHOT);
    expect(opened.entries).toEqual(entries(1, 11));
    await opened.wal.close();
    expect(() => statSync(stale)).toThrow();
  });
});

describe('damage that is refused', () => {
  it('a flipped byte in an early record, with intact records after it', async () => {
    const { dir, file } = await walEndingInEntry11();
    const third = recordOffsets(file)[3]; // records: metadata, entries 1..10, hard state, entry 11
    flipByte(file, third + RECORD_HEADER_BYTES + 2);

    const err = await openFailure(dir);
    expect(err.file).toBe(file);
    expect(err.offset).toBe(third);
    expect(err.message).toContain(file);
    expect(err.message).toContain(`byte ${third}`);
    expect(err.message).toMatch(/checksum mismatch/);
  });

  it('a damaged final record followed by bytes other than zeros', async () => {
    const { dir, file, lastRecordStart } = await walEndingInEntry11();
    flipByte(file, statSync(file).size - 1);
    appendFileSync(file, Buffer.from('not zeros'));
    const err = await openFailure(dir);
    expect(err.offset).toBe(lastRecordStart);
  });

  it('a length field damaged so the record seems to run past the end, with records after it', async () => {
    const { dir, file } = await walEndingInEntry11();
    const fifth = recordOffsets(file)[5];
    const bytes = readFileSync(file);
    bytes.writeUInt32LE(0x00ffffff, fifth);
    writeFileSync(file, bytes);

    const err = await openFailure(dir);
    expect(err.offset).toBe(fifth);
    expect(err.message).toMatch(/intact record follows/);
  });

  it('two records swapped (each intact, but the checksum chain breaks)', async () => {
    const { dir, file } = await walEndingInEntry11();
    const [, a, b, c] = recordOffsets(file); // entries 1 and 2 have equal sizes
    const bytes = readFileSync(file);
    const first = Buffer.from(bytes.subarray(a, b));
    bytes.copy(bytes, a, b, c);
    first.copy(bytes, a + (c - b));
    writeFileSync(file, bytes);

    const err = await openFailure(dir);
    expect(err.offset).toBe(a);
    expect(err.message).toMatch(/checksum mismatch/);
  });

  it('damage at the end of a segment that is not the newest', async () => {
    const dir = tempDir();
    const wal = await Wal.create(dir, METADATA, SMALL);
    for (let i = 1; i <= 30; i++) await wal.save(undefined, [entry(i)]);
    await wal.close();
    const files = segmentFiles(dir);
    expect(files.length).toBeGreaterThan(2);
    const middle = path.join(dir, files[1]);
    const offsets = recordOffsets(middle);
    flipByte(middle, statSync(middle).size - 1); // the last record: would pass as torn in the newest segment

    const err = await openFailure(dir);
    expect(err.file).toBe(middle);
    expect(err.offset).toBe(offsets.at(-1));
    expect(err.message).toMatch(/not the newest/);
  });

  it('a missing segment in the middle of the sequence', async () => {
    const dir = tempDir();
    const wal = await Wal.create(dir, METADATA, SMALL);
    for (let i = 1; i <= 30; i++) await wal.save(undefined, [entry(i)]);
    await wal.close();
    const files = segmentFiles(dir);
    unlinkSync(path.join(dir, files[1]));

    const err = await openFailure(dir);
    expect(err.file).toBe(path.join(dir, files[2]));
    expect(err.message).toMatch(/segment 1 is missing/);
  });

  it('a segment whose first index does not follow the one before', async () => {
    const dir = tempDir();
    const wal = await Wal.create(dir, METADATA, SMALL);
    for (let i = 1; i <= 30; i++) await wal.save(undefined, [entry(i)]);
    await wal.close();
    const files = segmentFiles(dir);
    const wrongName = `${files[2].slice(0, 17)}${'00000000000003e8'}.wal`;
    renameSync(path.join(dir, files[2]), path.join(dir, wrongName));

    const err = await openFailure(dir);
    expect(err.file).toBe(path.join(dir, wrongName));
    expect(err.message).toMatch(/first index is 1000/);
  });

  it('a record that passes its checksum but does not decode', async () => {
    const { dir, file } = await walEndingInEntry11();
    const at = statSync(file).size;
    appendChainedRecord(file, RecordType.entry,
      encodeMessage('raftpb.Entry', { Index: 12, Term: 1, Type: 'EntryConfChangeV2' }));

    const err = await openFailure(dir);
    expect(err.offset).toBe(at);
    expect(err.message).toMatch(/does not decode: unsupported entry type EntryConfChangeV2/);
  });

  it('an intact entry that skips indexes', async () => {
    const { dir, file } = await walEndingInEntry11();
    const at = statSync(file).size;
    appendChainedRecord(file, RecordType.entry, encodeEntry(entry(13)));

    const err = await openFailure(dir);
    expect(err.offset).toBe(at);
    expect(err.message).toMatch(/entry 13 follows index 11/);
  });

  it('a hard state committing past the end of the log', async () => {
    const { dir, file } = await walEndingInEntry11();
    appendChainedRecord(file, RecordType.hardState, encodeHardState({ term: 1, vote: '1', commit: 12 }));

    const err = await openFailure(dir);
    expect(err.message).toMatch(/index 12 is committed, but the log ends at index 11/);
  });
});

/** Appends a well-formed record, checksum chained to the file's last one, as a buggy writer might. */
function appendChainedRecord(file: string, type: RecordType, payload: Uint8Array): void {
  const { lastCrc } = scanRecords(readFileSync(file));
  appendFileSync(file, encodeRecords([{ type, payload }], lastCrc).bytes);
}
