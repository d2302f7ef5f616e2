// How long a key waits before it is retried (client-go's workqueue rate limiters). A controller
// that fails to sync a key calls addRateLimited(key); on success it calls forget(key).
// The default combines two limits and uses whichever asks for the longer wait:
//   per key:  5 ms × 2^failures, capped at 1000 s — one broken object backs off on its own;
//   overall:  a 10 qps token bucket with burst 100 — many failing keys cannot flood the apiserver.
import type { Clock } from './clock.ts';
import { realClock } from './clock.ts';
import { TokenBucket } from './token-bucket.ts';

export interface RateLimiter<T> {
  /** the delay (ms) before `item` may be processed again; counts as one more failure */
  when(item: T): number;
  /** stop tracking `item` (it succeeded) */
  forget(item: T): void;
  /** how many times `item` has been requeued since the last forget */
  numRequeues(item: T): number;
}

/** baseDelay × 2^(failures so far), capped at maxDelay. */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(
    readonly baseDelayMs: number,
    readonly maxDelayMs: number,
  ) {}

  when(item: T): number {
    const exponent = this.failures.get(item) ?? 0;
    this.failures.set(item, exponent + 1);
    const backoff = this.baseDelayMs * 2 ** exponent;
    return Number.isFinite(backoff) && backoff <= this.maxDelayMs ? backoff : this.maxDelayMs;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/** One token bucket shared by all keys; it does not track keys. */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  constructor(
    private readonly bucket: TokenBucket,
    private readonly clock: Clock = realClock,
  ) {}

  when(_item: T): number {
    return this.bucket.reserve(this.clock.now());
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** The longest wait any of its limiters asks for. */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }

  when(item: T): number {
    let longest = 0;
    for (const limiter of this.limiters) longest = Math.max(longest, limiter.when(item));
    return longest;
  }

  forget(item: T): void {
    for (const limiter of this.limiters) limiter.forget(item);
  }

  numRequeues(item: T): number {
    let most = 0;
    for (const limiter of this.limiters) most = Math.max(most, limiter.numRequeues(item));
    return most;
  }
}

/** workqueue.DefaultControllerRateLimiter. */
export function defaultControllerRateLimiter<T>(clock: Clock = realClock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ItemExponentialFailureRateLimiter<T>(5, 1000 * 1000), new BucketRateLimiter<T>(new TokenBucket(10, 100), clock));
}
