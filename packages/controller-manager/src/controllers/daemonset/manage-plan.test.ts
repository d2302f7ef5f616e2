import { describe, expect, it } from 'vitest';
import { pinToNode } from './daemon-pods.ts';
import { Backoff } from './failed-pods-backoff.ts';
import { groupByNode, planManage } from './manage-plan.ts';
import { daemonPod, daemonSet, node } from './testing.ts';
import type { DaemonSet, Pod } from './types.ts';

const NOW = Date.parse('2025-01-01T01:00:00Z');

function plan(ds: DaemonSet, nodes = [node('n1'), node('n2'), node('n3')], pods: Pod[] = [], backoff = new Backoff(), hash = 'old', now = NOW) {
  return planManage(ds, nodes, groupByNode(pods, false), hash, now, backoff);
}

describe('planManage', () => {
  it('puts a pod on every eligible node that has none', () => {
    const ds = daemonSet('redis');
    const result = plan(ds, undefined, [daemonPod(ds, 'redis-a', 'n2')]);
    expect(result).toEqual({ nodesNeedingDaemonPods: ['n1', 'n3'], podsToDelete: [], events: [] });
  });

  it('counts a pod pinned to a node but not yet bound as that node’s', () => {
    const ds = daemonSet('redis');
    const pending: Pod = { ...daemonPod(ds, 'redis-a', 'n1'), spec: pinToNode({ spec: {} }, 'n1').spec! };
    expect(plan(ds, [node('n1')], [pending]).nodesNeedingDaemonPods).toEqual([]);
  });

  it('leaves a NoSchedule-tainted node alone, and empties a node that lost its label or got a NoExecute taint', () => {
    const ds = daemonSet('redis');
    ds.spec!.template!.spec = { ...ds.spec!.template!.spec, nodeSelector: { role: 'cache' } };
    const nodes = [
      node('tainted', { role: 'cache' }, [{ key: 'k', value: 'v', effect: 'NoSchedule' }]),
      node('relabelled', { role: 'web' }),
      node('evicting', { role: 'cache' }, [{ key: 'k', value: 'v', effect: 'NoExecute' }]),
      node('empty-tainted', { role: 'cache' }, [{ key: 'k', value: 'v', effect: 'NoSchedule' }]),
    ];
    const pods = [daemonPod(ds, 'p1', 'tainted'), daemonPod(ds, 'p2', 'relabelled'), daemonPod(ds, 'p3', 'evicting')];
    expect(plan(ds, nodes, pods)).toEqual({ nodesNeedingDaemonPods: [], podsToDelete: ['p2', 'p3'], events: [] });
  });

  it('deletes a failed pod with a FailedDaemonPod warning, then backs off before the next one on that node', () => {
    const ds = daemonSet('redis');
    const backoff = new Backoff();
    const first = plan(ds, [node('n1')], [daemonPod(ds, 'redis-a', 'n1', { phase: 'Failed' })], backoff);
    expect(first.podsToDelete).toEqual(['redis-a']);
    expect(first.events).toEqual([{ type: 'Warning', reason: 'FailedDaemonPod', message: 'Found failed daemon pod default/redis-a on node n1, will try to kill it' }]);
    // Its replacement fails too, half a second later: still inside the 1 s back-off.
    const second = plan(ds, [node('n1')], [daemonPod(ds, 'redis-b', 'n1', { phase: 'Failed' })], backoff, 'old', NOW + 500);
    expect(second).toEqual({ nodesNeedingDaemonPods: [], podsToDelete: [], events: [], requeueAfterMs: 1000 });
    const third = plan(ds, [node('n1')], [daemonPod(ds, 'redis-b', 'n1', { phase: 'Failed' })], backoff, 'old', NOW + 1500);
    expect(third.podsToDelete).toEqual(['redis-b']);
    expect(backoff.get('uid-redis/n1')).toBe(2000);
  });

  it('deletes a succeeded pod with a SucceededDaemonPod event', () => {
    const ds = daemonSet('redis');
    const result = plan(ds, [node('n1')], [daemonPod(ds, 'redis-a', 'n1', { phase: 'Succeeded' })]);
    expect(result.podsToDelete).toEqual(['redis-a']);
    expect(result.events).toEqual([{ type: 'Normal', reason: 'SucceededDaemonPod', message: 'Found succeeded daemon pod default/redis-a on node n1, will try to delete it' }]);
  });

  it('keeps only the oldest of several running pods on a node', () => {
    const ds = daemonSet('redis');
    const pods = [
      daemonPod(ds, 'young', 'n1', { created: '2025-01-01T00:00:09Z' }),
      daemonPod(ds, 'eldest', 'n1', { created: '2025-01-01T00:00:01Z' }),
      daemonPod(ds, 'middle', 'n1', { created: '2025-01-01T00:00:05Z' }),
    ];
    expect(plan(ds, [node('n1')], pods).podsToDelete).toEqual(['middle', 'young']);
  });

  it('with maxSurge keeps an old pod beside a new one until the new one is available', () => {
    const ds = daemonSet('redis', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
    const old = daemonPod(ds, 'old', 'n1', { hash: 'h1', created: '2025-01-01T00:00:00Z' });
    const starting = daemonPod(ds, 'new', 'n1', { hash: 'h2', created: '2025-01-01T00:59:00Z', ready: false });
    expect(plan(ds, [node('n1')], [old, starting], undefined, 'h2').podsToDelete).toEqual([]);
    const ready = daemonPod(ds, 'new', 'n1', { hash: 'h2', created: '2025-01-01T00:59:00Z' });
    expect(plan(ds, [node('n1')], [old, ready], undefined, 'h2').podsToDelete).toEqual(['old']);
  });

  it('deletes never-bound pods pinned to a node that is gone', () => {
    const ds = daemonSet('redis');
    const orphaned: Pod = { ...daemonPod(ds, 'ghost', 'gone'), spec: pinToNode({ spec: {} }, 'gone').spec! };
    const boundToGone = daemonPod(ds, 'bound', 'gone');
    expect(plan(ds, [node('n1')], [orphaned, boundToGone, daemonPod(ds, 'ok', 'n1')]).podsToDelete).toEqual(['ghost']);
  });

  it('ignores finished pods already being deleted', () => {
    const ds = daemonSet('redis');
    const finishing = daemonPod(ds, 'done', 'n1', { phase: 'Failed' });
    finishing.metadata.deletionTimestamp = '2025-01-01T00:30:00Z';
    expect(plan(ds, [node('n1')], [finishing]).nodesNeedingDaemonPods).toEqual(['n1']);
  });
});
