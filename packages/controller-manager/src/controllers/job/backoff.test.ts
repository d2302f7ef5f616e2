import { describe, expect, it } from 'vitest';
import type { Pod } from '../../controller/workload-types.ts';
import { nextBackoffRecord, NO_FAILURES, podFinishedTime, remainingBackoff } from './backoff.ts';

const T0 = Date.UTC(2025, 0, 1);
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString().replace('.000Z', 'Z');

function finished(name: string, phase: 'Succeeded' | 'Failed', seconds: number): Pod {
  return {
    metadata: { name, creationTimestamp: at(0) },
    status: { phase, containerStatuses: [{ name: 'c', state: { terminated: { exitCode: phase === 'Failed' ? 1 : 0, finishedAt: at(seconds) } } }] },
  };
}

describe('pod failure back-off', () => {
  it('waits 10 s after one failure, doubling per failure, at most 10 minutes', () => {
    const last = T0;
    const wait = (failures: number) => remainingBackoff({ failuresAfterLastSuccess: failures, lastFailureTime: last }, last);
    expect([1, 2, 3, 4].map(wait)).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(wait(7)).toBe(600_000);
    expect(wait(30)).toBe(600_000);
    expect(remainingBackoff({ failuresAfterLastSuccess: 2, lastFailureTime: last }, last + 15_000)).toBe(5_000);
    expect(remainingBackoff({ failuresAfterLastSuccess: 2, lastFailureTime: last }, last + 25_000)).toBe(0);
    expect(remainingBackoff(NO_FAILURES, last)).toBe(0);
  });

  it('adds up failures until a pod succeeds, then counts only the failures after it', () => {
    const one = nextBackoffRecord(NO_FAILURES, [], [finished('a', 'Failed', 5)]);
    expect(one).toEqual({ failuresAfterLastSuccess: 1, lastFailureTime: T0 + 5000 });
    const three = nextBackoffRecord(one, [], [finished('b', 'Failed', 30), finished('c', 'Failed', 20)]);
    expect(three).toEqual({ failuresAfterLastSuccess: 3, lastFailureTime: T0 + 30_000 });
    expect(nextBackoffRecord(three, [finished('d', 'Succeeded', 40)], [])).toEqual(NO_FAILURES);
    expect(nextBackoffRecord(three, [finished('d', 'Succeeded', 40)], [finished('e', 'Failed', 35), finished('f', 'Failed', 50)])).toEqual({
      failuresAfterLastSuccess: 1,
      lastFailureTime: T0 + 50_000,
    });
    expect(nextBackoffRecord(three, [], [])).toBe(three);
  });

  it('takes a pod’s finish time from its containers, else its Ready=False time, else its deletion', () => {
    expect(podFinishedTime(finished('a', 'Failed', 7))).toBe(T0 + 7000);
    const notReady: Pod = { metadata: { creationTimestamp: at(0) }, status: { phase: 'Failed', conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: at(9) }] } };
    expect(podFinishedTime(notReady)).toBe(T0 + 9000);
    const deleted: Pod = { metadata: { creationTimestamp: at(0), deletionTimestamp: at(40), deletionGracePeriodSeconds: 30 }, status: { phase: 'Running' } };
    expect(podFinishedTime(deleted)).toBe(T0 + 10_000);
    expect(podFinishedTime({ metadata: { creationTimestamp: at(3) } })).toBe(T0 + 3000);
  });
});
