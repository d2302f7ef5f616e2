import { describe, expect, it } from 'vitest';
import { semanticEqual } from './semantic-equal.ts';

describe('semanticEqual', () => {
  it('ignores key order and treats absent, null, empty lists and maps alike', () => {
    expect(semanticEqual({ a: 1, b: [{ x: 'y', z: [] }] }, { b: [{ x: 'y' }], a: 1, c: null })).toBe(true);
    expect(semanticEqual({ labels: {} }, {})).toBe(true);
  });

  it('tells apart different values, list orders and false from absent', () => {
    expect(semanticEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(semanticEqual({ ready: false }, {})).toBe(false);
    expect(semanticEqual({ ip: '10.0.0.1' }, { ip: '10.0.0.2' })).toBe(false);
  });
});
