// Exponential backoff with jitter, as apimachinery's wait package computes it. The reflector
// waits 800 ms × 2^n (capped at 30 s) plus up to 100 % jitter between failed list/watch
// rounds, and starts over from 800 ms once it has gone two minutes without needing a backoff —
// enough to take ~98 % of the load off an apiserver that is struggling.
import type { Clock } from './clock.ts';

/** wait.Jitter: `duration` plus up to `maxFactor` × `duration` more. */
export function jitter(durationMs: number, maxFactor: number, random: () => number): number {
  return maxFactor > 0 ? durationMs + random() * maxFactor * durationMs : durationMs;
}

export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
  /** no backoff for this long resets to initialMs */
  resetAfterMs: number;
  factor: number;
  jitter: number;
}

/** The reflector's settings (NewExponentialBackoffManager(800ms, 30s, 2m, 2.0, 1.0)). */
export const REFLECTOR_BACKOFF: BackoffSettings = { initialMs: 800, maxMs: 30_000, resetAfterMs: 120_000, factor: 2, jitter: 1 };

export class ExponentialBackoff {
  private nextMs: number;
  private capped = false;
  private lastBackoffStart: number;

  constructor(
    private readonly settings: BackoffSettings,
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {
    this.nextMs = settings.initialMs;
    this.lastBackoffStart = clock.now();
  }

  /** How long to wait now; each call doubles the next wait until the cap. */
  next(): number {
    const now = this.clock.now();
    if (now - this.lastBackoffStart > this.settings.resetAfterMs) {
      this.nextMs = this.settings.initialMs;
      this.capped = false;
    }
    this.lastBackoffStart = now;
    const duration = this.nextMs;
    if (!this.capped) {
      this.nextMs = duration * this.settings.factor;
      if (this.nextMs > this.settings.maxMs) {
        this.nextMs = this.settings.maxMs;
        this.capped = true;
      }
    }
    return jitter(duration, this.settings.jitter, this.random);
  }
}
