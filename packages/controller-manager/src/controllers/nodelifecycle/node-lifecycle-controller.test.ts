import type { KubeObject } from '@k8ts/api';
import { afterEach, describe, expect, it } from 'vitest';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { eventsAbout, healthyConditions, lease, node, pod, renewLease, stamp } from './node-fixtures.ts';
import { NODE_LIFECYCLE_CONTROLLER, NODE_LIFECYCLE_DEFAULTS, NodeLifecycleController, type NodeLifecycleOptions } from './node-lifecycle-controller.ts';
import { LEASE, NODE, POD, type Node, type Pod, type Taint } from './node-types.ts';

let harness: ControllerHarness;
afterEach(() => harness?.shutdown());

async function start(objects: KubeObject[], options: Partial<NodeLifecycleOptions> = {}): Promise<{ h: ControllerHarness; controller: NodeLifecycleController }> {
  harness = new ControllerHarness(namespace('default'), ...objects);
  const h = harness;
  const controller = new NodeLifecycleController({
    nodes: h.informers.forKind<Node>(NODE),
    pods: h.informers.forKind<Pod>(POD),
    leases: h.informers.forKind(LEASE),
    nodeClient: h.client.forKind<Node>(NODE),
    podClient: h.client.forKind<Pod>(POD),
    recorder: h.recorder('node-controller'),
    nodeUpdateQueue: h.newQueue('node_lifecycle_controller'),
    podUpdateQueue: h.newQueue('node_lifecycle_controller_pods'),
    options: { ...NODE_LIFECYCLE_DEFAULTS, ...options },
    clock: h.clock,
    logger: h.logger,
  });
  await h.start(controller);
  return { h, controller };
}

const getNode = (h: ControllerHarness, name: string) => h.api.get<Node>('v1', 'Node', undefined, name)!;
const getPod = (h: ControllerHarness, ns: string, name: string) => h.api.get<Pod>('v1', 'Pod', ns, name)!;
const condition = (n: Node, type: string) => n.status?.conditions?.find((c) => c.type === type);
const taintKeys = (n: Node) => (n.spec?.taints ?? []).map((t: Taint) => `${t.key}:${t.effect}`).sort();

/** Advances simulated time in whole seconds while the named kubelets keep renewing their Leases every 10 s. */
async function runFor(h: ControllerHarness, seconds: number, aliveNodes: string[]): Promise<void> {
  for (let s = 0; s < seconds; s++) {
    if (Math.floor((h.clock.now() - T0) / 1000) % 10 === 0) for (const name of aliveNodes) await renewLease(h.client, name, h.clock.now());
    await h.clock.advance(1000);
  }
}

const T0 = Date.UTC(2025, 0, 1);

function healthyCluster(...names: string[]): KubeObject[] {
  return names.flatMap((name) => [node(name, { conditions: healthyConditions(T0), createdAt: T0 - 3_600_000 }), lease(name, T0)]);
}

