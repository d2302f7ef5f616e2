import { describe, expect, it } from 'vitest';
import {
  computeHash,
  deleteBefore,
  isPodActive,
  isPodAvailable,
  isPodReady,
  podDeletionCost,
  rankByRelatedPodsOnSameNode,
  safeEncodeString,
  slowStartBatch,
  sortForDeletion,
} from './controller-utils.ts';
import type { Pod, PodTemplateSpec } from './workload-types.ts';

const T0 = Date.UTC(2025, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

interface PodShape {
  node?: string;
  phase?: 'Pending' | 'Running' | 'Unknown' | 'Succeeded' | 'Failed';
  readySince?: number;
  restarts?: number;
  created?: number;
  cost?: string;
  deleting?: boolean;
}

function pod(name: string, shape: PodShape = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      creationTimestamp: shape.created === undefined ? iso(T0) : iso(shape.created),
      ...(shape.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': shape.cost } } : {}),
      ...(shape.deleting ? { deletionTimestamp: iso(T0) } : {}),
    },
    spec: { ...(shape.node ? { nodeName: shape.node } : {}) },
    status: {
      phase: shape.phase ?? 'Running',
      conditions:
        shape.readySince === undefined
          ? [{ type: 'Ready', status: 'False', lastTransitionTime: iso(T0) }]
          : [{ type: 'Ready', status: 'True', lastTransitionTime: iso(shape.readySince) }],
      containerStatuses: [{ name: 'app', restartCount: shape.restarts ?? 0 }],
    },
  };
}

const names = (pods: Pod[]) => pods.map((p) => p.metadata.name);
const unranked = (...pods: Pod[]) => pods.map((p) => ({ pod: p, rank: 0 }));

describe('pod state', () => {
  it('counts a pod as active until it finishes or starts being deleted', () => {
    expect(isPodActive(pod('a', { phase: 'Pending' }))).toBe(true);
    expect(isPodActive(pod('a', { phase: 'Running' }))).toBe(true);
    expect(isPodActive(pod('a', { phase: 'Succeeded' }))).toBe(false);
    expect(isPodActive(pod('a', { phase: 'Failed' }))).toBe(false);
    expect(isPodActive(pod('a', { deleting: true }))).toBe(false);
  });

  it('is available only once ready for strictly longer than minReadySeconds', () => {
    const ready = pod('a', { readySince: T0 });
    expect(isPodReady(ready)).toBe(true);
    expect(isPodAvailable(ready, 0, T0)).toBe(true);
    expect(isPodAvailable(ready, 10, T0 + 10_000)).toBe(false);
    expect(isPodAvailable(ready, 10, T0 + 10_001)).toBe(true);
    expect(isPodAvailable(pod('b'), 0, T0 + 60_000)).toBe(false);
  });

  it('reads pod-deletion-cost as an int32, 0 when malformed', () => {
    expect(podDeletionCost(pod('a', { cost: '100' }))).toBe(100);
    expect(podDeletionCost(pod('a', { cost: '-5' }))).toBe(-5);
    expect(podDeletionCost(pod('a', { cost: '+5' }))).toBe(0);
    expect(podDeletionCost(pod('a', { cost: '007' }))).toBe(0);
    expect(podDeletionCost(pod('a', { cost: '3000000000' }))).toBe(0);
    expect(podDeletionCost(pod('a'))).toBe(0);
  });
});

