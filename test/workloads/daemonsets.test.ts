// The DaemonSet journey of the tutorials on a hollow-node cluster started with `k8ts up
// --runtime fake --nodes 3`, through real kubectl 1.32: the course's redis-ds lands only on the
// nodes without a NoSchedule taint (DESIRED 2); removing the taint adds a pod there; a
// toleration lets a DaemonSet onto a tainted node, and tainting a node again evicts nothing; a
// nodeSelector DaemonSet follows `kubectl label node`; a new image rolls out one node at a time
// with `kubectl rollout status`, shows in `rollout history`, and `rollout undo` brings the old
// template back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCluster, isReady, SLOW, type Pod } from './fake-cluster.ts';

const cluster = new FakeCluster('ds', 3);
const NS = 'daemons';

function daemonSetManifest(name: string, extraPodSpec = ''): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
  namespace: ${NS}
  labels:
    app: ${name}
spec:
  selector:
    matchLabels:
      name: ${name}
  template:
    metadata:
      labels:
        name: ${name}
    spec:
${extraPodSpec}      containers:
      - image: redis:5-alpine
        name: redis
        ports:
        - containerPort: 6379
`;
}

interface DaemonSetRow {
  desired: number;
  current: number;
  ready: number;
  upToDate: number;
  available: number;
}

/** `kubectl get ds <name>`'s counts. */
async function row(name: string): Promise<DaemonSetRow> {
  const [, desired, current, ready, upToDate, available] = (await cluster.kubectlOk(['get', 'ds', name, '-n', NS, '--no-headers'])).trim().split(/\s+/).map(Number);
  return { desired: desired!, current: current!, ready: ready!, upToDate: upToDate!, available: available! };
}

/** The nodes (by number, 1-based) running a live, ready pod of the DaemonSet. */
async function nodesRunning(name: string): Promise<number[]> {
  const pods = (await cluster.pods(NS, `name=${name}`)).filter((p) => !p.metadata.deletionTimestamp && isReady(p));
  return pods.map((p) => cluster.nodeNames().indexOf(p.spec.nodeName ?? '') + 1).sort();
}

function runsOn(name: string, nodes: number[]): Promise<number[]> {
  return cluster.eventually(`${name} ready on nodes ${nodes.join(', ')}`, async () => {
    const running = await nodesRunning(name);
    return running.join() === nodes.join() ? running : undefined;
  });
}

async function rolledOut(name: string): Promise<string> {
  return cluster.kubectlOk(['rollout', 'status', `daemonset/${name}`, '-n', NS, '--timeout=180s']);
}

const node = (n: number): string => cluster.nodeNames()[n - 1]!;

beforeAll(async () => {
  await cluster.up();
  await cluster.kubectlOk(['create', 'namespace', NS]);
}, SLOW);

afterAll(() => cluster.cleanup(), SLOW);

describe('a DaemonSet on hollow nodes', () => {
  it('skips a node tainted NoSchedule: DESIRED 2', async () => {
    await cluster.kubectlOk(['taint', 'node', node(1), 'key=value:NoSchedule']);
    await cluster.kubectlOk(['apply', '-f', '-'], daemonSetManifest('redis-ds'));
    expect(await rolledOut('redis-ds')).toContain('daemon set "redis-ds" successfully rolled out');
    expect(await runsOn('redis-ds', [2, 3])).toEqual([2, 3]);
    expect(await row('redis-ds')).toEqual({ desired: 2, current: 2, ready: 2, upToDate: 2, available: 2 });
    const pods = await cluster.pods(NS, 'name=redis-ds');
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(/^redis-ds-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'DaemonSet', name: 'redis-ds', controller: true });
      // Pinned to its node by affinity; bound by the scheduler.
      const affinity = (pod.spec as { affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: unknown } } }).affinity;
      expect(affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual({
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [pod.spec.nodeName] }] }],
      });
      expect(pod.spec.tolerations).toContainEqual({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
    }
    const events = await cluster.kubectlOk(['get', 'events', '-n', NS, '--field-selector', 'involvedObject.kind=DaemonSet', '-o', 'jsonpath={range .items[*]}{.reason} {.message}{"\\n"}{end}']);
    for (const pod of pods) expect(events).toContain(`SuccessfulCreate Created pod: ${pod.metadata.name}`);
  }, SLOW);

  it('adds a pod when the taint is removed: DESIRED 3', async () => {
    await cluster.kubectlOk(['taint', 'node', node(1), 'key=value:NoSchedule-']);
    expect(await runsOn('redis-ds', [1, 2, 3])).toEqual([1, 2, 3]);
    await cluster.eventually('DESIRED 3 and all available', async () => {
      const counts = await row('redis-ds');
      return counts.desired === 3 && counts.available === 3 ? counts : undefined;
    });
    const described = await cluster.kubectlOk(['describe', 'ds', 'redis-ds', '-n', NS]);
    expect(described).toMatch(/^Desired Number of Nodes Scheduled: 3$/m);
    expect(described).toMatch(/^Number of Nodes Misscheduled: 0$/m);
    expect(described).toMatch(/^Pods Status:\s+3 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
    expect(described).toMatch(/Normal\s+SuccessfulCreate\s+.*daemonset-controller\s+Created pod: redis-ds-\S+/);
  }, SLOW);

  it('lets a tolerating DaemonSet onto a tainted node, and evicts nothing when a node is tainted NoSchedule again', async () => {
    await cluster.kubectlOk(['taint', 'node', node(1), 'key=value:NoSchedule']);
    const toleration = `      tolerations:
      - key: key
        operator: Equal
        value: value
        effect: NoSchedule
