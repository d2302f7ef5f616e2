// Reading a WAL directory back into a log, with every consistency rule that decides whether the
// result can be trusted. This module only reads; repairing a torn tail (truncating the newest
// segment) is left to Wal.open, which owns the file handles.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Entry, HardState } from '../raft/types.ts';
import { WalCorruptError, WalError } from './errors.ts';
import { decodeEntry, decodeHardState, decodeSnapshotPoint, type WalSnapshotPoint } from './payload.ts';
import { RecordType, scanRecords, type Damage, type DecodedRecord } from './record.ts';
import { listSegments, type SegmentName } from './segment-name.ts';

export interface RecoveredLog {
  /** Every segment in the directory, oldest first (including ones before the snapshot). */
  segments: SegmentName[];
  metadata: Uint8Array;
  hardState: HardState | undefined;
  /** The log after the snapshot point: consecutive indexes from snapshot.index + 1. */
  entries: Entry[];
  /** The log's last index: the last entry's, or a later snapshot marker's. */
  lastIndex: number;
  /** The newest segment, where appending resumes. */
  tail: {
    name: SegmentName;
    /** Length of its intact prefix. */
    validBytes: number;
    /** Checksum of its last intact record, the seed for the next one. */
    lastCrc: number;
    /** Set when the file ends in an interrupted append that must be cut off at validBytes. */
    torn?: Damage;
  };
}

/**
 * Reads the records that matter for a member restarting from `snapshot`: everything from the
 * newest segment that can hold the entry after it. Throws WalCorruptError for any damage other
 * than a torn tail in the newest segment, and WalError('WAL_NOT_FOUND') for an empty directory.
 */
export async function recoverLog(dir: string, snapshot: WalSnapshotPoint): Promise<RecoveredLog> {
  const segments = await listSegments(dir);
  if (segments.length === 0) throw new WalError('WAL_NOT_FOUND', `no WAL segments in ${dir}`);
  checkSequence(dir, segments);
  const start = findStartSegment(dir, segments, snapshot);

  const log = new LogBuilder(snapshot, segments[start].firstIndex - 1);
  let tail: RecoveredLog['tail'] | undefined;
  for (let i = start; i < segments.length; i++) {
    const name = segments[i];
    const file = path.join(dir, name.file);
    const isNewest = i === segments.length - 1;
    if (i > start && name.firstIndex !== log.lastIndex + 1) {
      throw new WalCorruptError(file, 0,
        `the file name says its first index is ${name.firstIndex}, but the log before it ends at index ${log.lastIndex}`);
    }
    const scan = scanRecords(await readFile(file));
    if (scan.damage && !(isNewest && scan.damage.looksTorn)) {
      const where = isNewest ? '' : ' (in a segment that is not the newest, so it cannot be an interrupted write)';
      throw new WalCorruptError(file, scan.damage.offset, scan.damage.problem + where);
    }
    if (scan.records[0]?.type !== RecordType.metadata) {
      throw new WalCorruptError(file, 0, 'the segment does not begin with a metadata record');
    }
    for (const record of scan.records) log.apply(file, record);
    if (isNewest) tail = { name, validBytes: scan.validBytes, lastCrc: scan.lastCrc, torn: scan.damage };
  }
  return { segments, ...log.result(dir), tail: tail! }; // the loop always ends at the newest segment
}

function checkSequence(dir: string, segments: SegmentName[]): void {
  for (let i = 1; i < segments.length; i++) {
    const file = path.join(dir, segments[i].file);
    const expected = segments[i - 1].seq + 1;
    if (segments[i].seq === segments[i - 1].seq) {
      throw new WalCorruptError(file, 0, `it has the same sequence number as ${segments[i - 1].file}`);
    }
    if (segments[i].seq !== expected) {
      throw new WalCorruptError(file, 0,
        `segment sequence jumps from ${segments[i - 1].seq} to ${segments[i].seq}: segment ${expected} is missing`);
    }
  }
}

/**
 * The newest segment whose first index is at most snapshot.index + 1. Segments before it hold
 * only entries the snapshot covers: when a segment is started, everything earlier has an index
 * below its first index, and entries the snapshot covers are committed, so never overwritten.
 */
