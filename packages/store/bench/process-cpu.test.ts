import { describe, expect, it } from 'vitest';
import { cpuMsOf, cpuTicksFromStat } from './process-cpu.ts';

describe('cpuTicksFromStat', () => {
  it('adds utime and stime, counting fields after a command name with spaces and parentheses', () => {
    const stat = '4242 (k8ts (store) x) S 1 4242 4242 0 -1 4194560 900 0 0 0 1234 56 0 0 20 0 11 0 2096510 3133440 360';
    expect(cpuTicksFromStat(stat)).toBe(1234 + 56);
  });

  it('refuses text that is not a stat line', () => {
    expect(() => cpuTicksFromStat('no such process')).toThrow(/not a \/proc\/<pid>\/stat line/);
  });
});

describe('cpuMsOf', () => {
  it('grows while a process computes, and counts a process that does not exist as 0', () => {
    const before = cpuMsOf([process.pid]);
    const until = performance.now() + 150;
    let spins = 0;
    while (performance.now() < until) spins++;
    expect(spins).toBeGreaterThan(0);
    expect(cpuMsOf([process.pid])).toBeGreaterThan(before);
    expect(cpuMsOf([2 ** 22 + 1])).toBe(0);
  });
});
