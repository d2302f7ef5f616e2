// The in-memory index from user key to the revisions at which that key changed (etcd's
// treeIndex). Values live in the backend; the index answers "which record is visible at
// revision R" and carries the per-revision metadata (create revision, version, lease) that
// comparisons and count-only reads need without touching the backend.
//
// Keys are held as latin1 strings (one char per byte) so that JavaScript's string ordering is
// byte ordering, the order etcd sorts keys in.
import type { Revision } from './revision.ts';

export interface KeyRevision extends Revision {
  /** main revision of the put that created this incarnation of the key */
  create: number;
  /** number of puts since creation (0 for a tombstone) */
  version: number;
  lease: string;
  tombstone: boolean;
  /** bytes of the backend record, so compaction can keep the size estimate without reading it */
  recordBytes: number;
}

export function keyString(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
}

export function keyBytes(key: string): Buffer {
  return Buffer.from(key, 'latin1');
}

/** All changes of one key, oldest first. */
class KeyHistory {
  readonly changes: KeyRevision[] = [];

  /** The change visible at revision atRev, or undefined when the key did not exist then. */
  visibleAt(atRev: number): KeyRevision | undefined {
    const i = this.lastIndexAtOrBefore(atRev);
    if (i < 0) return undefined;
    const change = this.changes[i];
    return change.tombstone ? undefined : change;
  }

  lastIndexAtOrBefore(atRev: number): number {
    let lo = 0;
    let hi = this.changes.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.changes[mid].main <= atRev) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}

export class KeyIndex {
  private readonly histories = new Map<string, KeyHistory>();
  /** Every indexed key in byte order, for range scans (binary insertion keeps it sorted). */
  private sortedKeys: string[] = [];

  get keyCount(): number {
    return this.histories.size;
  }

  /** The latest change of key (tombstone included), for computing the next put/delete. */
  latest(key: string): KeyRevision | undefined {
    const h = this.histories.get(key);
    return h ? h.changes[h.changes.length - 1] : undefined;
  }

  visibleAt(key: string, atRev: number): KeyRevision | undefined {
    return this.histories.get(key)?.visibleAt(atRev);
  }

  record(key: string, change: KeyRevision): void {
    let h = this.histories.get(key);
    if (!h) {
      h = new KeyHistory();
      this.histories.set(key, h);
      this.sortedKeys.splice(lowerBound(this.sortedKeys, key), 0, key);
    }
    h.changes.push(change);
  }

  /**
   * Keys in [start, end) — or just start when end is undefined; end '' means "to the end of
   * the key space" (etcd's range_end "\0") — in byte order.
   */
  keysInRange(start: string, end: string | undefined): string[] {
    if (end === undefined) return this.histories.has(start) ? [start] : [];
    const keys = this.sortedKeys;
    const from = lowerBound(keys, start);
    const to = end === '' ? keys.length : lowerBound(keys, end);
    return from < to ? keys.slice(from, to) : [];
  }

  /**
   * Drops history that is invisible at every revision ≥ compactRev: per key, everything before
   * the last change at or before compactRev, and that change too when it is a tombstone.
   * Returns the changes whose backend records may now be deleted.
   */
  compact(compactRev: number): KeyRevision[] {
    const dropped: KeyRevision[] = [];
    let removedKeys = false;
    for (const [key, h] of this.histories) {
      const i = h.lastIndexAtOrBefore(compactRev);
      if (i < 0) continue;
      const dropThrough = h.changes[i].tombstone ? i : i - 1;
      if (dropThrough < 0) continue;
      dropped.push(...h.changes.splice(0, dropThrough + 1));
      if (h.changes.length === 0) {
        this.histories.delete(key);
        removedKeys = true;
      }
    }
    if (removedKeys) this.sortedKeys = this.sortedKeys.filter((k) => this.histories.has(k));
    return dropped;
  }

}

function lowerBound(sorted: string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
