import { describe, expect, it } from 'vitest';
import { numFeasibleNodesToFind, selectHostIndex } from './feasible-nodes.ts';

describe('numFeasibleNodesToFind', () => {
  it('filters every node below 100 nodes', () => {
    expect(numFeasibleNodesToFind(0, 99)).toBe(99);
    expect(numFeasibleNodesToFind(10, 50)).toBe(50);
  });

  it('adapts the percentage to the cluster size: 50% − nodes/125, at least 5%, at least 100 nodes', () => {
    expect(numFeasibleNodesToFind(0, 100)).toBe(100);
    expect(numFeasibleNodesToFind(0, 1000)).toBe(420);
    expect(numFeasibleNodesToFind(0, 5000)).toBe(500);
    expect(numFeasibleNodesToFind(0, 6000)).toBe(300);
    expect(numFeasibleNodesToFind(0, 1500)).toBe(570);
  });

  it('uses a configured percentage, still at least 100 nodes', () => {
    expect(numFeasibleNodesToFind(30, 1000)).toBe(300);
    expect(numFeasibleNodesToFind(5, 1000)).toBe(100);
    expect(numFeasibleNodesToFind(100, 1000)).toBe(1000);
  });
});

describe('selectHostIndex', () => {
  it('picks the highest total', () => {
    expect(selectHostIndex([10, 30, 20], () => 0)).toBe(1);
  });

  it('picks among tied maxima with reservoir sampling', () => {
    // ties at 0, 2, 3: the 2nd tie replaces with random < 1/2, the 3rd with random < 1/3.
    expect(selectHostIndex([5, 1, 5, 5], () => 0.9)).toBe(0);
    expect(selectHostIndex([5, 1, 5, 5], () => 0.4)).toBe(2);
    expect(selectHostIndex([5, 1, 5, 5], () => 0.3)).toBe(3);
  });
});
