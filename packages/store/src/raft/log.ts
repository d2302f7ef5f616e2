// The Raft log: stable entries (read from Storage) followed by unstable ones (not yet
// persisted), plus the two cursors that move along it:
//
//   firstIndex ≤ applied ≤ committed ≤ lastIndex
//
// `committed` — known to be on a quorum of nodes, so it can never be lost or overwritten.
// `applied`   — handed to the application's state machine (confirmed by advance()).
import { RaftStorageError } from './errors.ts';
import { limitSize } from './entry-size.ts';
import type { Storage } from './storage.ts';
import type { Entry, Snapshot } from './types.ts';
import { Unstable } from './unstable.ts';

export class RaftLog {
  readonly storage: Storage;
  readonly unstable: Unstable;
  committed: number;
  applied: number;
  /** Cap on the size of committed entries handed out in one Ready. */
  private readonly maxApplyBytes: number;

  constructor(storage: Storage, maxApplyBytes: number) {
    this.storage = storage;
    this.maxApplyBytes = maxApplyBytes;
    this.unstable = new Unstable(storage.lastIndex() + 1);
    // Everything up to the snapshot is committed and applied by definition.
    this.committed = storage.firstIndex() - 1;
    this.applied = storage.firstIndex() - 1;
  }

  firstIndex(): number {
    return this.unstable.firstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.lastIndex() ?? this.storage.lastIndex();
  }

  lastTerm(): number {
    const term = this.term(this.lastIndex());
    if (term === undefined) throw new Error(`raft log: term of last index ${this.lastIndex()} unknown`);
    return term;
  }

