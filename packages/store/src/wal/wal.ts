// The write-ahead log: Raft's hard state and entries, made durable before Raft acts on them.
//
// On disk it is a directory of segment files (see segment-name.ts), each a chain of checksummed
// records (see record.ts). Appends go to the newest segment; once it passes `segmentBytes` a new
// one is started, beginning with the metadata and the current hard state so that any segment can
// be read without its predecessors, and older ones can be purged once a snapshot covers them.
//
// Durability contract: save() and saveSnapshot() resolve only after the data is fdatasync'd, and
// files appear or disappear only with their directory fsync'd. Hence the only damage a crash can
// leave is an unfinished append at the end of the newest segment, which open() cuts off; nothing
// acknowledged lives there. Any other damage is reported, never skipped.
import { readdirSync } from 'node:fs';
import { open, readdir, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Entry, HardState } from '../raft/types.ts';
import { fsyncDir, mkdirDurably, writeFileAtomically, writeFully } from './durable-fs.ts';
import { WalError } from './errors.ts';
import { encodeEntry, encodeHardState, encodeSnapshotPoint, type WalSnapshotPoint } from './payload.ts';
import { encodeRecords, RecordType, type RecordToWrite } from './record.ts';
import { recoverLog } from './recover.ts';
import { parseSegmentFileName, segmentFileName, type SegmentName } from './segment-name.ts';

export { WalCorruptError, WalError } from './errors.ts';
export type { WalSnapshotPoint } from './payload.ts';

export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

export interface WalOptions {
  /** Start a new segment once the current one reaches this size. Default 64 MiB. */
  segmentBytes?: number;
}

export interface TornTailRepair {
  /** The segment that was truncated. */
  file: string;
  /** Where it now ends: the start of the unfinished record. */
  offset: number;
  droppedBytes: number;
  /** What was found there, e.g. a record running past the end of the file. */
  problem: string;
}

export interface OpenedWal {
  wal: Wal;
  metadata: Uint8Array;
  hardState: HardState | undefined;
  /** The entries after the snapshot point, with overwritten suffixes already replaced. */
  entries: Entry[];
  repairedTornTail?: TornTailRepair;
}

/** The segment being appended to. */
interface ActiveSegment {
  name: SegmentName;
  handle: FileHandle;
  bytes: number;
  /** Checksum of its last record, which the next record's checksum continues from. */
  lastCrc: number;
}

export class Wal {
  /** Operations run one at a time, in call order; this is the tail of that queue. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Set by close(); its presence refuses new operations. */
  private closed: Promise<void> | undefined;
  /** The error of a write or fsync that failed; once set, no further writes are attempted. */
  private failure: unknown;

  private constructor(
    private readonly dir: string,
    private readonly metadata: Uint8Array,
    private readonly segmentBytes: number,
    /** All segments on disk, oldest first; the last is the active one. */
    private segments: SegmentName[],
    private active: ActiveSegment,
    private hardState: HardState | undefined,
    private last: number,
  ) {}

  /** Whether dir holds a WAL (at least one segment file). */
  static exists(dir: string): boolean {
    try {
      return readdirSync(dir).some((file) => parseSegmentFileName(file) !== undefined);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /** Creates a new, empty WAL in dir (created if needed) whose segments carry `metadata`. */
  static async create(dir: string, metadata: Uint8Array, opts: WalOptions = {}): Promise<Wal> {
    if (Wal.exists(dir)) throw new WalError('WAL_EXISTS', `a WAL already exists in ${dir}`);
    await mkdirDurably(dir);
    const first = await startSegment(dir, 0, 1, metadata, undefined);
    return new Wal(dir, metadata, opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES, [first.name], first, undefined, 0);
  }

  /**
   * Opens the WAL in dir for a member restarting from the snapshot at `snapshot` (index 0 for
   * none) and returns what it must restore: metadata, last hard state and the entries after the
   * snapshot. An interrupted append at the very end is cut off and reported in repairedTornTail;
   * any other damage throws WalCorruptError.
   */
  static async open(dir: string, snapshot: WalSnapshotPoint, opts: WalOptions = {}): Promise<OpenedWal> {
    const log = await recoverLog(dir, snapshot);
    await removeStaleTemporaries(dir);
    const tailFile = path.join(dir, log.tail.name.file);
    const handle = await open(tailFile, 'a');
    let repairedTornTail: TornTailRepair | undefined;
    try {
      if (log.tail.torn) {
        const { size } = await handle.stat();
        await handle.truncate(log.tail.validBytes);
        await handle.sync();
        repairedTornTail = {
          file: tailFile,
          offset: log.tail.validBytes,
          droppedBytes: size - log.tail.validBytes,
          problem: log.tail.torn.problem,
        };
      }
    } catch (err) {
      await handle.close();
      throw err;
    }
    const active = { name: log.tail.name, handle, bytes: log.tail.validBytes, lastCrc: log.tail.lastCrc };
    const wal = new Wal(dir, log.metadata, opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES, log.segments, active,
      log.hardState, log.lastIndex);
    return { wal, metadata: log.metadata, hardState: log.hardState, entries: log.entries, repairedTornTail };
  }

  /**
   * Appends entries, then the hard state (if given), as one write followed by one fdatasync, and
   * resolves once they are durable. Entries must continue the log: the first may repeat an index
   * already written (Raft replacing a conflicting suffix), but must not leave a gap. Concurrent
   * calls are applied one after another in call order.
   */
  save(hardState: HardState | undefined, entries: Entry[]): Promise<void> {
    return this.enqueue(async () => {
      this.checkContinues(entries);
      const records: RecordToWrite[] = entries.map((entry) => ({ type: RecordType.entry, payload: encodeEntry(entry) }));
      // Entries before the hard state: if the write is torn, the commit index it carries can
      // then never point past the entries that made it to disk.
      if (hardState) records.push({ type: RecordType.hardState, payload: encodeHardState(hardState) });
      if (records.length === 0) return;
      await this.append(records);
      if (entries.length > 0) this.last = entries[entries.length - 1].index;
      if (hardState) this.hardState = hardState;
      await this.cutIfFull();
    });
  }

  /**
   * Records that a snapshot covering the log up to `snapshot` exists, durably. Call it after the
   * snapshot file itself is saved, and before purging. It also lets the log continue after a
   * snapshot received from the leader that lies beyond the last entry.
   */
  saveSnapshot(snapshot: WalSnapshotPoint): Promise<void> {
    return this.enqueue(async () => {
      await this.append([{ type: RecordType.snapshot, payload: encodeSnapshotPoint(snapshot) }]);
      this.last = Math.max(this.last, snapshot.index);
      await this.cutIfFull();
    });
  }

  /**
   * Deletes the oldest segments whose entries the snapshot at `snapshotIndex` covers, leaving at
   * least `keepFiles` segments and never the active one. Returns the removed file names.
   */
  purge(snapshotIndex: number, keepFiles = 5): Promise<string[]> {
    return this.enqueue(async () => {
      const removed: string[] = [];
      // Segment i's live entries all lie below the first index of segment i + 1.
      while (
        this.segments.length > Math.max(keepFiles, 1) &&
        this.segments[1].firstIndex <= snapshotIndex + 1
      ) {
        const oldest = this.segments[0];
        await unlink(path.join(this.dir, oldest.file));
        this.segments = this.segments.slice(1);
        removed.push(oldest.file);
      }
      if (removed.length > 0) await fsyncDir(this.dir);
      return removed;
    });
  }

  /** Index of the last entry saved (or of a later snapshot marker); 0 for an empty log. */
  lastIndex(): number {
    return this.last;
  }

  /** Waits for queued operations, then closes the active segment. Later calls are refused. */
  close(): Promise<void> {
    this.closed ??= this.runInOrder(() => this.active.handle.close());
    return this.closed;
  }

  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new WalError('WAL_CLOSED', `the WAL in ${this.dir} is closed`));
    return this.runInOrder(op);
  }

