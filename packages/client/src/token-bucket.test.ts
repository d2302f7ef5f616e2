import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.ts';

describe('TokenBucket', () => {
  it('lets a full burst through at once, then spaces callers 1/qps apart', () => {
    const bucket = new TokenBucket(5, 10);
    const delays = Array.from({ length: 13 }, () => bucket.reserve(0));
    expect(delays.slice(0, 10)).toEqual(Array(10).fill(0));
    // Each caller beyond the burst queues behind the previous one: 200 ms, 400 ms, 600 ms.
    expect(delays.slice(10)).toEqual([200, 400, 600]);
  });

  it('refills at qps up to the burst, never beyond', () => {
    const bucket = new TokenBucket(10, 2);
    expect(bucket.reserve(0)).toBe(0);
    expect(bucket.reserve(0)).toBe(0);
    expect(bucket.reserve(0)).toBe(100);
    // A long idle period refills only `burst` tokens.
    expect(bucket.reserve(60_000)).toBe(0);
    expect(bucket.reserve(60_000)).toBe(0);
    expect(bucket.reserve(60_000)).toBe(100);
  });

  it('tryTake takes a token only when one is there', () => {
    const bucket = new TokenBucket(1, 1);
    expect(bucket.tryTake(0)).toBe(true);
    expect(bucket.tryTake(500)).toBe(false);
    expect(bucket.tryTake(1000)).toBe(true);
  });

  it('refuses settings that cannot rate-limit', () => {
    expect(() => new TokenBucket(0, 10)).toThrow(/qps must be positive/);
    expect(() => new TokenBucket(5, 0)).toThrow(/burst must be at least 1/);
  });
});
