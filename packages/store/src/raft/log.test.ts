import { describe, expect, it } from 'vitest';
import { RaftLog } from './log.ts';
import { MemoryStorage } from './storage.ts';
import type { Entry } from './types.ts';

function entry(index: number, term: number, bytes = 0): Entry {
  return { index, term, type: 'EntryNormal', data: new Uint8Array(bytes) };
}

/** A log whose storage holds entries with the given terms at indexes 1, 2, … */
function logWithTerms(terms: number[], maxApplyBytes = Infinity): RaftLog {
  const storage = new MemoryStorage();
  storage.append(terms.map((term, i) => entry(i + 1, term)));
  return new RaftLog(storage, maxApplyBytes);
}

const terms = (log: RaftLog, lo: number) => log.slice(lo, log.lastIndex() + 1, Infinity).map((e) => e.term);

describe('RaftLog', () => {
  it('appends after a matching entry and truncates a conflicting uncommitted suffix', () => {
    const log = logWithTerms([1, 1, 2, 2]);
    // Mismatch at the previous entry: refuse.
    expect(log.maybeAppend(3, 1, 0, [entry(4, 3)])).toBeUndefined();
    // Match at (2, 1); entry 3 conflicts (term 2 vs 3): replace 3 and drop 4.
    expect(log.maybeAppend(2, 1, 3, [entry(3, 3)])).toBe(3);
    expect(terms(log, 1)).toEqual([1, 1, 3]);
    expect(log.committed).toBe(3);
    // A duplicate of what we have changes nothing (no truncation of later entries).
    log.maybeAppend(3, 3, 3, [entry(4, 3), entry(5, 3)]);
    expect(log.maybeAppend(1, 1, 3, [entry(2, 1)])).toBe(2);
    expect(log.lastIndex()).toBe(5);
  });

  it('never commits past the last entry known to match the leader', () => {
    const log = logWithTerms([1, 1, 1, 1]);
    // The leader's commit is 4, but it only vouched for entries up to 2 in this message.
    log.maybeAppend(1, 1, 4, [entry(2, 1)]);
    expect(log.committed).toBe(2);
  });

  it('refuses to overwrite committed entries', () => {
    const log = logWithTerms([1, 1, 1]);
    log.commitTo(3);
    expect(() => log.maybeAppend(1, 1, 3, [entry(2, 2)])).toThrow(/committed/);
  });

  it('commits by quorum only entries of the current term (Figure 8)', () => {
    const log = logWithTerms([1, 2, 2]);
    expect(log.maybeCommit(3, 4)).toBe(false); // a quorum holds 3, but it is from term 2
    expect(log.committed).toBe(0);
    log.append([entry(4, 4)]);
    expect(log.maybeCommit(4, 4)).toBe(true); // a current-term entry carries the older ones
    expect(log.committed).toBe(4);
  });

  it('finds the rejection hint: last index at or below, with term at most the given one', () => {
    const log = logWithTerms([1, 1, 3, 3, 3, 5]);
    expect(log.findConflictByTerm(6, 4)).toEqual({ index: 5, term: 3 });
    expect(log.findConflictByTerm(6, 2)).toEqual({ index: 2, term: 1 });
    expect(log.findConflictByTerm(6, 5)).toEqual({ index: 6, term: 5 });
    expect(log.findConflictByTerm(6, 0)).toEqual({ index: 0, term: 0 });
  });

  it('applies the election restriction in isUpToDate', () => {
    const log = logWithTerms([1, 2, 2]);
    expect(log.isUpToDate(1, 3)).toBe(true); // later last term wins even if shorter
    expect(log.isUpToDate(3, 2)).toBe(true);
    expect(log.isUpToDate(2, 2)).toBe(false); // same term, shorter
    expect(log.isUpToDate(9, 1)).toBe(false); // older term, however long
  });

  it('reads across storage and unstable entries, and stableTo moves the boundary', () => {
    const log = logWithTerms([1, 1]);
    log.append([entry(3, 2), entry(4, 2)]);
    expect(log.unstableEntries().map((e) => e.index)).toEqual([3, 4]);
    expect(terms(log, 1)).toEqual([1, 1, 2, 2]);
    log.stableTo(3, 2);
    expect(log.unstableEntries().map((e) => e.index)).toEqual([4]);
    // A stale acknowledgement (entry 4 was replaced by a term-3 one meanwhile) is ignored.
    log.append([entry(4, 3)]);
    log.stableTo(4, 2);
    expect(log.unstableEntries().map((e) => [e.index, e.term])).toEqual([[4, 3]]);
  });

  it('hands out committed entries once, size-capped, after applied', () => {
    const storage = new MemoryStorage();
    storage.append([entry(1, 1, 100), entry(2, 1, 100), entry(3, 1, 100)]);
    const log = new RaftLog(storage, 250);
    log.commitTo(3);
    expect(log.nextCommittedEntries().map((e) => e.index)).toEqual([1, 2]);
    log.appliedTo(2);
    expect(log.nextCommittedEntries().map((e) => e.index)).toEqual([3]);
    log.appliedTo(3);
    expect(log.hasNextCommittedEntries()).toBe(false);
  });

  it('restores from a snapshot: everything before it is gone and committed', () => {
    const log = logWithTerms([1, 1, 1]);
    log.restore({ metadata: { index: 10, term: 4, confState: { voters: ['1'], learners: [] } }, data: new Uint8Array() });
    expect(log.firstIndex()).toBe(11);
    expect(log.lastIndex()).toBe(10);
    expect(log.committed).toBe(10);
    expect(log.term(10)).toBe(4);
    expect(log.term(3)).toBeUndefined();
    expect(log.pendingSnapshot()?.metadata.index).toBe(10);
    expect(log.nextCommittedEntries()).toEqual([]);
  });
});
