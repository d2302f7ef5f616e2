import { describe, expect, it } from 'vitest';
import { createAll, type CreateLoopDeps } from './pod-creator.ts';

/** A virtual clock: sleeping advances it; each create takes `createMs` of it. */
function virtualServer(createMs: number, refuse: (index: number) => boolean = () => false) {
  let now = 0;
  let inFlight = 0;
  const log: { index: number; at: number; inFlight: number }[] = [];
  const deps: CreateLoopDeps = {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    create: async (index) => {
      inFlight++;
      log.push({ index, at: now, inFlight });
      await Promise.resolve();
      now += createMs / 4; // the slots interleave, so the clock moves less than createMs per create
      inFlight--;
      if (refuse(index)) throw new Error(`pods "pod-${index}" is forbidden`);
    },
  };
  return { deps, log };
}

describe('createAll', () => {
  it('creates every object once, never more in flight than the concurrency', async () => {
    const { deps, log } = virtualServer(4);
    const outcome = await createAll({ count: 50, concurrency: 8, perSecond: 0, deadlineMs: 60_000 }, deps);
    expect(outcome).toEqual({ started: 50, failed: 0, errors: [], cutShort: false });
    expect(log.map((entry) => entry.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Math.max(...log.map((entry) => entry.inFlight))).toBeLessThanOrEqual(8);
    expect(Math.max(...log.map((entry) => entry.inFlight))).toBeGreaterThan(1);
  });

  it('paces starts at the rate asked for', async () => {
    const { deps, log } = virtualServer(0);
    await createAll({ count: 20, concurrency: 4, perSecond: 10, deadlineMs: 60_000 }, deps);
    const starts = log.map((entry) => entry.at).sort((a, b) => a - b);
    // object i starts no earlier than i × 100 ms after the first
    starts.forEach((at, i) => expect(at).toBeGreaterThanOrEqual(i * 100));
    expect(starts.at(-1)).toBeLessThan(20 * 100);
  });

  it('counts refusals and keeps the first messages', async () => {
    const { deps } = virtualServer(1, (index) => index % 10 === 3);
    const outcome = await createAll({ count: 100, concurrency: 4, perSecond: 0, deadlineMs: 60_000 }, deps);
    expect(outcome.failed).toBe(10);
    expect(outcome.errors).toHaveLength(5);
    expect(outcome.errors[0]).toMatch(/pod-\d*3" is forbidden/);
  });

  it('stops starting creates at the deadline', async () => {
    const { deps } = virtualServer(0);
    const outcome = await createAll({ count: 100, concurrency: 2, perSecond: 10, deadlineMs: 1_000 }, deps);
    expect(outcome.cutShort).toBe(true);
    expect(outcome.started).toBeGreaterThanOrEqual(10);
    expect(outcome.started).toBeLessThan(100);
  });
});
