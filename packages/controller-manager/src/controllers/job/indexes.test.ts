import { describe, expect, it } from 'vitest';
import type { Pod } from '../../controller/workload-types.ts';
import {
  completionIndexOf,
  firstPendingIndexes,
  formatIndexes,
  parseIndexes,
  podGenerateNameWithIndex,
  splitSurplusIndexPods,
  totalIndexes,
  withIndexes,
} from './indexes.ts';

function pod(name: string, index?: string, ready = false): Pod {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...(index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': index } } : {}) },
    spec: { nodeName: 'node-1' },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

describe('completed indexes', () => {
  it('prints intervals the way status.completedIndexes shows them', () => {
    expect(formatIndexes(withIndexes([], [7, 1, 3, 4, 5, 9, 10]))).toBe('1,3-5,7,9,10');
    expect(formatIndexes([])).toBe('');
  });

  it('reads them back, dropping indexes past completions and malformed entries', () => {
    expect(parseIndexes('1,3-5,7,9,10', 20)).toEqual([{ first: 1, last: 1 }, { first: 3, last: 5 }, { first: 7, last: 7 }, { first: 9, last: 10 }]);
    expect(formatIndexes(parseIndexes('0-2,x,3,8-12', 10))).toBe('0-3,8,9');
    expect(totalIndexes(parseIndexes('0-2,5', 10))).toBe(4);
  });

  it('merges new indexes into existing intervals', () => {
    expect(formatIndexes(withIndexes(parseIndexes('1,3-5', 10), [2, 6, 6, 0]))).toBe('0-6');
  });
});

describe('pending indexes', () => {
  it('picks the lowest indexes that neither succeeded nor run', () => {
    const taken = withIndexes([], [0, 2, 3, 6]);
    expect(firstPendingIndexes(taken, 3, 10)).toEqual([1, 4, 5]);
    expect(firstPendingIndexes(taken, 10, 7)).toEqual([1, 4, 5]);
    expect(firstPendingIndexes([], 2, 5)).toEqual([0, 1]);
  });
});

describe('pods of an Indexed Job', () => {
  it('reads the index annotation, refusing anything but a non-negative integer', () => {
    expect(completionIndexOf(pod('a', '3'))).toBe(3);
    expect([completionIndexOf(pod('b', '-1')), completionIndexOf(pod('c', 'x')), completionIndexOf(pod('d'))]).toEqual([-1, -1, -1]);
  });

  it('names pods <job>-<index>- and keeps long names within 58 characters', () => {
    expect(podGenerateNameWithIndex('pi', 4)).toBe('pi-4-');
    const long = podGenerateNameWithIndex('x'.repeat(70), 12);
    expect(long).toHaveLength(58);
    expect(long.endsWith('x-12-')).toBe(true);
  });

  it('removes pods with a bad or repeated index, keeping the ready one of a pair', () => {
    const { remove, keep } = splitSurplusIndexPods([pod('a', '0'), pod('b', '1'), pod('c', '1', true), pod('d', '5'), pod('e')], 3);
    expect(remove.map((p) => p.metadata.name).sort()).toEqual(['b', 'd', 'e']);
    expect(keep.map((p) => p.metadata.name)).toEqual(['a', 'c']);
  });
});
