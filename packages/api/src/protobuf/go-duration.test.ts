import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseGoDuration } from './go-duration.ts';

describe('Go durations', () => {
  it.each([
    [0n, '0s'],
    [1n, '1ns'],
    [999n, '999ns'],
    [1_500n, '1.5µs'],
    [1_500_000n, '1.5ms'],
    [300_000_000n, '300ms'],
    [1_000_000_000n, '1s'],
    [1_500_000_000n, '1.5s'],
    [90_000_000_000n, '1m30s'],
    [3_600_000_000_000n, '1h0m0s'],
    [5_400_000_000_000n, '1h30m0s'],
    [3_723_000_000_001n, '1h2m3.000000001s'],
    [-90_000_000_000n, '-1m30s'],
    [-(2n ** 63n), '-2562047h47m16.854775808s'],
  ])('%s ns is %s', (nanos, text) => {
    expect(formatGoDuration(nanos)).toBe(text);
    expect(parseGoDuration(text)).toBe(nanos);
  });

  it('parses the forms Go accepts but does not write', () => {
    expect(parseGoDuration('0')).toBe(0n);
    expect(parseGoDuration('+5s')).toBe(5_000_000_000n);
    expect(parseGoDuration('1.5h')).toBe(5_400_000_000_000n);
    expect(parseGoDuration('.5s')).toBe(500_000_000n);
    expect(parseGoDuration('2h45m')).toBe(9_900_000_000_000n);
    expect(parseGoDuration('10us')).toBe(10_000n);
    expect(parseGoDuration('10μs')).toBe(10_000n);
  });

  it.each(['', '1', 'h', '1x', '-', '1h-2m', '.s', '3000000h'])('rejects %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});