  /**
   * The term of entry `index`, or undefined when it is not known here: compacted into a
   * snapshot, or beyond the last index. firstIndex()-1 is always known (the snapshot's).
   */
  term(index: number): number | undefined {
    if (index < this.firstIndex() - 1 || index > this.lastIndex()) return undefined;
    const fromUnstable = this.unstable.term(index);
    if (fromUnstable !== undefined) return fromUnstable;
    try {
      return this.storage.term(index);
    } catch (err) {
      if (err instanceof RaftStorageError) return undefined;
      throw err;
    }
  }

  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /**
   * The election restriction (§5.4.1): a voter only grants its vote to a candidate whose log
   * is at least as up to date as its own — later last term, or same last term and at
   * least as long. This keeps committed entries in every future leader's log.
   */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const myTerm = this.lastTerm();
    return lastTerm > myTerm || (lastTerm === myTerm && lastIndex >= this.lastIndex());
  }

  /**
   * A follower's handling of the leader's MsgApp: if our log holds (prevIndex, prevTerm),
   * append the entries after it (dropping a conflicting suffix) and learn the leader's
   * commit index. Returns the index of the last new entry, or undefined when the logs do
   * not match at prevIndex and the leader must back up.
   */
  maybeAppend(prevIndex: number, prevTerm: number, leaderCommit: number, entries: Entry[]): number | undefined {
    if (!this.matchTerm(prevIndex, prevTerm)) return undefined;
    const lastNew = prevIndex + entries.length;
    const conflict = this.findConflict(entries);
    if (conflict !== 0) {
      if (conflict <= this.committed) {
        throw new Error(`raft log: entry ${conflict} conflicts with committed entry (committed ${this.committed})`);
      }
      this.append(entries.slice(conflict - (prevIndex + 1)));
    }
    // Only what we now know matches the leader may be committed: not past lastNew.
    this.commitTo(Math.min(leaderCommit, lastNew));
    return lastNew;
  }

  /** Appends entries (possibly overwriting an uncommitted tail); returns the new last index. */
  append(entries: Entry[]): number {
    if (entries.length === 0) return this.lastIndex();
    const after = entries[0].index - 1;
    if (after < this.committed) throw new Error(`raft log: append after ${after} would overwrite committed ${this.committed}`);
    this.unstable.truncateAndAppend(entries);
    return this.lastIndex();
  }

  /**
   * The index of the first entry that is new to us or whose term differs from ours; 0 if
   * every entry is already present (a duplicate or reordered MsgApp).
   */
  findConflict(entries: Entry[]): number {
    for (const entry of entries) {
      if (!this.matchTerm(entry.index, entry.term)) return entry.index;
    }
    return 0;
  }

  /**
   * The last index ≤ `index` whose term is ≤ `term`. A follower rejecting a MsgApp sends
   * this as a hint so the leader can skip a whole run of mismatching entries in one round
   * trip, instead of backing up one entry at a time.
   */
  findConflictByTerm(index: number, term: number): { index: number; term: number } {
    for (let i = index; i >= 0; i--) {
      const ourTerm = this.term(i);
      // Unknown (compacted) terms: stop here, the leader will fall back to a snapshot.
      if (ourTerm === undefined) return { index: i, term: 0 };
      if (ourTerm <= term) return { index: i, term: ourTerm };
    }
    return { index: 0, term: 0 };
  }

  /** Entries the application still has to persist. */
  unstableEntries(): Entry[] {
    return this.unstable.entries;
  }

  /** A snapshot the application still has to persist and apply. */
  pendingSnapshot(): Snapshot | undefined {
    return this.unstable.snapshot;
  }

  /** Committed entries not yet applied (size-capped), for the next Ready. */
  nextCommittedEntries(): Entry[] {
    const lo = Math.max(this.applied + 1, this.firstIndex());
    if (this.committed + 1 <= lo) return [];
    return this.slice(lo, this.committed + 1, this.maxApplyBytes);
  }

  hasNextCommittedEntries(): boolean {
    return this.committed + 1 > Math.max(this.applied + 1, this.firstIndex());
  }

  /** Entries from `lo` to the end, size-capped. Throws COMPACTED if `lo` was compacted. */
  entries(lo: number, maxBytes: number): Entry[] {
    if (lo > this.lastIndex()) return [];
    return this.slice(lo, this.lastIndex() + 1, maxBytes);
  }

  /** The snapshot to send a lagging follower: a pending one is newer than Storage's. */
  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  /** Entries in [lo, hi), reading stable ones from Storage and the rest from Unstable. */
  slice(lo: number, hi: number, maxBytes: number): Entry[] {
    if (lo < this.firstIndex()) throw new RaftStorageError('COMPACTED', `raft log: ${lo} compacted (first ${this.firstIndex()})`);
    if (hi > this.lastIndex() + 1) throw new Error(`raft log: slice [${lo}, ${hi}) beyond last ${this.lastIndex()}`);
    if (lo === hi) return [];
    let result: Entry[] = [];
    const offset = this.unstable.offset;
    if (lo < offset) {
      result = this.storage.entries(lo, Math.min(hi, offset), maxBytes);
      // Storage stopped early because of the size cap: do not add more.
      if (result.length < Math.min(hi, offset) - lo) return result;
    }
    if (hi > offset) result = result.concat(this.unstable.slice(Math.max(lo, offset), hi));
    return limitSize(result, maxBytes);
  }

  commitTo(index: number): void {
    if (index <= this.committed) return; // never decreases
    if (index > this.lastIndex()) throw new Error(`raft log: commit ${index} beyond last index ${this.lastIndex()}`);
    this.committed = index;
  }

  /**
   * The leader's commit rule (§5.4.2): an index agreed by a quorum becomes committed only if
   * its entry is from the current term. Older-term entries get committed indirectly, by the
   * current-term entries after them (see Figure 8 of the Raft paper for why).
   */
  maybeCommit(quorumIndex: number, currentTerm: number): boolean {
    if (quorumIndex > this.committed && this.term(quorumIndex) === currentTerm) {
      this.commitTo(quorumIndex);
      return true;
    }
    return false;
  }

  appliedTo(index: number): void {
    if (index === 0) return;
    if (index > this.committed || index < this.applied) {
      throw new Error(`raft log: applied ${index} out of range [${this.applied}, ${this.committed}]`);
    }
    this.applied = index;
  }

  stableTo(index: number, term: number): void {
    this.unstable.stableTo(index, term);
  }

  stableSnapTo(index: number): void {
    this.unstable.stableSnapTo(index);
  }

  /** Replaces the log with a snapshot from the leader; everything in it is committed. */
  restore(snapshot: Snapshot): void {
    this.committed = snapshot.metadata.index;
    this.unstable.restore(snapshot);
  }
}
