// A token bucket with golang.org/x/time/rate's reservation semantics, the limiter behind both
// client-go's client-side throttling (rest.Config QPS/Burst, 5/10 by default) and the
// workqueue's overall BucketRateLimiter (10 qps, burst 100).
//
// The bucket starts full. Each reservation takes one token; when none is left the count goes
// negative and the caller is told how long to wait, so later callers queue up behind it in
// order instead of all waking at once.

export class TokenBucket {
  private tokens: number;
  private last: number | undefined;

  constructor(
    readonly qps: number,
    readonly burst: number,
  ) {
    if (!(qps > 0)) throw new Error(`token bucket: qps must be positive, got ${qps}`);
    if (!(burst >= 1)) throw new Error(`token bucket: burst must be at least 1, got ${burst}`);
    this.tokens = burst;
  }

  /** Takes a token at `now` (ms) and returns the delay (ms) before the caller may proceed. */
  reserve(now: number): number {
    const tokens = this.tokensAt(now) - 1;
    this.last = now;
    this.tokens = tokens;
    return tokens >= 0 ? 0 : (-tokens / this.qps) * 1000;
  }

  /** Takes a token only if one is available now (client-go's TryAccept). */
  tryTake(now: number): boolean {
    const tokens = this.tokensAt(now);
    if (tokens < 1) return false;
    this.last = now;
    this.tokens = tokens - 1;
    return true;
  }

  private tokensAt(now: number): number {
    // A clock that went backwards refills nothing (x/time/rate clamps the same way).
    const elapsedMs = this.last === undefined ? 0 : Math.max(0, now - this.last);
    return Math.min(this.burst, this.tokens + (elapsedMs / 1000) * this.qps);
  }
}