function findStartSegment(dir: string, segments: SegmentName[], snapshot: WalSnapshotPoint): number {
  let start = -1;
  for (let i = 0; i < segments.length && segments[i].firstIndex <= snapshot.index + 1; i++) start = i;
  if (start < 0) {
    const oldest = segments[0];
    throw new WalCorruptError(path.join(dir, oldest.file), 0,
      `the oldest segment starts at index ${oldest.firstIndex}, but the snapshot covers only up to index ` +
      `${snapshot.index}: entries ${snapshot.index + 1}..${oldest.firstIndex - 1} are missing`);
  }
  return start;
}

/** Folds records into the log, enforcing that it stays gap-free and self-consistent. */
class LogBuilder {
  private metadata: Uint8Array | undefined;
  private hardState: HardState | undefined;
  private readonly entries: Entry[] = [];
  /** Where the last record applied came from, for errors found at the end. */
  private lastFile = '';

  constructor(
    private readonly snapshot: WalSnapshotPoint,
    public lastIndex: number,
  ) {}

  apply(file: string, record: DecodedRecord): void {
    this.lastFile = file;
    const corrupt = (problem: string) => new WalCorruptError(file, record.offset, problem);
    switch (record.type) {
      case RecordType.metadata:
        if (this.metadata && !Buffer.from(this.metadata).equals(record.payload)) {
          throw corrupt('the metadata record differs from the one in the earlier segments');
        }
        this.metadata = record.payload;
        break;
      case RecordType.hardState:
        this.hardState = decodePayload(corrupt, () => decodeHardState(record.payload));
        break;
      case RecordType.entry:
        this.applyEntry(decodePayload(corrupt, () => decodeEntry(record.payload)), corrupt);
        break;
      case RecordType.snapshot:
        this.applySnapshotMarker(decodePayload(corrupt, () => decodeSnapshotPoint(record.payload)), corrupt);
        break;
    }
  }

  private applyEntry(entry: Entry, corrupt: (problem: string) => WalCorruptError): void {
    if (entry.index > this.lastIndex + 1) {
      throw corrupt(`entry ${entry.index} follows index ${this.lastIndex}: the entries in between are missing`);
    }
    this.lastIndex = entry.index;
    if (entry.index <= this.snapshot.index) {
      // Covered by the snapshot, so not returned; it still supersedes anything read after it.
      this.entries.length = 0;
      return;
    }
    // Raft replaced a conflicting suffix: this entry supersedes everything from its index on.
    this.entries.length = Math.min(this.entries.length, entry.index - this.snapshot.index - 1);
    this.entries.push(entry);
  }

  private applySnapshotMarker(point: WalSnapshotPoint, corrupt: (problem: string) => WalCorruptError): void {
    if (point.index === this.snapshot.index && point.term !== this.snapshot.term) {
      throw corrupt(`a snapshot marker at index ${point.index} has term ${point.term}, ` +
        `but the snapshot being opened has term ${this.snapshot.term}`);
    }
    if (point.index > this.lastIndex && point.index > this.snapshot.index) {
      // The log jumped ahead to a snapshot received from the leader; the entries it skipped
      // were never in this WAL, so a restart from an older snapshot cannot be served.
      throw corrupt(`the log jumps from index ${this.lastIndex} to a snapshot at index ${point.index}, ` +
        `but the snapshot being opened is at index ${this.snapshot.index}: open from the newer snapshot`);
    }
    this.lastIndex = Math.max(this.lastIndex, point.index);
  }

  result(dir: string): Pick<RecoveredLog, 'metadata' | 'hardState' | 'entries' | 'lastIndex'> {
    if (!this.metadata) throw new WalCorruptError(dir, 0, 'no metadata record found');
    const knownUpTo = Math.max(this.lastIndex, this.snapshot.index);
    if (this.hardState && this.hardState.commit > knownUpTo) {
      // save() writes a batch's entries before its hard state, so a torn tail cannot cause this.
      throw new WalCorruptError(this.lastFile, 0,
        `the hard state says index ${this.hardState.commit} is committed, but the log ends at index ${knownUpTo}`);
    }
    return { metadata: this.metadata, hardState: this.hardState, entries: this.entries, lastIndex: this.lastIndex };
  }
}

function decodePayload<T>(corrupt: (problem: string) => WalCorruptError, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    throw corrupt(`the record passed its checksum but its payload does not decode: ${(err as Error).message}`);
  }
}
