import { describe, expect, it } from 'vitest';
import type { Pod } from '../../controller/workload-types.ts';
import { failedIndexes, indexesReadyToCreate, isIndexFailed, newIndexFailureCounts, podsWithDelayedDeletion } from './per-index.ts';
import { job } from './testing.ts';

const T0 = Date.UTC(2025, 0, 1);
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString().replace('.000Z', 'Z');

function indexPod(name: string, index: number, failures: number, phase: 'Running' | 'Failed' | 'Succeeded', finishedAt = 0, extra: Record<string, string> = {}): Pod {
  return {
    metadata: {
      name,
      uid: `uid-${name}`,
      finalizers: ['batch.kubernetes.io/job-tracking'],
      annotations: { 'batch.kubernetes.io/job-completion-index': String(index), 'batch.kubernetes.io/job-index-failure-count': String(failures), ...extra },
    },
    status: {
      phase,
      ...(phase !== 'Running' ? { containerStatuses: [{ name: 'main', state: { terminated: { exitCode: phase === 'Failed' ? 1 : 0, finishedAt: at(finishedAt) } } }] } : {}),
    },
  };
}

const perIndex = job('pi', { completions: 3, parallelism: 3, completionMode: 'Indexed', backoffLimitPerIndex: 1 });

describe('backoffLimitPerIndex', () => {
  it('fails an index once a pod fails with backoffLimitPerIndex failures before it', () => {
    expect(isIndexFailed(perIndex, indexPod('a', 0, 0, 'Failed'))).toBe(false);
    expect(isIndexFailed(perIndex, indexPod('b', 0, 1, 'Failed'))).toBe(true);
    expect(isIndexFailed(perIndex, indexPod('c', 0, 1, 'Running'))).toBe(false);
    const recorded = { ...perIndex, status: { failedIndexes: '2' } };
    expect(failedIndexes(recorded, [indexPod('b', 0, 1, 'Failed'), indexPod('d', 1, 0, 'Failed')])).toEqual([{ first: 0, last: 0 }, { first: 2, last: 2 }]);
  });

  it('keeps the latest failed pod of a pending index, to copy its count into the replacement', () => {
    const older = indexPod('old', 0, 0, 'Failed', 5);
    const newer = indexPod('new', 0, 1, 'Failed', 20);
    const running = indexPod('run', 1, 0, 'Running');
    const otherFailed = indexPod('other', 1, 0, 'Failed', 3);
    const delayed = podsWithDelayedDeletion(perIndex, [older, newer, running, otherFailed], [running], [], [], new Set());
    // Index 1 runs a pod already: its failed pod need not wait.
    expect([...delayed.entries()].map(([i, p]) => `${i}:${p.metadata.name}`)).toEqual(['0:new']);
    expect(newIndexFailureCounts(perIndex, newer)).toEqual({ 'batch.kubernetes.io/job-index-failure-count': '2' });
    expect(newIndexFailureCounts(perIndex, undefined)).toEqual({ 'batch.kubernetes.io/job-index-failure-count': '0' });
  });

  it('counts a failure a podFailurePolicy ignores separately', () => {
    const policy = { rules: [{ action: 'Ignore' as const, onExitCodes: { operator: 'In' as const, values: [1] } }] };
    const ignoring = { ...perIndex, spec: { ...perIndex.spec, podFailurePolicy: policy } };
    expect(newIndexFailureCounts(ignoring, indexPod('a', 0, 1, 'Failed', 0, { 'batch.kubernetes.io/job-index-ignored-failure-count': '2' }))).toEqual({
      'batch.kubernetes.io/job-index-failure-count': '1',
      'batch.kubernetes.io/job-index-ignored-failure-count': '3',
    });
  });

  it('backs off each index on its own: 10 s after its first failure, 20 s after its second', () => {
    const delayed = new Map([
      [0, indexPod('a', 0, 0, 'Failed', 0)],
      [1, indexPod('b', 1, 1, 'Failed', 0)],
    ]);
    expect(indexesReadyToCreate([0, 1, 2], delayed, T0 + 5000)).toEqual({ indexes: [2], waitMs: 0 });
    expect(indexesReadyToCreate([0, 1], delayed, T0 + 5000)).toEqual({ indexes: [], waitMs: 5000 });
    expect(indexesReadyToCreate([0, 1], delayed, T0 + 12_000)).toEqual({ indexes: [0], waitMs: 0 });
    expect(indexesReadyToCreate([1], delayed, T0 + 20_000)).toEqual({ indexes: [1], waitMs: 0 });
  });
});
