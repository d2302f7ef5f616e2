// The Deployment journeys of the tutorials on a hollow-node cluster started with `k8ts up
// --runtime fake --nodes 3`, through real kubectl 1.32: create and roll out, self-healing,
// scaling, a rolling update that keeps within maxSurge/maxUnavailable at every moment a watch
// sees, history with change-cause, undo, pause/resume, cascading and orphaning deletes, and a
// rollout that survives the controller-manager and the scheduler being killed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCluster, isReady, SLOW, type Pod } from './fake-cluster.ts';

const cluster = new FakeCluster('deploy', 3);
const NS = 'journeys';

interface Deployment {
  metadata: { name: string; generation: number; annotations?: Record<string, string> };
  spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
  status?: { observedGeneration?: number; replicas?: number; readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

async function rolledOut(name: string): Promise<string> {
  return cluster.kubectlOk(['rollout', 'status', `deployment/${name}`, '-n', NS, '--timeout=180s']);
}

async function readyPods(selector: string, count: number): Promise<Pod[]> {
  return cluster.eventually(`${count} ready pods with ${selector}`, async () => {
    const pods = (await cluster.pods(NS, selector)).filter((p) => !p.metadata.deletionTimestamp);
    return pods.length === count && pods.every(isReady) ? pods : undefined;
  });
}

function imageOf(deployment: Deployment): string {
  return deployment.spec.template.spec.containers[0]!.image;
}

beforeAll(async () => {
  await cluster.up();
  await cluster.kubectlOk(['create', 'namespace', NS]);
}, SLOW);

afterAll(() => cluster.cleanup(), SLOW);

describe('a Deployment on hollow nodes', () => {
  it('registers the nodes Ready, with pod CIDRs and leases', async () => {
    const nodes = await cluster.eventually('3 Ready nodes', async () => {
      const out = await cluster.kubectlOk(['get', 'nodes', '--no-headers']);
      const lines = out.trim().split('\n');
      return lines.length === 3 && lines.every((l) => /\sReady\s/.test(l)) ? lines : undefined;
    });
    expect(nodes.map((l) => l.split(/\s+/)[0]).sort()).toEqual(cluster.nodeNames());
    const cidrs = await cluster.kubectlOk(['get', 'nodes', '-o', 'jsonpath={.items[*].spec.podCIDR}']);
    expect(cidrs.split(' ').sort()).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
    const leases = await cluster.kubectlOk(['get', 'leases', '-n', 'kube-node-lease', '-o', 'name']);
    expect(leases.trim().split('\n').sort()).toEqual(cluster.nodeNames().map((n) => `lease.coordination.k8s.io/${n}`));
  }, SLOW);

  it('creates a deployment whose 3 pods run Ready on the nodes, with pod IPs from their node\'s range', async () => {
    await cluster.kubectlOk(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3', '-n', NS]);
    expect(await rolledOut('web')).toContain('deployment "web" successfully rolled out');
    const row = (await cluster.kubectlOk(['get', 'deployment', 'web', '-n', NS, '--no-headers'])).trim().split(/\s+/);
    expect(row.slice(0, 4)).toEqual(['web', '3/3', '3', '3']);
    const pods = await readyPods('app=web', 3);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{8,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.spec.nodeName).toMatch(new RegExp(`^${cluster.name}-node-[123]$`));
      expect(pod.status?.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    }
    const events = await cluster.kubectlOk(['get', 'events', '-n', NS, '--field-selector', 'involvedObject.kind=Deployment', '-o', 'jsonpath={.items[*].message}']);
    expect(events).toMatch(/Scaled up replica set web-\S+ from 0 to 3/);
  }, SLOW);

  it('replaces a deleted pod', async () => {
    const [victim] = await readyPods('app=web', 3);
    await cluster.kubectlOk(['delete', 'pod', victim!.metadata.name!, '-n', NS]);
    const pods = await readyPods('app=web', 3);
    expect(pods.map((p) => p.metadata.name)).not.toContain(victim!.metadata.name);
  }, SLOW);

  it('scales 3 → 5 → 1', async () => {
    await cluster.kubectlOk(['scale', 'deployment', 'web', '--replicas=5', '-n', NS]);
    await readyPods('app=web', 5);
    await cluster.kubectlOk(['scale', 'deployment', 'web', '--replicas=1', '-n', NS]);
    await readyPods('app=web', 1);
    await cluster.kubectlOk(['scale', 'deployment', 'web', '--replicas=4', '-n', NS]);
    await readyPods('app=web', 4);
  }, SLOW);

  it('rolls out a new image within maxSurge 1 / maxUnavailable 1 at every moment a watch sees', async () => {
    await cluster.kubectlOk(['patch', 'deployment', 'web', '-n', NS, '-p', '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":1,"maxUnavailable":1}}}}']);
    await rolledOut('web');
    const breaches: string[] = [];
    let most = 0;
    let fewestReady = Infinity;
    const watch = await cluster.watchPods(NS, 'app=web', (pods) => {
      const live = [...pods.values()].filter((p) => !p.metadata.deletionTimestamp);
      const ready = live.filter(isReady).length;
      most = Math.max(most, live.length);
      fewestReady = Math.min(fewestReady, ready);
      if (live.length > 5 || ready < 3) breaches.push(`${live.length} pods, ${ready} ready`);
    });
    try {
      await cluster.kubectlOk(['set', 'image', 'deployment/web', 'nginx=nginx:1.26', '-n', NS]);
      await cluster.kubectlOk(['annotate', 'deployment', 'web', '-n', NS, 'kubernetes.io/change-cause=upgrade to 1.26']);
      expect(await rolledOut('web')).toContain('successfully rolled out');
    } finally {
      watch.stop();
    }
    expect(breaches).toEqual([]);
    expect(most).toBe(5);
    expect(fewestReady).toBeGreaterThanOrEqual(3);
    const pods = await readyPods('app=web', 4);
    expect(pods.every((p) => p.spec.containers[0]!.image === 'nginx:1.26')).toBe(true);
    const replicaSets = await cluster.kubectlOk(['get', 'rs', '-n', NS, '-l', 'app=web', '--no-headers']);
    expect(replicaSets.trim().split('\n')).toHaveLength(2);
  }, SLOW);

  it('shows the revisions with their change-cause, and undoes to the previous and to a chosen revision', async () => {
    const history = await cluster.kubectlOk(['rollout', 'history', 'deployment/web', '-n', NS]);
    expect(history).toMatch(/^REVISION\s+CHANGE-CAUSE$/m);
    expect(history).toMatch(/^1\s+<none>$/m);
    expect(history).toMatch(/^2\s+upgrade to 1\.26$/m);

    expect(await cluster.kubectlOk(['rollout', 'undo', 'deployment/web', '-n', NS])).toContain('deployment.apps/web rolled back');
    await rolledOut('web');
    expect(imageOf(await cluster.json<Deployment>(['get', 'deployment', 'web', '-n', NS]))).toBe('nginx:1.25');
    const after = await cluster.kubectlOk(['rollout', 'history', 'deployment/web', '-n', NS]);
    expect(after).toMatch(/^2\s+/m);
    expect(after).toMatch(/^3\s+/m);
    expect(after).not.toMatch(/^1\s+/m);

    await cluster.kubectlOk(['rollout', 'undo', 'deployment/web', '--to-revision=2', '-n', NS]);
    await rolledOut('web');
    expect(imageOf(await cluster.json<Deployment>(['get', 'deployment', 'web', '-n', NS]))).toBe('nginx:1.26');
    const pods = await readyPods('app=web', 4);
    expect(pods.every((p) => p.spec.containers[0]!.image === 'nginx:1.26')).toBe(true);
  }, SLOW);

  it('holds a paused rollout until it is resumed', async () => {
    const replicaSetCount = async () => (await cluster.kubectlOk(['get', 'rs', '-n', NS, '-l', 'app=web', '-o', 'name'])).trim().split('\n').length;
    const before = await replicaSetCount();
    await cluster.kubectlOk(['rollout', 'pause', 'deployment/web', '-n', NS]);
    await cluster.kubectlOk(['set', 'image', 'deployment/web', 'nginx=nginx:1.27', '-n', NS]);
    const paused = await cluster.eventually('the paused deployment observed', async () => {
      const d = await cluster.json<Deployment & { status: { conditions?: { type: string; reason: string }[] } }>(['get', 'deployment', 'web', '-n', NS]);
      return d.status.observedGeneration === d.metadata.generation ? d : undefined;
    });
    expect(paused.status.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe('DeploymentPaused');
    expect(await replicaSetCount()).toBe(before);
    expect((await readyPods('app=web', 4)).every((p) => p.spec.containers[0]!.image === 'nginx:1.26')).toBe(true);

    await cluster.kubectlOk(['rollout', 'resume', 'deployment/web', '-n', NS]);
    await rolledOut('web');
    expect((await readyPods('app=web', 4)).every((p) => p.spec.containers[0]!.image === 'nginx:1.27')).toBe(true);
  }, SLOW);

  it('completes a rollout when the controller-manager and the scheduler are killed in the middle of it', async () => {
    await cluster.kubectlOk(['set', 'image', 'deployment/web', 'nginx=nginx:1.28', '-n', NS]);
    process.kill(cluster.pidOf('controller-manager'), 'SIGKILL');
    process.kill(cluster.pidOf('scheduler'), 'SIGKILL');
    expect(await rolledOut('web')).toContain('successfully rolled out');
    expect((await readyPods('app=web', 4)).every((p) => p.spec.containers[0]!.image === 'nginx:1.28')).toBe(true);
  }, SLOW);

  it('deletes a deployment with its replica sets and pods, and keeps them with --cascade=orphan', async () => {
    await cluster.kubectlOk(['delete', 'deployment', 'web', '-n', NS]);
    await cluster.eventually('web\'s replica sets and pods gone', async () => {
      const left = await cluster.kubectlOk(['get', 'rs,pods', '-n', NS, '-l', 'app=web', '-o', 'name']);
      return left.trim() === '' ? true : undefined;
    });

    await cluster.kubectlOk(['create', 'deployment', 'keep', '--image=nginx:1.25', '--replicas=2', '-n', NS]);
    await rolledOut('keep');
    await cluster.kubectlOk(['delete', 'deployment', 'keep', '--cascade=orphan', '-n', NS]);
    const orphaned = await cluster.eventually('the replica set released', async () => {
      const list = await cluster.json<{ items: { metadata: { ownerReferences?: unknown[] } }[] }>(['get', 'rs', '-n', NS, '-l', 'app=keep']);
      return list.items.length === 1 && !list.items[0]!.metadata.ownerReferences?.length ? list.items : undefined;
    });
    expect(orphaned).toHaveLength(1);
    expect(await readyPods('app=keep', 2)).toHaveLength(2);
  }, SLOW);
});