`;
    await cluster.kubectlOk(['apply', '-f', '-'], daemonSetManifest('redis-tolerant', toleration));
    expect(await rolledOut('redis-tolerant')).toContain('successfully rolled out');
    expect(await runsOn('redis-tolerant', [1, 2, 3])).toEqual([1, 2, 3]);
    // redis-ds keeps its pod on the re-tainted node; it just no longer counts it as desired.
    const status = await cluster.eventually('redis-ds counting node 1 as misscheduled', async () => {
      const ds = await cluster.json<{ status: { desiredNumberScheduled: number; numberMisscheduled?: number } }>(['get', 'ds', 'redis-ds', '-n', NS]);
      return ds.status.numberMisscheduled === 1 ? ds.status : undefined;
    });
    expect(status.desiredNumberScheduled).toBe(2);
    expect(await nodesRunning('redis-ds')).toEqual([1, 2, 3]);
    await cluster.kubectlOk(['taint', 'node', node(1), 'key=value:NoSchedule-']);
    await cluster.kubectlOk(['delete', 'ds', 'redis-tolerant', '-n', NS]);
  }, SLOW);

  it('follows node labels with a nodeSelector', async () => {
    await cluster.kubectlOk(['apply', '-f', '-'], daemonSetManifest('redis-ssd', '      nodeSelector:\n        disk: ssd\n'));
    await cluster.eventually('DESIRED 0', async () => ((await row('redis-ssd')).desired === 0 ? true : undefined));
    await cluster.kubectlOk(['label', 'node', node(2), node(3), 'disk=ssd']);
    expect(await runsOn('redis-ssd', [2, 3])).toEqual([2, 3]);
    await cluster.kubectlOk(['label', 'node', node(2), 'disk-']);
    expect(await runsOn('redis-ssd', [3])).toEqual([3]);
    await cluster.eventually('the pod on node 2 gone', async () => {
      const pods = await cluster.pods(NS, 'name=redis-ssd');
      return pods.length === 1 ? pods : undefined;
    });
    await cluster.kubectlOk(['delete', 'ds', 'redis-ssd', '-n', NS]);
  }, SLOW);

  it('rolls out a new image one node at a time, records the revisions, and undoes it', async () => {
    let fewestReadyNodes = Infinity;
    const watch = await cluster.watchPods(NS, 'name=redis-ds', (pods) => {
      const readyNodes = new Set([...pods.values()].filter((p: Pod) => !p.metadata.deletionTimestamp && isReady(p)).map((p) => p.spec.nodeName));
      fewestReadyNodes = Math.min(fewestReadyNodes, readyNodes.size);
    });
    try {
      // A revision copies the DaemonSet's annotations when it is made: the change-cause goes first.
      await cluster.kubectlOk(['annotate', 'daemonset', 'redis-ds', '-n', NS, 'kubernetes.io/change-cause=upgrade to 6']);
      await cluster.kubectlOk(['set', 'image', 'daemonset/redis-ds', 'redis=redis:6-alpine', '-n', NS]);
      expect(await rolledOut('redis-ds')).toContain('daemon set "redis-ds" successfully rolled out');
    } finally {
      watch.stop();
    }
    // maxUnavailable 1 (the default): at most one node at a time without a ready redis.
    expect(fewestReadyNodes).toBe(2);
    const pods = (await cluster.pods(NS, 'name=redis-ds')).filter((p) => !p.metadata.deletionTimestamp);
    expect(pods.map((p) => p.spec.containers[0]!.image)).toEqual(['redis:6-alpine', 'redis:6-alpine', 'redis:6-alpine']);
    expect(await row('redis-ds')).toEqual({ desired: 3, current: 3, ready: 3, upToDate: 3, available: 3 });

    const history = await cluster.kubectlOk(['rollout', 'history', 'daemonset/redis-ds', '-n', NS]);
    expect(history).toMatch(/^REVISION\s+CHANGE-CAUSE$/m);
    expect(history).toMatch(/^1\s+<none>$/m);
    expect(history).toMatch(/^2\s+upgrade to 6$/m);
    const revision1 = await cluster.kubectlOk(['rollout', 'history', 'daemonset/redis-ds', '--revision=1', '-n', NS]);
    expect(revision1).toMatch(/Image:\s+redis:5-alpine/);

    expect(await cluster.kubectlOk(['rollout', 'undo', 'daemonset/redis-ds', '-n', NS])).toContain('daemonset.apps/redis-ds rolled back');
    expect(await rolledOut('redis-ds')).toContain('successfully rolled out');
    const restored = await cluster.eventually('three redis:5-alpine pods', async () => {
      const live = (await cluster.pods(NS, 'name=redis-ds')).filter((p) => !p.metadata.deletionTimestamp);
      return live.length === 3 && live.every((p) => p.spec.containers[0]!.image === 'redis:5-alpine') ? live : undefined;
    });
    expect(restored).toHaveLength(3);
    // The old template's revision is reused and becomes the newest.
    const after = await cluster.kubectlOk(['rollout', 'history', 'daemonset/redis-ds', '-n', NS]);
    expect(after).toMatch(/^2\s+upgrade to 6$/m);
    expect(after).toMatch(/^3\s+/m);
    expect(after).not.toMatch(/^1\s+/m);
  }, SLOW);
});
