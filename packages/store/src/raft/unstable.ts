// The part of the log that the application has not yet persisted.
//
// New entries (appended by a leader, or received by a follower) and a snapshot received from
// the leader live here until a Ready hands them to the application and advance() confirms
// they are on stable storage. Only then do reads of them move over to Storage.
import type { Entry, Snapshot } from './types.ts';

export class Unstable {
  /** A snapshot received from the leader, waiting to be persisted. */
  snapshot: Snapshot | undefined;
  entries: Entry[] = [];
  /** The index of entries[0]; entries before it are (or are about to be) in Storage. */
  offset: number;

  constructor(offset: number) {
    this.offset = offset;
  }

  /** The first log index, if a pending snapshot decides it. */
  firstIndex(): number | undefined {
    return this.snapshot ? this.snapshot.metadata.index + 1 : undefined;
  }

  /** The last log index, if pending entries or a pending snapshot decide it. */
  lastIndex(): number | undefined {
    if (this.entries.length > 0) return this.offset + this.entries.length - 1;
    return this.snapshot?.metadata.index;
  }

  /** The term of `index`, if it is held here. */
  term(index: number): number | undefined {
    if (index < this.offset) {
      const snap = this.snapshot?.metadata;
      return snap && snap.index === index ? snap.term : undefined;
    }
    const last = this.lastIndex();
    if (last === undefined || index > last) return undefined;
    return this.entries[index - this.offset].term;
  }

  /**
   * Entries up to `index` were persisted. The term check guards against a race: if the
   * entry at `index` was replaced by a newer leader meanwhile, the persisted one was a
   * different entry and the new one must stay unstable.
   */
  stableTo(index: number, term: number): void {
    if (index < this.offset || this.term(index) !== term) return;
    this.entries = this.entries.slice(index + 1 - this.offset);
    this.offset = index + 1;
  }

  stableSnapTo(index: number): void {
    if (this.snapshot && this.snapshot.metadata.index === index) this.snapshot = undefined;
  }

  /** A snapshot from the leader replaces everything: the log restarts right after it. */
  restore(snapshot: Snapshot): void {
    this.offset = snapshot.metadata.index + 1;
    this.entries = [];
    this.snapshot = snapshot;
  }

  /** Appends `entries`, first truncating anything at or after entries[0].index. */
  truncateAndAppend(entries: Entry[]): void {
    const after = entries[0].index;
    if (after === this.offset + this.entries.length) {
      // The common case (a leader's proposals): extend in place, no copying.
      for (const entry of entries) this.entries.push(entry);
    } else if (after <= this.offset) {
      // Replaces all unstable entries, and shadows stable ones from `after` on: the next
      // Ready makes the application overwrite them in Storage.
      this.offset = after;
      this.entries = [...entries];
    } else {
      this.entries = this.entries.slice(0, after - this.offset).concat(entries);
    }
  }

  /** Entries in [lo, hi); the caller guarantees offset <= lo <= hi <= lastIndex+1. */
  slice(lo: number, hi: number): Entry[] {
    return this.entries.slice(lo - this.offset, hi - this.offset);
  }
}
