// Scheduling and node health on a hollow-node cluster (`k8ts up --runtime fake --nodes 3`),
// through real kubectl 1.32: a tainted node gets no pods without a toleration, a pod asking for
// more cpu than any node has stays Pending with kube-scheduler's FailedScheduling message, a node
// whose kubelet stops answering goes NotReady and its pods are rescheduled once their toleration
// runs out, and deleting a namespace removes everything in it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCluster, isReady, SLOW, type Pod } from './fake-cluster.ts';

const cluster = new FakeCluster('sched', 3);

beforeAll(async () => {
  await cluster.up();
  await cluster.eventually('3 Ready nodes', async () => {
    const out = await cluster.kubectlOk(['get', 'nodes', '--no-headers']);
    const lines = out.trim().split('\n');
    return lines.length === 3 && lines.every((l) => /\sReady\s/.test(l)) ? true : undefined;
  });
}, SLOW);

afterAll(() => cluster.cleanup(), SLOW);

async function readyPods(ns: string, selector: string, count: number): Promise<Pod[]> {
  return cluster.eventually(`${count} ready pods with ${selector}`, async () => {
    const pods = (await cluster.pods(ns, selector)).filter((p) => !p.metadata.deletionTimestamp);
    return pods.length === count && pods.every(isReady) ? pods : undefined;
  });
}

describe('scheduling on hollow nodes', () => {
  it('puts no pod on a tainted node unless the pod tolerates the taint', async () => {
    const [tainted] = cluster.nodeNames();
    await cluster.kubectlOk(['taint', 'nodes', tainted!, 'dedicated=infra:NoSchedule']);
    try {
      await cluster.kubectlOk(['create', 'deployment', 'spread', '--image=nginx', '--replicas=6']);
      const pods = await readyPods('default', 'app=spread', 6);
      expect(pods.map((p) => p.spec.nodeName)).not.toContain(tainted);

      const tolerating = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'tolerant' },
        spec: {
          nodeSelector: { 'kubernetes.io/hostname': tainted },
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }],
          containers: [{ name: 'c', image: 'nginx' }],
        },
      };
      await cluster.kubectlOk(['apply', '-f', '-'], JSON.stringify(tolerating));
      const placed = await cluster.eventually('the tolerating pod running', async () => {
        const pod = await cluster.json<Pod>(['get', 'pod', 'tolerant']);
        return isReady(pod) ? pod : undefined;
      });
      expect(placed.spec.nodeName).toBe(tainted);
    } finally {
      await cluster.kubectlOk(['taint', 'nodes', tainted!, 'dedicated=infra:NoSchedule-']);
      await cluster.kubectlOk(['delete', 'deployment', 'spread']);
      await cluster.kubectlOk(['delete', 'pod', 'tolerant']);
    }
  }, SLOW);

  it('leaves a pod asking for more cpu than any node has Pending, with the FailedScheduling message', async () => {
    await cluster.kubectlOk(['run', 'huge', '--image=nginx', '--overrides', JSON.stringify({ spec: { containers: [{ name: 'huge', image: 'nginx', resources: { requests: { cpu: '64' } } }] } })]);
    const message = await cluster.eventually('a FailedScheduling event', async () => {
      const out = await cluster.kubectlOk(['get', 'events', '--field-selector', 'involvedObject.name=huge,reason=FailedScheduling', '-o', 'jsonpath={.items[*].message}']);
      return out.trim() || undefined;
    });
    expect(message).toBe(
      '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
    );
    const pod = await cluster.json<Pod>(['get', 'pod', 'huge']);
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    const describe = await cluster.kubectlOk(['describe', 'pod', 'huge']);
    expect(describe).toMatch(/Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/3 nodes are available: 3 Insufficient cpu/);
    await cluster.kubectlOk(['delete', 'pod', 'huge']);
  }, SLOW);

  it('deletes everything in a namespace, then the namespace', async () => {
    await cluster.kubectlOk(['create', 'namespace', 'doomed']);
    await cluster.kubectlOk(['create', 'deployment', 'app', '--image=nginx', '--replicas=2', '-n', 'doomed']);
    await cluster.kubectlOk(['create', 'configmap', 'settings', '--from-literal=a=b', '-n', 'doomed']);
    await cluster.kubectlOk(['create', 'service', 'clusterip', 'app', '--tcp=80:80', '-n', 'doomed']);
    await readyPods('doomed', 'app=app', 2);
    await cluster.kubectlOk(['delete', 'namespace', 'doomed', '--timeout=120s']);
    const gone = await cluster.kubectl(['get', 'namespace', 'doomed']);
    expect(gone.stderr).toContain('namespaces "doomed" not found');
    const left = await cluster.kubectlOk(['get', 'pods,rs,deploy,cm,svc', '-A', '--field-selector', 'metadata.namespace=doomed', '-o', 'name']);
    expect(left.trim()).toBe('');
  }, SLOW);

  it('marks a node whose kubelet stops answering NotReady, taints it, and reschedules its pods after their toleration', async () => {
    const tolerations = ['not-ready', 'unreachable'].map((t) => ({ key: `node.kubernetes.io/${t}`, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }));
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'survivor' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'survivor' } },
        template: { metadata: { labels: { app: 'survivor' } }, spec: { tolerations, containers: [{ name: 'c', image: 'nginx' }] } },
      },
    };
    await cluster.kubectlOk(['apply', '-f', '-'], JSON.stringify(deployment));
    const pods = await readyPods('default', 'app=survivor', 3);
    const lost = pods[0]!.spec.nodeName!;
    const kubelet = cluster.pidOf(`kubelet-${lost}`);
    // A stopped process: it neither heartbeats nor exits, so the supervisor leaves it be.
    process.kill(kubelet, 'SIGSTOP');
    try {
      const node = await cluster.eventually(
        `${lost} NotReady`,
        async () => {
          const out = await cluster.kubectlOk(['get', 'node', lost, '--no-headers']);
          return /\sNotReady\s/.test(out) ? out : undefined;
        },
        180_000,
      );
      expect(node).toContain('NotReady');
      const ready = await cluster.json<{ status: { conditions: { type: string; status: string; reason: string; message: string }[] } }>(['get', 'node', lost]);
      expect(ready.status.conditions.find((c) => c.type === 'Ready')).toMatchObject({
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
      });
      const taints = await cluster.kubectlOk(['get', 'node', lost, '-o', 'jsonpath={.spec.taints[*].key}']);
      expect(taints.split(' ')).toContain('node.kubernetes.io/unreachable');
      const moved = await cluster.eventually(
        'the lost pods replaced on other nodes',
        async () => {
          const now = (await cluster.pods('default', 'app=survivor')).filter((p) => !p.metadata.deletionTimestamp && p.spec.nodeName !== lost);
          return now.length === 3 && now.every(isReady) ? now : undefined;
        },
        180_000,
      );
      expect(moved.map((p) => p.spec.nodeName)).not.toContain(lost);
    } finally {
      process.kill(kubelet, 'SIGCONT');
    }
    await cluster.eventually(`${lost} Ready again`, async () => {
      const out = await cluster.kubectlOk(['get', 'node', lost, '--no-headers']);
      return /\sReady\s/.test(out) ? true : undefined;
    });
  }, SLOW);
});
