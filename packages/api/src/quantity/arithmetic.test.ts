import { describe, expect, it } from 'vitest';
import { addQuantities, compareQuantities, quantityMilliValue, quantityValue, subtractQuantities } from './arithmetic.ts';
import { canonicalQuantity } from './canonical.ts';
import { parseQuantity } from './parse.ts';
import { QuantityError } from './quantity.ts';

const q = parseQuantity;

describe('compareQuantities', () => {
  it.each([
    ['1', '1000m', 0],
    ['1Ki', '1024', 0],
    ['1k', '1Ki', -1],
    ['1Gi', '1G', 1],
    ['100m', '0.1', 0],
    ['999m', '1', -1],
    ['-1', '0', -1],
    ['-2', '-1', -1],
    ['0Ki', '0', 0],
    ['1e3', '1k', 0],
    ['1e900000000', '1E', 1],
    ['-1e900000000', '-1E', -1],
    ['1n', '1e-9', 0],
  ])('%s vs %s → %d', (a, b, expected) => {
    expect(compareQuantities(q(a), q(b))).toBe(expected);
    expect(compareQuantities(q(b), q(a))).toBe(-expected || 0);
  });
});

describe('addQuantities and subtractQuantities', () => {
  it.each([
    ['100m', '200m', '300m'],
    ['1Gi', '1Gi', '2Gi'],
    ['1Gi', '512Mi', '1536Mi'],
    ['500m', '500m', '1'],
    ['1Gi', '100m', '1073741824100m'],
    ['0', '1Gi', '1Gi'], // a zero left side takes the right side's format
    ['1e3', '1e3', '2e3'],
  ])('%s + %s = %s', (a, b, sum) => {
    expect(canonicalQuantity(addQuantities(q(a), q(b)))).toBe(sum);
  });

  it('keeps the left format and recomputes the text', () => {
    expect(canonicalQuantity(addQuantities(q('1k'), q('1Ki')))).toBe('2024');
    expect(canonicalQuantity(addQuantities(q('1Ki'), q('1k')))).toBe('2024');
    expect(canonicalQuantity(addQuantities(q('1.500'), q('0')))).toBe('1500m');
  });

  it.each([
    ['1', '250m', '750m'],
    ['1Gi', '1Gi', '0'],
    ['100m', '1', '-900m'],
    ['0', '2Mi', '-2Mi'],
  ])('%s - %s = %s', (a, b, difference) => {
    expect(canonicalQuantity(subtractQuantities(q(a), q(b)))).toBe(difference);
  });

  it('refuses sums it cannot hold exactly in reasonable space', () => {
    expect(() => addQuantities(q('1e2000000'), q('1'))).toThrow(QuantityError);
  });
});

describe('quantityValue and quantityMilliValue', () => {
  it.each([
    ['1', 1n, 1000n],
    ['100m', 1n, 100n],
    ['1.1', 2n, 1100n],
    ['1Ki', 1024n, 1024000n],
    ['1n', 1n, 1n],
    ['1.0001m', 1n, 2n],
    ['-1.5', -2n, -1500n],
    ['-1n', -1n, -1n],
    ['0', 0n, 0n],
    ['12E', 12_000_000_000_000_000_000n, 12_000_000_000_000_000_000_000n],
  ])('%s → value %d, milli %d (rounded up away from zero)', (text, value, milli) => {
    expect(quantityValue(q(text))).toBe(value);
    expect(quantityMilliValue(q(text))).toBe(milli);
  });

  it('refuses to expand an astronomically large quantity', () => {
    expect(() => quantityValue(q('1e2000000000'))).toThrow(QuantityError);
  });
});