describe('node lifecycle controller', () => {
  it('registers nodes, and leaves heartbeating nodes alone', async () => {
    const { h } = await start(healthyCluster('n1', 'n2'));
    await runFor(h, 120, ['n1', 'n2']);
    expect(condition(getNode(h, 'n1'), 'Ready')?.status).toBe('True');
    expect(taintKeys(getNode(h, 'n1'))).toEqual([]);
    expect(eventsAbout(h, 'Node').sort()).toEqual(['RegisteredNode: Node n1 event: Registered Node n1 in Controller', 'RegisteredNode: Node n2 event: Registered Node n2 in Controller']);
  });

  it('sets a silent node Unknown after the grace period, taints it unreachable and marks its pods not ready', async () => {
    const { h } = await start([...healthyCluster('n1', 'n2', 'n3'), pod('default', 'web', { nodeName: 'n1', ready: true })]);
    await runFor(h, 35, ['n2', 'n3']);
    expect(condition(getNode(h, 'n1'), 'Ready')?.status).toBe('True'); // within --node-monitor-grace-period (40 s)

    await runFor(h, 15, ['n2', 'n3']);
    const n1 = getNode(h, 'n1');
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) {
      expect(condition(n1, type)).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: stamp(T0) });
    }
    expect(condition(getPod(h, 'default', 'web'), 'Ready')?.status).toBe('False');
    expect(eventsAbout(h, 'Node')).toContain('NodeNotReady: Node n1 status is now: NodeNotReady');
    expect(eventsAbout(h, 'Pod')).toEqual(['NodeNotReady: Node is not ready']);

    await runFor(h, 10, ['n2', 'n3']);
    const tainted = getNode(h, 'n1');
    expect(taintKeys(tainted)).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    expect(tainted.spec!.taints!.find((t) => t.effect === 'NoExecute')!.timeAdded).toMatch(/^2025-01-01T00:00:/);
    expect(taintKeys(getNode(h, 'n2'))).toEqual([]);
  });

  it('lifts the taints once the kubelet reports Ready again', async () => {
    const { h } = await start(healthyCluster('n1', 'n2', 'n3'));
    await runFor(h, 60, ['n2', 'n3']);
    expect(taintKeys(getNode(h, 'n1'))).toContain('node.kubernetes.io/unreachable:NoExecute');

    // The kubelet is back: it renews its Lease and reports its conditions.
    const back = structuredClone(getNode(h, 'n1'));
    back.status!.conditions = healthyConditions(h.clock.now());
    await h.client.forKind<Node>(NODE).updateStatus(back);
    await runFor(h, 10, ['n1', 'n2', 'n3']);
    expect(taintKeys(getNode(h, 'n1'))).toEqual([]);
  });

  it('swaps unreachable for not-ready when the kubelet reports Ready=False', async () => {
    const { h } = await start(healthyCluster('n1', 'n2', 'n3'));
    await runFor(h, 60, ['n2', 'n3']);
    const notReady = structuredClone(getNode(h, 'n1'));
    notReady.status!.conditions = healthyConditions(h.clock.now()).map((c) =>
      c.type === 'Ready' ? { ...c, status: 'False' as const, reason: 'KubeletNotReady', message: 'container runtime is down' } : c,
    );
    await h.client.forKind<Node>(NODE).updateStatus(notReady);
    await runFor(h, 10, ['n1', 'n2', 'n3']);
    expect(taintKeys(getNode(h, 'n1'))).toEqual(['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);
  });

  it('gives a node that never posted status the startup grace period, then says so', async () => {
    const fresh = node('n1', { createdAt: T0 });
    const { h } = await start([fresh, ...healthyCluster('n2', 'n3')]);
    await runFor(h, 55, ['n2', 'n3']);
    expect(condition(getNode(h, 'n1'), 'Ready')).toBeUndefined();
    await runFor(h, 10, ['n2', 'n3']);
    expect(condition(getNode(h, 'n1'), 'Ready')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
  });

  it('taints no node when every node is down (master disruption mode)', async () => {
    const { h, controller } = await start(healthyCluster('n1', 'n2'));
    await runFor(h, 70, []);
    expect(condition(getNode(h, 'n1'), 'Ready')?.status).toBe('Unknown');
    expect(controller.zoneState('')).toBe('FullDisruption');
    expect(taintKeys(getNode(h, 'n1'))).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    expect(h.logs).toContain('I Controller detected that all Nodes are not-Ready. Entering master disruption mode');
  });

  it('taints nodes of a zone one at a time at --node-eviction-rate', async () => {
    const names = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'];
    const { h } = await start(healthyCluster(...names), { nodeEvictionRate: 0.1 });
    // Two of six down: the zone stays Normal (fewer than three unhealthy), so the normal rate applies.
    await runFor(h, 51, ['n3', 'n4', 'n5', 'n6']);
    const tainted = () => ['n1', 'n2'].filter((n) => taintKeys(getNode(h, n)).includes('node.kubernetes.io/unreachable:NoExecute'));
    expect(tainted()).toHaveLength(1);
    await runFor(h, 5, ['n3', 'n4', 'n5', 'n6']);
    expect(tainted()).toHaveLength(1); // the next token comes 10 s after the first
    await runFor(h, 6, ['n3', 'n4', 'n5', 'n6']);
    expect(tainted()).toHaveLength(2);
  });

  it('keeps NoSchedule taints in step with conditions and spec.unschedulable', async () => {
    const pressured = healthyConditions(T0).map((c) => (c.type === 'MemoryPressure' ? { ...c, status: 'True' as const } : c));
    const custom: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    const { h } = await start([node('n1', { conditions: pressured, unschedulable: true, taints: [custom] }), lease('n1', T0)]);
    await h.until(() => taintKeys(getNode(h, 'n1')).length === 3, 'condition taints');
    expect(taintKeys(getNode(h, 'n1'))).toEqual(['dedicated:NoSchedule', 'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule']);

    const relieved = structuredClone(getNode(h, 'n1'));
    relieved.spec!.unschedulable = false;
    relieved.status!.conditions = healthyConditions(T0);
    await h.client.forKind<Node>(NODE).update(relieved);
    await h.until(() => taintKeys(getNode(h, 'n1')).length === 1, 'condition taints removed');
    expect(getNode(h, 'n1').spec!.taints).toEqual([custom]);
  });

  it('marks a pod bound to a not-ready node not ready at once', async () => {
    const { h } = await start(healthyCluster('n1', 'n2', 'n3'));
    await runFor(h, 50, ['n2', 'n3']);
    await h.client.forKind<Pod>(POD).namespace('default').create(pod('default', 'late', { nodeName: 'n1', ready: true }));
    await h.until(() => condition(getPod(h, 'default', 'late'), 'Ready')?.status === 'False', 'late pod marked not ready', 1000);
    expect(h.logs.filter((l) => l.startsWith('W') && l.includes(NODE_LIFECYCLE_CONTROLLER))).toEqual([]);
  });
});