  private runInOrder<T>(op: () => Promise<T>): Promise<T> {
    const result = this.queue.then(op);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private checkContinues(entries: Entry[]): void {
    let expectedAtMost = this.last + 1;
    for (const entry of entries) {
      if (entry.index > expectedAtMost || entry.index < 1) {
        throw new WalError('WAL_ENTRY_GAP',
          `cannot save entry ${entry.index}: the log continues at index ${expectedAtMost}` +
          (entry === entries[0] ? ' (to continue after a snapshot from the leader, call saveSnapshot first)' : ''));
      }
      expectedAtMost = entry.index + 1;
    }
  }

  /**
   * Writes records to the active segment and fdatasyncs it. If either step fails the WAL stops
   * accepting writes for good: after a failed fsync the kernel may have dropped the dirty pages,
   * so a retry could report success for data that never reached the disk.
   */
  private async append(records: RecordToWrite[]): Promise<void> {
    if (this.failure !== undefined) {
      throw new WalError('WAL_FAILED', `an earlier write to the WAL in ${this.dir} failed; restart the member`,
        { cause: this.failure });
    }
    const { bytes, lastCrc } = encodeRecords(records, this.active.lastCrc);
    try {
      await writeFully(this.active.handle, bytes);
      await this.active.handle.datasync();
    } catch (err) {
      this.failure = err;
      throw err;
    }
    this.active.bytes += bytes.length;
    this.active.lastCrc = lastCrc;
  }

  /** Starts the next segment once the active one has reached the size limit. */
  private async cutIfFull(): Promise<void> {
    if (this.active.bytes < this.segmentBytes) return;
    try {
      const next = await startSegment(this.dir, this.active.name.seq + 1, this.last + 1, this.metadata, this.hardState);
      await this.active.handle.close();
      this.active = next;
      this.segments = [...this.segments, next.name];
    } catch (err) {
      this.failure = err;
      throw err;
    }
  }
}

/**
 * Creates a segment that already holds its metadata and hard state records, atomically: a crash
 * leaves either no new segment or a complete one (never a headless file to second-guess).
 */
async function startSegment(
  dir: string, seq: number, firstIndex: number, metadata: Uint8Array, hardState: HardState | undefined,
): Promise<ActiveSegment> {
  const records: RecordToWrite[] = [{ type: RecordType.metadata, payload: metadata }];
  if (hardState) records.push({ type: RecordType.hardState, payload: encodeHardState(hardState) });
  const { bytes, lastCrc } = encodeRecords(records, 0);
  const name: SegmentName = { seq, firstIndex, file: segmentFileName(seq, firstIndex) };
  const file = path.join(dir, name.file);
  await writeFileAtomically(file, [bytes]);
  return { name, handle: await open(file, 'a'), bytes: bytes.length, lastCrc };
}

/** Removes `*.wal.tmp` files a crash left behind while a segment was being started. */
async function removeStaleTemporaries(dir: string): Promise<void> {
  const stale = (await readdir(dir)).filter((file) => file.endsWith('.wal.tmp'));
  for (const file of stale) await unlink(path.join(dir, file));
  if (stale.length > 0) await fsyncDir(dir);
}
