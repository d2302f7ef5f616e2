import { describe, expect, it } from 'vitest';
import { KeyIndex, type KeyRevision } from './key-index.ts';

const put = (main: number, create: number, version: number): KeyRevision => ({ main, sub: 0, create, version, lease: '0', tombstone: false, recordBytes: 10 });
const del = (main: number): KeyRevision => ({ main, sub: 0, create: 0, version: 0, lease: '0', tombstone: true, recordBytes: 10 });

describe('KeyIndex', () => {
  it('answers which change of a key is visible at a revision, tombstones hiding the key', () => {
    const idx = new KeyIndex();
    idx.record('a', put(2, 2, 1));
    idx.record('a', put(4, 2, 2));
    idx.record('a', del(6));
    idx.record('a', put(8, 8, 1));
    expect(idx.visibleAt('a', 1)).toBeUndefined();
    expect(idx.visibleAt('a', 3)?.main).toBe(2);
    expect(idx.visibleAt('a', 5)?.version).toBe(2);
    expect(idx.visibleAt('a', 7)).toBeUndefined();
    expect(idx.visibleAt('a', 9)).toMatchObject({ main: 8, create: 8, version: 1 });
  });

  it('ranges in byte order: single key, [start, end), and "to the end" ("")', () => {
    const idx = new KeyIndex();
    for (const k of ['b', 'a', 'c\u00ff', 'c', 'ab']) idx.record(k, put(1, 1, 1));
    expect(idx.keysInRange('a', 'c')).toEqual(['a', 'ab', 'b']);
    expect(idx.keysInRange('b', '')).toEqual(['b', 'c', 'c\u00ff']);
    expect(idx.keysInRange('ab', undefined)).toEqual(['ab']);
    expect(idx.keysInRange('zz', undefined)).toEqual([]);
    expect(idx.keysInRange('c', 'a')).toEqual([]);
  });

  it('compaction keeps what is visible at the compact revision and drops the rest', () => {
    const idx = new KeyIndex();
    idx.record('live', put(1, 1, 1));
    idx.record('live', put(3, 1, 2));
    idx.record('gone', put(2, 2, 1));
    idx.record('gone', del(4));
    const dropped = idx.compact(4).map((c) => c.main).sort();
    expect(dropped).toEqual([1, 2, 4]);
    expect(idx.visibleAt('live', 4)?.main).toBe(3);
    expect(idx.keysInRange('a', '')).toEqual(['live']);
    expect(idx.keyCount).toBe(1);
  });

  it('compaction keeps a tombstone newer than the compact revision', () => {
    const idx = new KeyIndex();
    idx.record('k', put(1, 1, 1));
    idx.record('k', del(5));
    expect(idx.compact(3)).toEqual([]);
    expect(idx.visibleAt('k', 4)?.main).toBe(1);
    expect(idx.visibleAt('k', 5)).toBeUndefined();
  });
});
