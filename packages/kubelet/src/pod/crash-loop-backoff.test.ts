import { describe, expect, it } from 'vitest';
import type { ContainerStatus } from '../runtime/runtime.ts';
import { CrashLoopBackoff, crashLoopDelayMs } from './crash-loop-backoff.ts';

function exited(attempt: number, startedAt: number, finishedAt: number): ContainerStatus {
  return { id: `c${attempt}`, sandboxId: 's', name: 'app', attempt, state: 'exited', createdAt: startedAt, startedAt, finishedAt, exitCode: 1, reason: 'Error', message: '', image: 'i', imageRef: 'r' };
}

describe('crash-loop back-off', () => {
  it('restarts at once after the first exit, then waits 10s, 20s, 40s … up to 5m', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(crashLoopDelayMs)).toEqual([0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it('counts the wait from when the container finished', () => {
    const backoff = new CrashLoopBackoff();
    expect(backoff.restartAt('p/app', exited(0, 1000, 2000))).toEqual({ at: 2000, delayMs: 0 });
    expect(backoff.restartAt('p/app', exited(1, 3000, 4000))).toEqual({ at: 14_000, delayMs: 10_000 });
    expect(backoff.restartAt('p/app', exited(2, 15_000, 16_000))).toEqual({ at: 36_000, delayMs: 20_000 });
  });

  it('starts over once a container ran for ten minutes', () => {
    const backoff = new CrashLoopBackoff();
    expect(backoff.restartAt('p/app', exited(4, 0, 1000)).delayMs).toBe(80_000);
    expect(backoff.restartAt('p/app', exited(5, 100_000, 800_000)).delayMs).toBe(0);
    expect(backoff.restartAt('p/app', exited(6, 800_000, 801_000)).delayMs).toBe(10_000);
  });
});
