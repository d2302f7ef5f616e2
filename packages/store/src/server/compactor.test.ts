import { describe, expect, it } from 'vitest';
import { PeriodicPlanner, RevisionPlanner } from './compactor.ts';

describe('PeriodicPlanner', () => {
  const hour = 3_600_000;

  it('compacts to the revision that was current one retention period ago', () => {
    const p = new PeriodicPlanner(hour);
    expect(p.intervalMs).toBe(hour / 10);
    const revAt = (i: number) => 100 + i * 10; // the store grows 10 revisions per interval
    const decisions: Array<number | undefined> = [];
    for (let i = 0; i <= 12; i++) decisions.push(p.next(i * p.intervalMs, revAt(i), 0));
    expect(decisions.slice(0, 10)).toEqual(Array(10).fill(undefined));
    expect(decisions[10]).toBe(revAt(0));
    expect(decisions[11]).toBe(revAt(1));
    expect(decisions[12]).toBe(revAt(2));
  });

  it('does not compact again when nothing was written', () => {
    const p = new PeriodicPlanner(hour);
    for (let i = 0; i < 10; i++) p.next(i * p.intervalMs, 50, 0);
    expect(p.next(10 * p.intervalMs, 50, 0)).toBe(50);
    expect(p.next(11 * p.intervalMs, 50, 50)).toBeUndefined();
  });
});

describe('RevisionPlanner', () => {
  it('keeps the last N revisions', () => {
    const p = new RevisionPlanner(1000);
    expect(p.next(0, 999, 0)).toBeUndefined();
    expect(p.next(0, 5000, 0)).toBe(4000);
    expect(p.next(0, 5000, 4000)).toBeUndefined();
  });
});
