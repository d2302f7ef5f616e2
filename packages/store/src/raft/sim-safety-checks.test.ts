import { describe, expect, it } from 'vitest';
import { SafetyChecks, type ObservedNode } from './sim-safety-checks.ts';
import { MemoryStorage } from './storage.ts';
import type { RaftRole } from './types.ts';

/** A node whose log holds entries with these terms (index 1, 2, …) and the given data. */
function node(id: string, terms: number[], options: { role?: RaftRole; term?: number; commit?: number; data?: string[] } = {}): ObservedNode {
  const storage = new MemoryStorage();
  storage.append(terms.map((term, k) => ({ index: k + 1, term, type: 'EntryNormal', data: new TextEncoder().encode(options.data?.[k] ?? `e${k + 1}`) })));
  const status = { role: options.role ?? 'StateFollower', term: options.term ?? Math.max(0, ...terms), commit: options.commit ?? 0 };
  return { id, storage, status: () => status };
}

describe('SafetyChecks', () => {
  it('accepts logs that share a prefix and diverge only in an uncommitted tail', () => {
    const checks = new SafetyChecks();
    const leader = node('1', [1, 1, 2, 3], { role: 'StateLeader', term: 3, commit: 3 });
    const follower = node('2', [1, 1, 2, 2], { term: 3, commit: 3 }); // index 4 of term 2 never committed
    expect(() => checks.observe([leader, follower])).not.toThrow();
  });

  it('log matching: same index and term at 3, but different entries at 2', () => {
    const a = node('1', [1, 1, 1], { data: ['x', 'y', 'z'] });
    const b = node('2', [1, 1, 1], { data: ['x', 'Y', 'z'] });
    expect(() => new SafetyChecks().checkLogMatching([a, b])).toThrow(/log matching violated: 1 and 2 agree on entry 3 \(term 1\) but differ at 2/);
  });

  it('leader completeness: a leader of a later term lacking a committed entry', () => {
    const checks = new SafetyChecks();
    const follower = node('2', [1, 1, 2], { term: 2, commit: 3 }); // knows index 3 (term 2) committed in term 2
    checks.observe([follower]);
    const laterLeader = node('3', [1, 1], { role: 'StateLeader', term: 4, commit: 2 });
    expect(() => checks.checkLeaderCompleteness([laterLeader])).toThrow(
      /leader completeness violated: entry 3 \(term 2\) was committed by term 2, but leader 3 of term 4 holds nothing/,
    );
  });

  it('leader completeness does not bind a stale leader of an older term', () => {
    const checks = new SafetyChecks();
    checks.observe([node('2', [1, 1, 3], { term: 3, commit: 3 })]);
    expect(() => checks.checkLeaderCompleteness([node('1', [1, 1, 2], { role: 'StateLeader', term: 2 })])).not.toThrow();
  });

  it('election safety: two leaders of one term', () => {
    const checks = new SafetyChecks();
    checks.observe([node('1', [1], { role: 'StateLeader', term: 1 })]);
    expect(() => checks.observe([node('2', [1], { role: 'StateLeader', term: 1 })])).toThrow(/election safety violated: 1 and 2 lead term 1/);
  });

  it('state machine safety: two different entries applied at one index', () => {
    const checks = new SafetyChecks();
    checks.checkApplied('5/2/a');
    expect(() => checks.checkApplied('5/2/a')).not.toThrow();
    expect(() => checks.checkApplied('5/3/b')).toThrow(/state machine safety violated at 5: 5\/2\/a vs 5\/3\/b/);
  });
});
