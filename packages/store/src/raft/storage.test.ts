import { describe, expect, it } from 'vitest';
import { RaftStorageError } from './errors.ts';
import { MemoryStorage } from './storage.ts';
import type { Entry } from './types.ts';

function entry(index: number, term: number, bytes = 0): Entry {
  return { index, term, type: 'EntryNormal', data: new Uint8Array(bytes) };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof RaftStorageError) return err.code;
    throw err;
  }
  return undefined;
}

/** Storage whose log was compacted to (3, term 3) and holds entries 4 and 5. */
function compactedStorage(): MemoryStorage {
  const storage = new MemoryStorage();
  storage.append([entry(1, 1), entry(2, 2), entry(3, 3), entry(4, 4), entry(5, 5)]);
  storage.createSnapshot(3, { voters: ['1'], learners: [] }, new Uint8Array([9]));
  storage.compact(3);
  return storage;
}

describe('MemoryStorage', () => {
  it('starts empty, with index 0 known at term 0', () => {
    const storage = new MemoryStorage();
    expect(storage.firstIndex()).toBe(1);
    expect(storage.lastIndex()).toBe(0);
    expect(storage.term(0)).toBe(0);
    expect(storage.initialState().hardState).toEqual({ term: 0, vote: '0', commit: 0 });
  });

  it('reports terms, and COMPACTED / UNAVAILABLE outside the held range', () => {
    const storage = compactedStorage();
    expect(storage.firstIndex()).toBe(4);
    expect(storage.lastIndex()).toBe(5);
    expect(storage.term(3)).toBe(3); // the base stays known
    expect(storage.term(5)).toBe(5);
    expect(codeOf(() => storage.term(2))).toBe('COMPACTED');
    expect(codeOf(() => storage.term(6))).toBe('UNAVAILABLE');
  });

  it('returns entries in [lo, hi), size-limited but never empty', () => {
    const storage = new MemoryStorage();
    storage.append([entry(1, 1, 100), entry(2, 1, 100), entry(3, 1, 100)]);
    expect(storage.entries(1, 4).map((e) => e.index)).toEqual([1, 2, 3]);
    expect(storage.entries(2, 3).map((e) => e.index)).toEqual([2]);
    expect(storage.entries(1, 4, 250).map((e) => e.index)).toEqual([1, 2]);
    expect(storage.entries(1, 4, 1).map((e) => e.index)).toEqual([1]);
    expect(codeOf(() => storage.entries(1, 5))).toBe('UNAVAILABLE');
    expect(codeOf(() => compactedStorage().entries(3, 5))).toBe('COMPACTED');
  });

  it('append overwrites a conflicting suffix and skips compacted entries', () => {
    const storage = compactedStorage();
    storage.append([entry(3, 3), entry(4, 6), entry(5, 6), entry(6, 6)]);
    expect(storage.entries(4, 7).map((e) => e.term)).toEqual([6, 6, 6]);
    storage.append([entry(5, 7)]);
    expect(storage.lastIndex()).toBe(5);
    expect(storage.term(5)).toBe(7);
    expect(() => storage.append([entry(8, 7)])).toThrow(/gap/);
  });

  it('createSnapshot / compact / applySnapshot keep snapshot and base consistent', () => {
    const storage = compactedStorage();
    expect(storage.snapshot().metadata).toEqual({ index: 3, term: 3, confState: { voters: ['1'], learners: [] } });
    expect(codeOf(() => storage.createSnapshot(3, { voters: [], learners: [] }, new Uint8Array()))).toBe('SNAP_OUT_OF_DATE');
    expect(codeOf(() => storage.compact(2))).toBe('COMPACTED');

    storage.applySnapshot({ metadata: { index: 10, term: 8, confState: { voters: ['1', '2'], learners: [] } }, data: new Uint8Array() });
    expect(storage.firstIndex()).toBe(11);
    expect(storage.lastIndex()).toBe(10);
    expect(storage.term(10)).toBe(8);
    expect(storage.initialState().confState.voters).toEqual(['1', '2']);
    expect(codeOf(() => storage.applySnapshot(storage.snapshot()))).toBe('SNAP_OUT_OF_DATE');
    storage.append([entry(11, 8)]);
    expect(storage.entries(11, 12)[0].term).toBe(8);
  });

  it('remembers the hard state', () => {
    const storage = new MemoryStorage();
    storage.setHardState({ term: 4, vote: '2', commit: 3 });
    expect(storage.initialState().hardState).toEqual({ term: 4, vote: '2', commit: 3 });
  });
});