describe('deletion order (ActivePodsWithRanks)', () => {
  it('deletes unassigned, then pending, then not-ready pods first', () => {
    const order = sortForDeletion(
      unranked(
        pod('ready', { node: 'n1', readySince: T0 }),
        pod('not-ready', { node: 'n1' }),
        pod('unknown', { node: 'n1', phase: 'Unknown' }),
        pod('pending', { node: 'n1', phase: 'Pending' }),
        pod('unassigned', { phase: 'Pending' }),
      ),
    );
    expect(names(order)).toEqual(['unassigned', 'pending', 'unknown', 'not-ready', 'ready']);
  });

  it('puts a lower pod-deletion-cost ahead of everything after readiness', () => {
    const cheap = pod('cheap', { node: 'n1', readySince: T0, cost: '-10' });
    const dear = pod('dear', { node: 'n1', readySince: T0 + 5000, restarts: 3, cost: '10' });
    expect(names(sortForDeletion(unranked(dear, cheap)))).toEqual(['cheap', 'dear']);
  });

  it('prefers pods on crowded nodes, then the more recently ready, then more restarts, then newer', () => {
    const crowded = pod('crowded', { node: 'n1', readySince: T0 });
    const alone = pod('alone', { node: 'n2', readySince: T0 });
    const ranked = rankByRelatedPodsOnSameNode([crowded, alone], [crowded, pod('sibling', { node: 'n1' }), alone]);
    expect(ranked.map((r) => r.rank)).toEqual([2, 1]);
    expect(names(sortForDeletion(ranked))).toEqual(['crowded', 'alone']);

    const older = pod('older', { node: 'n1', readySince: T0 });
    const newer = pod('newer', { node: 'n1', readySince: T0 + 60_000 });
    expect(names(sortForDeletion(unranked(older, newer)))).toEqual(['newer', 'older']);

    const steady = pod('steady', { node: 'n1', restarts: 0 });
    const flaky = pod('flaky', { node: 'n1', restarts: 4 });
    expect(names(sortForDeletion(unranked(steady, flaky)))).toEqual(['flaky', 'steady']);

    const old = pod('old', { node: 'n1', created: T0 });
    const young = pod('young', { node: 'n1', created: T0 + 1000 });
    expect(names(sortForDeletion(unranked(old, young)))).toEqual(['young', 'old']);
  });

  it('does not count inactive related pods towards a node', () => {
    const mine = pod('mine', { node: 'n1' });
    const ranked = rankByRelatedPodsOnSameNode([mine], [mine, pod('done', { node: 'n1', phase: 'Succeeded' })]);
    expect(ranked[0]!.rank).toBe(1);
  });

  it('with a clock, treats ages in the same power of two as equal and breaks ties by uid', () => {
    const now = T0 + 3_600_000;
    // 60 min and 59 min old fall in the same log2 bucket of nanoseconds; 1 min old does not.
    const a = pod('b-pod', { node: 'n1', created: T0 });
    const b = pod('a-pod', { node: 'n1', created: T0 + 60_000 });
    const recent = pod('recent', { node: 'n1', created: now - 60_000 });
    expect(deleteBefore({ pod: b, rank: 0 }, { pod: a, rank: 0 })).toBe(true); // strictly newer first without a clock
    expect(deleteBefore({ pod: b, rank: 0 }, { pod: a, rank: 0 }, now)).toBe(true); // uid-a-pod < uid-b-pod
    expect(deleteBefore({ pod: a, rank: 0 }, { pod: b, rank: 0 }, now)).toBe(false);
    expect(names(sortForDeletion(unranked(a, recent, b), now))).toEqual(['recent', 'a-pod', 'b-pod']);
  });
});

describe('computeHash', () => {
  const template: PodTemplateSpec = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
  };

  it('is stable, independent of key order, and spelled without vowels', () => {
    const hash = computeHash(template);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    const reordered: PodTemplateSpec = { spec: { containers: [{ image: 'nginx:1.27', name: 'nginx' }] }, metadata: { labels: { app: 'web' } } };
    expect(computeHash(reordered)).toBe(hash);
  });

  it('changes with the template and with the collision count', () => {
    const changed: PodTemplateSpec = { ...template, spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } };
    expect(computeHash(changed)).not.toBe(computeHash(template));
    expect(computeHash(template, 1)).not.toBe(computeHash(template));
    expect(computeHash(template, 1)).not.toBe(computeHash(template, 2));
  });

  it('encodes each decimal digit as one letter of the safe alphabet', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });
});

describe('slowStartBatch', () => {
  it('runs batches of 1, 2, 4, … and stops after the first batch with a failure', async () => {
    const batches: number[] = [];
    let inFlight = 0;
    let calls = 0;
    const result = await slowStartBatch(20, 1, async () => {
      const call = ++calls;
      inFlight++;
      if (batches.length === 0 || inFlight === 1) batches.push(0);
      batches[batches.length - 1]!++;
      await Promise.resolve();
      inFlight--;
      if (call === 5) throw new Error('quota exceeded');
    });
    expect(batches).toEqual([1, 2, 4]);
    expect(result.successes).toBe(6);
    expect((result.error as Error).message).toBe('quota exceeded');
  });

  it('succeeds for every call when none fails, ending with a partial batch', async () => {
    let calls = 0;
    const result = await slowStartBatch(10, 1, async () => {
      calls++;
    });
    expect(calls).toBe(10);
    expect(result).toEqual({ successes: 10 });
  });
});
