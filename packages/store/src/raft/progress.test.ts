import { describe, expect, it } from 'vitest';
import { Inflights, Progress } from './progress.ts';
import { ProgressTracker } from './tracker.ts';

function progress(match: number, next: number, maxInflight = 3): Progress {
  return new Progress({ match, next, maxInflight, isLearner: false });
}

describe('Inflights', () => {
  it('is a bounded window freed by acknowledgements', () => {
    const window = new Inflights(3);
    window.add(5);
    window.add(8);
    window.add(10);
    expect(window.full()).toBe(true);
    window.freeLE(8);
    expect(window.count()).toBe(1);
    window.freeFirstOne();
    expect(window.count()).toBe(0);
    expect(() => {
      for (let i = 0; i < 4; i++) window.add(i);
    }).toThrow(/full/);
  });
});

describe('Progress', () => {
  it('probes one message at a time and backs up to the hint on rejection', () => {
    const pr = progress(0, 10);
    expect(pr.isPaused()).toBe(false);
    pr.probeSent = true;
    expect(pr.isPaused()).toBe(true);
    // A rejection of an older probe is stale.
    expect(pr.maybeDecrTo(5, 3)).toBe(false);
    // The answer to our probe at 9: the follower's log may match up to 4.
    expect(pr.maybeDecrTo(9, 4)).toBe(true);
    expect(pr.next).toBe(5);
    expect(pr.isPaused()).toBe(false);
  });

  it('replicates optimistically within the window and falls back to match+1', () => {
    const pr = progress(5, 6);
    pr.becomeReplicate();
    pr.optimisticUpdate(9);
    pr.inflights.add(9);
    expect(pr.next).toBe(10);
    expect(pr.maybeDecrTo(4, 0)).toBe(false); // stale: already matched
    expect(pr.maybeDecrTo(9, 7)).toBe(true);
    expect(pr.next).toBe(6);
  });

  it('acknowledgements only move match forward', () => {
    const pr = progress(5, 6);
    expect(pr.maybeUpdate(4)).toBe(false);
    expect(pr.maybeUpdate(7)).toBe(true);
    expect([pr.match, pr.next]).toEqual([7, 8]);
  });

  it('pauses while a snapshot is in flight and resumes after it', () => {
    const pr = progress(2, 3);
    pr.becomeSnapshot(20);
    expect(pr.isPaused()).toBe(true);
    pr.becomeProbe();
    expect(pr.next).toBe(21);
  });
});

describe('ProgressTracker', () => {
  function tracker(voters: string[], learners: string[] = []): ProgressTracker {
    const t = new ProgressTracker(4);
    for (const id of voters) t.setMember(id, false, 1);
    for (const id of learners) t.setMember(id, true, 1);
    return t;
  }

  it('commits the highest index held by a majority of voters, ignoring learners', () => {
    const t = tracker(['1', '2', '3', '4', '5'], ['6']);
    const matches: Record<string, number> = { 1: 9, 2: 7, 3: 7, 4: 3, 5: 1, 6: 100 };
    for (const [id, match] of Object.entries(matches)) t.progress.get(id)!.match = match;
    expect(t.committedIndex()).toBe(7);
    t.progress.get('4')!.match = 9;
    expect(t.committedIndex()).toBe(7);
    t.progress.get('2')!.match = 9;
    expect(t.committedIndex()).toBe(9);
  });

  it('tallies votes: won at a majority, lost when a majority is out of reach', () => {
    const t = tracker(['1', '2', '3', '4']);
    t.recordVote('1', true);
    t.recordVote('2', true);
    expect(t.tallyVotes().result).toBe('pending'); // 2 of 4 is not a majority
    t.recordVote('3', false);
    t.recordVote('3', true); // only the first answer counts
    expect(t.tallyVotes()).toEqual({ granted: 2, rejected: 1, result: 'pending' });
    t.recordVote('4', false);
    expect(t.tallyVotes().result).toBe('lost');
  });

  it('lists members in numeric order in its ConfState', () => {
    const t = tracker(['10', '9', '100'], ['2']);
    expect(t.confState()).toEqual({ voters: ['9', '10', '100'], learners: ['2'] });
  });
});
