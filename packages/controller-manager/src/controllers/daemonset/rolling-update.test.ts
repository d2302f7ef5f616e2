import { describe, expect, it } from 'vitest';
import { groupByNode } from './manage-plan.ts';
import { planRollingUpdate, rollingBudget } from './rolling-update.ts';
import { daemonPod, daemonSet, node } from './testing.ts';
import type { DaemonSet, IntOrString, Pod } from './types.ts';

const NOW = Date.parse('2025-01-01T01:00:00Z');
const nodes = ['n1', 'n2', 'n3', 'n4'].map((n) => node(n));

function ds(maxUnavailable: IntOrString, maxSurge: IntOrString = 0): DaemonSet {
  return daemonSet('redis', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable, maxSurge } } });
}

function plan(set: DaemonSet, pods: Pod[]) {
  return planRollingUpdate(set, nodes, groupByNode(pods, false), 'new', NOW);
}

describe('rollingBudget', () => {
  it('rounds percentages up and falls back to one unavailable node', () => {
    expect(rollingBudget(ds('30%'), nodes, new Map())).toEqual({ maxSurge: 0, maxUnavailable: 2, desiredNumberScheduled: 4 });
    expect(rollingBudget(ds(0, '10%'), nodes, new Map())).toEqual({ maxSurge: 1, maxUnavailable: 0, desiredNumberScheduled: 4 });
    expect(rollingBudget(ds(0, 0), nodes, new Map())).toEqual({ maxSurge: 0, maxUnavailable: 1, desiredNumberScheduled: 4 });
    expect(() => rollingBudget(ds('x'), nodes, new Map())).toThrow('invalid value for MaxUnavailable');
  });
});

describe('planRollingUpdate without surge', () => {
  it('deletes as many available old pods as maxUnavailable allows', () => {
    const set = ds(1);
    const pods = nodes.map((n, i) => daemonPod(set, `old-${i}`, n.metadata.name!));
    expect(plan(set, pods)).toEqual({ podsToDelete: ['old-0'], nodesToCreate: [] });
    expect(plan(ds(2), pods).podsToDelete).toEqual(['old-0', 'old-1']);
  });

  it('waits while a new pod is not yet available or a node has no pod', () => {
    const set = ds(1);
    const starting = [daemonPod(set, 'new-0', 'n1', { hash: 'new', ready: false }), ...['n2', 'n3', 'n4'].map((n) => daemonPod(set, `old-${n}`, n))];
    expect(plan(set, starting).podsToDelete).toEqual([]);
    const missing = ['n2', 'n3', 'n4'].map((n) => daemonPod(set, `old-${n}`, n));
    expect(plan(set, missing).podsToDelete).toEqual([]);
    const done = [daemonPod(set, 'new-0', 'n1', { hash: 'new' }), ...['n2', 'n3', 'n4'].map((n) => daemonPod(set, `old-${n}`, n))];
    expect(plan(set, done).podsToDelete).toEqual(['old-n2']);
  });

  it('replaces old pods that are not available regardless of the budget', () => {
    const set = ds(1);
    const pods = nodes.map((n, i) => daemonPod(set, `old-${i}`, n.metadata.name!, { ready: i >= 2 }));
    expect(plan(set, pods).podsToDelete).toEqual(['old-0', 'old-1']);
  });
});

describe('planRollingUpdate with surge', () => {
  it('starts new pods beside old ones on up to maxSurge nodes, then deletes the old pod once the new one is available', () => {
    const set = ds(0, 2);
    const old = nodes.map((n, i) => daemonPod(set, `old-${i}`, n.metadata.name!));
    expect(plan(set, old)).toEqual({ podsToDelete: [], nodesToCreate: ['n1', 'n2'] });
    const surging = [...old, daemonPod(set, 'new-0', 'n1', { hash: 'new' }), daemonPod(set, 'new-1', 'n2', { hash: 'new', ready: false })];
    expect(plan(set, surging)).toEqual({ podsToDelete: ['old-0'], nodesToCreate: ['n3'] });
  });

  it('replaces an unavailable old pod at once', () => {
    const set = ds(0, 1);
    const pods = nodes.map((n, i) => daemonPod(set, `old-${i}`, n.metadata.name!, { ready: i !== 3 }));
    expect(plan(set, pods)).toEqual({ podsToDelete: [], nodesToCreate: ['n4', 'n1'] });
  });
});
