import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../framework/types.ts';
import { CacheSnapshot } from './cache-snapshot.ts';
import { SchedulerCache } from './scheduler-cache.ts';

function node(name: string, zone?: string, cpu = '4'): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(zone ? { 'topology.kubernetes.io/zone': zone } : {}) } },
    status: { allocatable: { cpu, memory: '8Gi', pods: '110' } },
  };
}

function pod(name: string, nodeName: string, cpu = '500m'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { nodeName, containers: [{ name: 'c', resources: { requests: { cpu } } }] },
  };
}

function snapshotOf(cache: SchedulerCache, snapshot = new CacheSnapshot()): CacheSnapshot {
  cache.updateSnapshot(snapshot);
  return snapshot;
}

describe('SchedulerCache', () => {
  it('counts an assumed pod on its node before the binding lands, and forgets it when binding fails', () => {
    const cache = new SchedulerCache();
    cache.addNode(node('n1'));
    const p = pod('web', 'n1');
    cache.assumePod(p);
    expect(cache.isAssumed(p)).toBe(true);
    expect(snapshotOf(cache).get('n1')!.requested.milliCpu).toBe(500);
    expect(() => cache.assumePod(p)).toThrow("pod default/web(uid-web) is in the cache, so can't be assumed");
    cache.forgetPod(p);
    expect(snapshotOf(cache).get('n1')!.requested.milliCpu).toBe(0);
    expect(cache.podCount()).toBe(0);
  });

  it('confirms an assumed pod when the informer shows it bound, without counting it twice', () => {
    const cache = new SchedulerCache();
    cache.addNode(node('n1'));
    const p = pod('web', 'n1');
    cache.assumePod(p);
    cache.finishBinding(p, 1000);
    cache.addPod({ ...p, metadata: { ...p.metadata, resourceVersion: '7' } });
    expect(cache.isAssumed(p)).toBe(false);
    const snap = snapshotOf(cache);
    expect(snap.get('n1')!.pods).toHaveLength(1);
    expect(snap.get('n1')!.requested.milliCpu).toBe(500);
  });

  it('follows the API when a pod assumed on one node turns up bound to another', () => {
    const cache = new SchedulerCache();
    cache.addNode(node('n1'));
    cache.addNode(node('n2'));
    cache.assumePod(pod('web', 'n1'));
    cache.addPod(pod('web', 'n2'));
    const snap = snapshotOf(cache);
    expect(snap.get('n1')!.pods).toHaveLength(0);
    expect(snap.get('n2')!.pods).toHaveLength(1);
  });

  it('never expires assumed pods by default; with a TTL only after the binding finished', () => {
    const forever = new SchedulerCache();
    forever.addNode(node('n1'));
    forever.assumePod(pod('a', 'n1'));
    forever.finishBinding(pod('a', 'n1'), 0);
    expect(forever.cleanupExpiredAssumedPods(10 ** 12)).toEqual([]);

    const ttl = new SchedulerCache({ assumedPodTtlMs: 30_000 });
    ttl.addNode(node('n1'));
    ttl.assumePod(pod('binding', 'n1'));
    ttl.assumePod(pod('bound', 'n1'));
    ttl.finishBinding(pod('bound', 'n1'), 1_000);
    expect(ttl.cleanupExpiredAssumedPods(30_999)).toEqual([]);
    expect(ttl.cleanupExpiredAssumedPods(31_000).map((p) => p.metadata.name)).toEqual(['bound']);
    expect(ttl.isAssumed(pod('binding', 'n1'))).toBe(true);
  });

  it('updates and removes bound pods', () => {
    const cache = new SchedulerCache();
    cache.addNode(node('n1'));
    const small = pod('p', 'n1', '100m');
    cache.addPod(small);
    const big = pod('p', 'n1', '2');
    cache.updatePod(small, big);
    const snap = new CacheSnapshot();
    expect(snapshotOf(cache, snap).get('n1')!.requested.milliCpu).toBe(2000);
    cache.removePod(big);
    expect(snapshotOf(cache, snap).get('n1')!.requested.milliCpu).toBe(0);
  });

  it('interleaves zones in the node list', () => {
    const cache = new SchedulerCache();
    for (const [name, zone] of [['a1', 'a'], ['a2', 'a'], ['a3', 'a'], ['b1', 'b'], ['c1', 'c'], ['c2', 'c']] as const) cache.addNode(node(name, zone));
    expect(snapshotOf(cache).nodeInfoList.map((n) => n.name)).toEqual(['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
  });

  it('clones only the nodes that changed since the last snapshot', () => {
    const cache = new SchedulerCache();
    for (let i = 0; i < 100; i++) cache.addNode(node(`n${i}`));
    const snap = snapshotOf(cache);
    const before = [...snap.nodeInfoList];
    cache.assumePod(pod('p', 'n42'));
    cache.updateSnapshot(snap);
    const changed = snap.nodeInfoList.filter((info, i) => info !== before[i]).map((info) => info.name);
    expect(changed).toEqual(['n42']);
    expect(snap.get('n42')!.pods).toHaveLength(1);
    // The previous clone is untouched: a cycle that held it saw a consistent node.
    expect(before[42]!.pods).toHaveLength(0);
  });

  it('drops removed nodes from the snapshot, and keeps a NodeInfo for pods still pointing at them out of the list', () => {
    const cache = new SchedulerCache();
    cache.addNode(node('n1'));
    cache.addNode(node('n2'));
    cache.addPod(pod('orphan', 'n2'));
    const snap = snapshotOf(cache);
    cache.removeNode(node('n2'));
    cache.updateSnapshot(snap);
    expect(snap.nodeInfoList.map((n) => n.name)).toEqual(['n1']);
    expect(snap.get('n2')).toBeUndefined();
    cache.addNode(node('n2'));
    cache.updateSnapshot(snap);
    expect(snap.get('n2')!.pods).toHaveLength(1);
  });

  it('keeps the affinity lists current', () => {
    const cache = new SchedulerCache();
    cache.addNode(node('n1'));
    cache.addNode(node('n2'));
    const snap = snapshotOf(cache);
    expect(snap.havePodsWithAffinityList).toEqual([]);
    const anti: Pod = {
      ...pod('anti', 'n2'),
      spec: {
        ...pod('anti', 'n2').spec,
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] } },
      },
    };
    cache.addPod(anti);
    cache.updateSnapshot(snap);
    expect(snap.havePodsWithAffinityList.map((n) => n.name)).toEqual(['n2']);
    expect(snap.havePodsWithRequiredAntiAffinityList.map((n) => n.name)).toEqual(['n2']);
    cache.removePod(anti);
    cache.updateSnapshot(snap);
    expect(snap.havePodsWithRequiredAntiAffinityList).toEqual([]);
  });
});
