import { describe, expect, it } from 'vitest';
import { LeaderWaiters, type TimerFunctions } from './leader-waiters.ts';

function manualTimers() {
  const pending = new Map<number, () => void>();
  let next = 0;
  const timers: TimerFunctions = {
    set: (callback) => (pending.set(++next, callback), next),
    clear: (timer) => void pending.delete(timer as number),
  };
  return { timers, fireAll: () => [...pending.values()].forEach((f) => f()), pending };
}

const settled = async (p: Promise<boolean>) => Promise.race([p, new Promise((resolve) => setTimeout(() => resolve('pending'), 5))]);

describe('LeaderWaiters', () => {
  it('answers at once when both views know a leader', async () => {
    expect(await new LeaderWaiters(() => true).wait(1_000)).toBe(true);
  });

  it('keeps a waiter while Raft has no leader although the Ready loop still shows the old one', async () => {
    let observed = 'a';
    let raft = '';
    const { timers } = manualTimers();
    const waiters = new LeaderWaiters(() => observed !== '' && raft !== '', timers);
    const waiting = waiters.wait(5_000);
    waiters.wake(); // a Ready pass while this member is a candidate
    expect(await settled(waiting)).toBe('pending');
    observed = '';
    waiters.wake();
    expect(await settled(waiting)).toBe('pending');
    observed = 'b';
    raft = 'b';
    waiters.wake(); // elected
    expect(await waiting).toBe(true);
  });

  it('answers false when the time runs out, and releases everyone on stop', async () => {
    const { timers, fireAll, pending } = manualTimers();
    const waiters = new LeaderWaiters(() => false, timers);
    const first = waiters.wait(100);
    fireAll();
    expect(await first).toBe(false);
    expect(pending.size).toBe(0);
    const second = waiters.wait(100);
    waiters.release();
    expect(await second).toBe(false);
    expect(pending.size).toBe(0);
  });
});
