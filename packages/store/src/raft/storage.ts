// Stable storage as the Raft core sees it, and an in-memory implementation of it.
//
// The core only ever READS storage. The application writes to it while processing a Ready:
// it persists entries, hard state and snapshots durably (its WAL) and mirrors them into the
// Storage the core reads from, before calling advance().
import { RaftStorageError } from './errors.ts';
import { limitSize } from './entry-size.ts';
import type { ConfState, Entry, HardState, Snapshot } from './types.ts';
import { NO_NODE } from './types.ts';

export interface InitialState {
  hardState: HardState;
  confState: ConfState;
}

/** What the Raft core needs to read from stable storage. */
export interface Storage {
  /** The saved hard state and the membership as of the latest snapshot. */
  initialState(): InitialState;
  /** Entries in [lo, hi), cut short (but never empty) once their size passes maxBytes. */
  entries(lo: number, hi: number, maxBytes?: number): Entry[];
  /** The term of entry `index`; valid for firstIndex()-1 … lastIndex(). */
  term(index: number): number;
  /** Index of the first entry still available (older ones live only in the snapshot). */
  firstIndex(): number;
  lastIndex(): number;
  /** The latest snapshot; throws UNAVAILABLE if one is being produced and is not ready yet. */
  snapshot(): Snapshot;
}

export function emptyHardState(): HardState {
  return { term: 0, vote: NO_NODE, commit: 0 };
}

export function emptySnapshot(): Snapshot {
  return { metadata: { index: 0, term: 0, confState: { voters: [], learners: [] } }, data: new Uint8Array() };
}

/**
 * Storage held in memory, like etcd-raft's MemoryStorage. It holds the log after a "base"
 * position: `baseIndex`/`baseTerm` name the entry just before the first one held, whose
 * term must stay known so that an append right after it can be checked (log matching).
 * The base is the latest snapshot's index, or further along after compact().
 */
export class MemoryStorage implements Storage {
  private hardState: HardState = emptyHardState();
  private snap: Snapshot = emptySnapshot();
  private baseIndex = 0;
  private baseTerm = 0;
  /** entries[k] has index baseIndex + 1 + k. */
  private log: Entry[] = [];

  initialState(): InitialState {
    return { hardState: { ...this.hardState }, confState: cloneConfState(this.snap.metadata.confState) };
  }

  setHardState(hardState: HardState): void {
    this.hardState = { ...hardState };
  }

  firstIndex(): number {
    return this.baseIndex + 1;
  }

  lastIndex(): number {
    return this.baseIndex + this.log.length;
  }

  term(index: number): number {
    if (index < this.baseIndex) throw new RaftStorageError('COMPACTED', `term(${index}): compacted up to ${this.baseIndex}`);
    if (index === this.baseIndex) return this.baseTerm;
    if (index > this.lastIndex()) throw new RaftStorageError('UNAVAILABLE', `term(${index}): last index is ${this.lastIndex()}`);
    return this.log[index - this.baseIndex - 1].term;
  }

  entries(lo: number, hi: number, maxBytes = Infinity): Entry[] {
    if (lo <= this.baseIndex) throw new RaftStorageError('COMPACTED', `entries(${lo}): compacted up to ${this.baseIndex}`);
    if (hi > this.lastIndex() + 1) {
      throw new RaftStorageError('UNAVAILABLE', `entries(${lo}, ${hi}): last index is ${this.lastIndex()}`);
    }
    const first = this.firstIndex();
    return limitSize(this.log.slice(lo - first, hi - first), maxBytes);
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /**
   * Appends entries, replacing any held entries at the same or later indexes: a new leader
   * may have overwritten our uncommitted tail. Entries already compacted are skipped.
   */
  append(entries: Entry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndex();
    const fresh = entries.filter((entry) => entry.index >= first);
    if (fresh.length === 0) return;
    const keep = fresh[0].index - first;
    if (keep > this.log.length) {
      throw new Error(`MemoryStorage.append: gap, entry ${fresh[0].index} after last index ${this.lastIndex()}`);
    }
    this.log.length = keep; // drop the replaced suffix (usually nothing)
    for (const entry of fresh) this.log.push(entry);
  }

  /** Replaces the whole log with a snapshot received from the leader. */
  applySnapshot(snapshot: Snapshot): void {
    const { index, term } = snapshot.metadata;
    if (index <= this.snap.metadata.index) {
      throw new RaftStorageError('SNAP_OUT_OF_DATE', `snapshot at ${index} is not newer than ${this.snap.metadata.index}`);
    }
    this.snap = snapshot;
    this.baseIndex = index;
    this.baseTerm = term;
    this.log = [];
  }

  /**
   * Records a snapshot of the application's state at `index` (which it has applied), so
   * the leader can send it to followers that fall behind the compacted log.
   */
  createSnapshot(index: number, confState: ConfState, data: Uint8Array): Snapshot {
    if (index <= this.snap.metadata.index) {
      throw new RaftStorageError('SNAP_OUT_OF_DATE', `snapshot at ${index} is not newer than ${this.snap.metadata.index}`);
    }
    if (index > this.lastIndex()) throw new Error(`createSnapshot(${index}) is beyond last index ${this.lastIndex()}`);
    this.snap = { metadata: { index, term: this.term(index), confState: cloneConfState(confState) }, data };
    return this.snap;
  }

  /** Drops entries up to and including `index`; create a snapshot covering them first. */
  compact(index: number): void {
    if (index <= this.baseIndex) throw new RaftStorageError('COMPACTED', `compact(${index}): already compacted up to ${this.baseIndex}`);
    if (index > this.lastIndex()) throw new Error(`compact(${index}) is beyond last index ${this.lastIndex()}`);
    this.baseTerm = this.term(index);
    this.log = this.log.slice(index - this.baseIndex);
    this.baseIndex = index;
  }
}

export function cloneConfState(confState: ConfState): ConfState {
  return { voters: [...confState.voters], learners: [...confState.learners] };
}
