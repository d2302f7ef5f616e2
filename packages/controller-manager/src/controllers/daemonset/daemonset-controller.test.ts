import { afterEach, describe, expect, it } from 'vitest';
import type { ControllerHarness } from '../../testing/harness.ts';
import { computeHash } from '../../controller/controller-utils.ts';
import { targetNodeName } from './daemon-pods.ts';
import { nodeUpdateIrrelevant } from './event-handlers.ts';
import { daemonPod, daemonSet, daemonSetIn, livePodsOf, node, placement, podsOf, revisionsOf, runUntil, simulateNodes, startController } from './testing.ts';
import { DAEMON_SETS, NODES, PODS, TEMPLATE_GENERATION_ANNOTATION, type DaemonSet, type Node, type Pod } from './types.ts';

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

async function start(...objects: Parameters<typeof startController>): Promise<ControllerHarness> {
  harness = (await startController(...objects)).h;
  return harness;
}

const settled = (h: ControllerHarness, name: string, nodes: number): (() => boolean) => () => {
  const ds = daemonSetIn(h, name);
  const s = ds.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0) &&
    livePodsOf(h).length === nodes &&
    s.desiredNumberScheduled === nodes &&
    (s.updatedNumberScheduled ?? 0) === nodes &&
    (s.numberAvailable ?? 0) === nodes
  );
};

/** Changes a DaemonSet's pod template as `kubectl set image` would, the apiserver counting the template generation. */
async function updateTemplate(h: ControllerHarness, name: string, change: (ds: DaemonSet) => void): Promise<void> {
  const current = structuredClone(daemonSetIn(h, name));
  change(current);
  const generation = Number(current.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION] ?? '0') + 1;
  current.metadata.annotations = { ...current.metadata.annotations, [TEMPLATE_GENERATION_ANNOTATION]: String(generation) };
  await h.client.forKind<DaemonSet>(DAEMON_SETS).namespace('default').update(current);
}

async function updateNode(h: ControllerHarness, name: string, change: (n: Node) => void): Promise<void> {
  const current = structuredClone(h.api.get<Node>('v1', 'Node', undefined, name)!);
  change(current);
  await h.client.forKind<Node>(NODES).update(current);
}

