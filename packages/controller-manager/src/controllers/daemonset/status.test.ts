import { describe, expect, it } from 'vitest';
import { groupByNode } from './manage-plan.ts';
import { calculateCounts, nextStatus, statusUpToDate } from './status.ts';
import { daemonPod, daemonSet, node } from './testing.ts';

const NOW = Date.parse('2025-01-01T01:00:00Z');

describe('calculateCounts', () => {
  it('counts desired, current, ready, available, up-to-date and misscheduled pods per node', () => {
    const ds = daemonSet('redis', { minReadySeconds: 30 });
    ds.spec!.template!.spec = { ...ds.spec!.template!.spec, nodeSelector: { role: 'cache' } };
    const nodes = [node('n1', { role: 'cache' }), node('n2', { role: 'cache' }), node('n3', { role: 'cache' }), node('n4', { role: 'cache' }), node('web', { role: 'web' })];
    const pods = [
      daemonPod(ds, 'a', 'n1', { hash: 'new', readySince: '2025-01-01T00:00:00Z' }),
      daemonPod(ds, 'b', 'n2', { hash: 'old', readySince: '2025-01-01T00:59:50Z' }),
      daemonPod(ds, 'c', 'n3', { hash: 'new', ready: false }),
      daemonPod(ds, 'd', 'web', { hash: 'old' }),
    ];
    const counts = calculateCounts(ds, nodes, groupByNode(pods, false), 'new', NOW);
    expect(counts).toEqual({
      desiredNumberScheduled: 4,
      currentNumberScheduled: 3,
      numberMisscheduled: 1,
      numberReady: 2,
      updatedNumberScheduled: 2,
      numberAvailable: 1,
      numberUnavailable: 3,
    });
  });

  it('judges a node by its oldest pod', () => {
    const ds = daemonSet('redis');
    const pods = [daemonPod(ds, 'young', 'n1', { hash: 'new', created: '2025-01-01T00:10:00Z' }), daemonPod(ds, 'old', 'n1', { hash: 'old', ready: false })];
    const counts = calculateCounts(ds, [node('n1')], groupByNode(pods, false), 'new', NOW);
    expect([counts.numberReady, counts.updatedNumberScheduled]).toEqual([0, 0]);
  });
});

describe('status writes', () => {
  const counts = { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: 2, updatedNumberScheduled: 2, numberAvailable: 2, numberUnavailable: 0 };

  it('skips a write when the counts are stored and the generation observed', () => {
    const ds = daemonSet('redis');
    expect(statusUpToDate(ds, counts)).toBe(false);
    ds.status = nextStatus(undefined, counts, 1);
    expect(statusUpToDate(ds, counts)).toBe(true);
    ds.metadata.generation = 2;
    expect(statusUpToDate(ds, counts)).toBe(false);
  });

  it('omits the zero counts the API omits and keeps collisionCount', () => {
    const zero = { ...counts, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 2, numberReady: 0 };
    expect(nextStatus({ collisionCount: 1, observedGeneration: 3 }, zero)).toEqual({
      collisionCount: 1,
      observedGeneration: 3,
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberMisscheduled: 0,
      numberReady: 0,
      numberUnavailable: 2,
    });
  });
});
