import { describe, expect, it } from 'vitest';
import { findFree, isTaken, withBit } from './bitmap.ts';

describe('allocation bitmap', () => {
  it('sets and clears bits without touching the input', () => {
    const empty = new Uint8Array(0);
    const one = withBit(empty, 9, true);
    expect(isTaken(one, 9)).toBe(true);
    expect(isTaken(one, 8)).toBe(false);
    expect(empty.length).toBe(0);
    expect(isTaken(withBit(one, 9, false), 9)).toBe(false);
  });

  it('finds the free offsets, wrapping around from a random start, and reports a full range', () => {
    let bits: Uint8Array = new Uint8Array(0);
    const seen = new Set<number>();
    for (let i = 0; i < 6; i++) {
      const offset = findFree(bits, 10, 4, () => 0.99);
      expect(offset).toBeGreaterThanOrEqual(4);
      seen.add(offset);
      bits = withBit(bits, offset, true);
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(findFree(bits, 10, 4, () => 0)).toBe(-1);
  });
});