describe('DaemonSet controller', () => {
  it('runs one pod on each node that tolerates it, pinned there for the scheduler, and reports it', async () => {
    const tainted = node('n2', {}, [{ key: 'key', value: 'value', effect: 'NoSchedule' }]);
    const h = await start(node('n1'), tainted, node('n3'), daemonSet('redis'));
    await runUntil(h, settled(h, 'redis', 2), 'two available pods');
    const hash = computeHash(daemonSet('redis').spec!.template!);
    expect(placement(h)).toEqual([`n1: ${hash}`, `n3: ${hash}`]);
    const pod = livePodsOf(h)[0]!;
    expect(pod.metadata.generateName).toBe('redis-');
    expect(pod.metadata.labels).toEqual({ app: 'redis', 'controller-revision-hash': hash, 'pod-template-generation': '1' });
    expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'redis', uid: 'uid-redis', controller: true, blockOwnerDeletion: true }]);
    expect((pod.spec as { affinity?: unknown }).affinity).toEqual({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [targetNodeName(pod)] }] }] } },
    });
    expect(daemonSetIn(h, 'redis').status).toEqual({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberMisscheduled: 0,
      numberReady: 2,
      updatedNumberScheduled: 2,
      numberAvailable: 2,
      observedGeneration: 1,
    });
    expect(revisionsOf(h).map((r) => [r.metadata.name, r.revision])).toEqual([[`redis-${hash}`, 1]]);
    expect(h.eventLines().sort()).toEqual(livePodsOf(h).map((p) => `Normal SuccessfulCreate Created pod: ${p.metadata.name}`).sort());
  });

  it('follows nodes joining, taints coming and going, and labels changing', async () => {
    const cache = daemonSet('cache');
    cache.spec!.template!.spec = { ...cache.spec!.template!.spec, nodeSelector: { role: 'cache' } };
    const h = await start(node('n1', { role: 'cache' }), node('n2', { role: 'cache' }, [{ key: 'key', value: 'value', effect: 'NoSchedule' }]), cache);
    await runUntil(h, settled(h, 'cache', 1), 'a pod on the untainted node');
    const nodesOf = (): string[] => placement(h).map((p) => p.split(':')[0]!);

    await updateNode(h, 'n2', (n) => void (n.spec = { ...n.spec, taints: [] }));
    await runUntil(h, settled(h, 'cache', 2), 'a pod on the node whose taint was removed');
    expect(nodesOf()).toEqual(['n1', 'n2']);

    await h.client.forKind<Node>(NODES).create(node('n3', { role: 'cache' }));
    await runUntil(h, settled(h, 'cache', 3), 'a pod on the new node');

    // A NoSchedule taint evicts nothing; a NoExecute one does; so does losing the label.
    await updateNode(h, 'n1', (n) => void (n.spec = { ...n.spec, taints: [{ key: 'maintenance', effect: 'NoSchedule' }] }));
    await runUntil(h, () => daemonSetIn(h, 'cache').status?.numberMisscheduled === 1, 'n1 counted as misscheduled');
    expect(nodesOf()).toEqual(['n1', 'n2', 'n3']);
    await updateNode(h, 'n1', (n) => void (n.spec = { ...n.spec, taints: [{ key: 'maintenance', effect: 'NoExecute' }] }));
    await updateNode(h, 'n3', (n) => void (n.metadata.labels = { ...n.metadata.labels, role: 'web' }));
    await runUntil(h, () => nodesOf().join() === 'n2' && daemonSetIn(h, 'cache').status?.desiredNumberScheduled === 1, 'pods only on n2');
    expect(h.eventLines().filter((l) => l.includes('SuccessfulDelete'))).toHaveLength(2);
  });

  it('rolls a new template out one node at a time, then rolls back to the old revision', async () => {
    const h = await start(node('n1'), node('n2'), node('n3'), daemonSet('redis', { image: 'redis:6' }));
    await runUntil(h, settled(h, 'redis', 3), 'the first rollout');
    const oldHash = computeHash(daemonSet('redis', { image: 'redis:6' }).spec!.template!);
    await updateTemplate(h, 'redis', (ds) => void (ds.spec!.template!.spec!.containers = [{ name: 'main', image: 'redis:7' }]));
    const newHash = computeHash(daemonSet('redis', { image: 'redis:7' }).spec!.template!);

    let worstAvailable = 3;
    const isReady = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    for (let step = 0; step < 400 && !settled(h, 'redis', 3)(); step++) {
      await simulateNodes(h);
      await h.clock.advance(50);
      const nodesWithReadyPod = new Set(livePodsOf(h).filter(isReady).map(targetNodeName));
      worstAvailable = Math.min(worstAvailable, nodesWithReadyPod.size);
    }
    expect(placement(h)).toEqual([`n1: ${newHash}`, `n2: ${newHash}`, `n3: ${newHash}`]);
    // maxUnavailable 1: never more than one node without a ready daemon pod.
    expect(worstAvailable).toBe(2);
    expect(livePodsOf(h).every((p) => p.metadata.labels?.['pod-template-generation'] === '2')).toBe(true);
    expect(revisionsOf(h).map((r) => [r.metadata.name, r.revision]).sort()).toEqual([
      [`redis-${newHash}`, 2],
      [`redis-${oldHash}`, 1],
    ]);

    // kubectl rollout undo: the template of revision 1 comes back; that revision becomes number 3.
    await updateTemplate(h, 'redis', (ds) => void (ds.spec!.template!.spec!.containers = [{ name: 'main', image: 'redis:6' }]));
    await runUntil(h, settled(h, 'redis', 3), 'the rollback');
    expect(placement(h)).toEqual([`n1: ${oldHash}`, `n2: ${oldHash}`, `n3: ${oldHash}`]);
    expect(revisionsOf(h).map((r) => [r.metadata.name, r.revision]).sort()).toEqual([
      [`redis-${newHash}`, 2],
      [`redis-${oldHash}`, 3],
    ]);
  });

  it('leaves old pods of an OnDelete DaemonSet until they are deleted', async () => {
    const h = await start(node('n1'), node('n2'), daemonSet('redis', { image: 'redis:6', updateStrategy: { type: 'OnDelete' } }));
    await runUntil(h, () => livePodsOf(h).length === 2 && (daemonSetIn(h, 'redis').status?.numberAvailable ?? 0) === 2, 'two pods');
    const before = livePodsOf(h).map((p) => p.metadata.name).sort();
    await updateTemplate(h, 'redis', (ds) => void (ds.spec!.template!.spec!.containers = [{ name: 'main', image: 'redis:7' }]));
    await runUntil(h, () => daemonSetIn(h, 'redis').status?.observedGeneration === 2, 'the new generation observed');
    await h.settle(2000);
    expect(livePodsOf(h).map((p) => p.metadata.name).sort()).toEqual(before);
    expect(daemonSetIn(h, 'redis').status?.updatedNumberScheduled).toBeUndefined();

    const victim = livePodsOf(h).find((p) => targetNodeName(p) === 'n1')!;
    await h.client.forKind<Pod>(PODS).namespace('default').delete(victim.metadata.name!);
    const newHash = computeHash(daemonSet('redis', { image: 'redis:7' }).spec!.template!);
    await runUntil(h, () => placement(h).includes(`n1: ${newHash}`) && daemonSetIn(h, 'redis').status?.updatedNumberScheduled === 1, 'a new pod on n1');
    expect(placement(h).filter((p) => p.startsWith('n2'))).toHaveLength(1);
    expect(placement(h)).not.toContain(`n2: ${newHash}`);
  });

  it('replaces a failed daemon pod and says so', async () => {
    const ds = daemonSet('redis');
    const hash = computeHash(ds.spec!.template!);
    const h = await start(node('n1'), ds, daemonPod(ds, 'redis-failed', 'n1', { hash, phase: 'Failed', ready: false }));
    await runUntil(h, () => livePodsOf(h).length === 1 && livePodsOf(h)[0]!.metadata.name !== 'redis-failed', 'a replacement');
    expect(h.eventLines()).toContain('Warning FailedDaemonPod Found failed daemon pod default/redis-failed on node n1, will try to kill it');
    expect(h.eventLines()).toContain('Normal SuccessfulDelete Deleted pod: redis-failed');
  });

  it('adopts a matching orphan pod instead of starting another on its node', async () => {
    const ds = daemonSet('redis');
    const orphan = daemonPod(ds, 'hand-made', 'n1', { hash: computeHash(ds.spec!.template!) });
    delete orphan.metadata.ownerReferences;
    const h = await start(node('n1'), node('n2'), ds, orphan);
    await runUntil(h, settled(h, 'redis', 2), 'pods on both nodes');
    expect(h.api.get<Pod>('v1', 'Pod', 'default', 'hand-made')?.metadata.ownerReferences?.[0]?.uid).toBe('uid-redis');
    expect(podsOf(h).filter((p) => targetNodeName(p) === 'n1')).toHaveLength(1);
  });

  it('refuses a selector that selects every pod', async () => {
    const h = await start(node('n1'), daemonSet('everything', { selector: {} }));
    await h.settle(1000);
    expect(podsOf(h)).toEqual([]);
    expect(h.eventLines()).toEqual(['Warning SelectingAll This daemon set is selecting all pods. A non-empty selector is required.']);
  });
});

describe('nodeUpdateIrrelevant', () => {
  it('ignores heartbeats but not label, taint or condition changes', () => {
    const before = node('n1');
    const heartbeat: Node = { ...before, metadata: { ...before.metadata, resourceVersion: '9' }, status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2025-01-01T00:01:00Z' }] } };
    expect(nodeUpdateIrrelevant(before, heartbeat)).toBe(true);
    expect(nodeUpdateIrrelevant(before, node('n1', { disk: 'ssd' }))).toBe(false);
    expect(nodeUpdateIrrelevant(before, node('n1', {}, [{ key: 'k', effect: 'NoSchedule' }]))).toBe(false);
    expect(nodeUpdateIrrelevant(before, { ...before, status: { conditions: [{ type: 'Ready', status: 'False' }] } })).toBe(false);
  });
});
