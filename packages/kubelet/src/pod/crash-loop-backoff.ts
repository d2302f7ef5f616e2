// CrashLoopBackOff: how long the kubelet waits before restarting a container that exited. The
// first restart is immediate; after that the wait starts at 10 s and doubles per exit up to
// 5 min, counted from when the container finished. A container that ran for 10 min (twice the
// cap) before exiting starts the sequence afresh.
import type { ContainerStatus as RuntimeContainerStatus } from '../runtime/runtime.ts';

export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;
const RESET_AFTER_RUNNING_MS = 2 * MAX_BACKOFF_MS;

/** The wait before the restart that follows the n-th exit in a row (n ≥ 1). */
export function crashLoopDelayMs(exits: number): number {
  if (exits <= 1) return 0;
  return Math.min(INITIAL_BACKOFF_MS * 2 ** (exits - 2), MAX_BACKOFF_MS);
}

/** Remembers, per pod container, the attempt from which exits are counted. */
export class CrashLoopBackoff {
  private readonly firstCountedAttempt = new Map<string, number>();

  /** When the exited attempt may be replaced, and the wait that makes up. */
  restartAt(key: string, exited: RuntimeContainerStatus): { at: number; delayMs: number } {
    let first = this.firstCountedAttempt.get(key) ?? 0;
    if (exited.startedAt > 0 && exited.finishedAt - exited.startedAt >= RESET_AFTER_RUNNING_MS && exited.attempt > first) {
      first = exited.attempt;
      this.firstCountedAttempt.set(key, first);
    }
    const delayMs = crashLoopDelayMs(exited.attempt - first + 1);
    return { at: exited.finishedAt + delayMs, delayMs };
  }

  forget(key: string): void {
    this.firstCountedAttempt.delete(key);
  }
}
