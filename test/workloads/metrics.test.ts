// Resource metrics on a hollow-node cluster, through real kubectl 1.32: each hollow kubelet
// serves /metrics/resource with the usage its pods' fake.k8ts.io/cpu-usage and memory-usage
// annotations give, the apiserver scrapes them (metrics-server's role, every 2 s here) and serves
// metrics.k8s.io/v1beta1, so `kubectl top nodes` and `kubectl top pods` work, and a changed
// annotation shows within a couple of scrapes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCluster, isReady, SLOW } from './fake-cluster.ts';

// `k8ts up` gives the apiserver its kubelet client certificate and the kubelets free ports
const cluster = new FakeCluster('metrics', 2, ['--extra-config=apiserver.metric-resolution=2s']);
const NS = 'usage';

interface PodMetrics {
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  timestamp: string;
  window: string;
  containers: { name: string; usage: { cpu: string; memory: string } }[];
}

/** kubectl top's CPU column in millicores ("512m" → 512). */
function millicores(text: string): number {
  return text.endsWith('m') ? Number(text.slice(0, -1)) : Number(text) * 1000;
}

/** The rows of `kubectl top …` under its header, split into columns. */
async function top(args: string[]): Promise<string[][] | undefined> {
  const result = await cluster.kubectl(['top', ...args]);
  if (result.code !== 0) return undefined;
  const rows = result.stdout.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
  return rows.length > 0 ? rows : undefined;
}

beforeAll(async () => {
  await cluster.up();
  await cluster.kubectlOk(['create', 'namespace', NS]);
}, SLOW);

afterAll(() => cluster.cleanup(), SLOW);

describe('resource metrics on hollow nodes', () => {
  it('lists metrics.k8s.io/v1beta1 in discovery', async () => {
    const resources = await cluster.kubectlOk(['api-resources', '--api-group=metrics.k8s.io', '--no-headers']);
    const rows = resources.trim().split('\n').map((l) => l.trim().split(/\s+/));
    expect(rows).toEqual([
      ['nodes', 'metrics.k8s.io/v1beta1', 'false', 'NodeMetrics'],
      ['pods', 'metrics.k8s.io/v1beta1', 'true', 'PodMetrics'],
    ]);
    // the legacy documents older clients read
    const groups = JSON.parse(await cluster.kubectlOk(['get', '--raw', '/apis'])) as { groups: { name: string; preferredVersion: { groupVersion: string } }[] };
    expect(groups.groups.find((g) => g.name === 'metrics.k8s.io')?.preferredVersion.groupVersion).toBe('metrics.k8s.io/v1beta1');
    const list = JSON.parse(await cluster.kubectlOk(['get', '--raw', '/apis/metrics.k8s.io/v1beta1'])) as { kind: string; resources: { name: string; verbs: string[] }[] };
    expect(list.kind).toBe('APIResourceList');
    expect(list.resources.map((r) => [r.name, r.verbs])).toEqual([
      ['nodes', ['get', 'list']],
      ['pods', ['get', 'list']],
    ]);
  }, SLOW);

  it('reports each node in the Node status with the port its kubelet serves on', async () => {
    const nodes = await cluster.json<{ items: { status: { daemonEndpoints: { kubeletEndpoint: { Port: number } }; addresses: { type: string; address: string }[] } }[] }>(['get', 'nodes']);
    for (const node of nodes.items) {
      expect(node.status.daemonEndpoints.kubeletEndpoint.Port).toBeGreaterThan(0);
      expect(node.status.addresses.find((a) => a.type === 'InternalIP')?.address).toMatch(/^127\.18\./);
    }
  }, SLOW);

  it('shows node usage in kubectl top nodes', async () => {
    // a node scraped only once yet shows <unknown>, as with metrics-server
    const rows = await cluster.eventually('kubectl top nodes with usage for every node', async () => {
      const found = await top(['nodes']);
      return found && found.length === 2 && found.every((r) => r[1] !== '<unknown>') ? found : undefined;
    });
    expect(rows.map((r) => r[0]).sort()).toEqual(cluster.nodeNames());
    for (const [, cpu, cpuPercent, memory, memoryPercent] of rows) {
      expect(cpu).toMatch(/^\d+m$/);
      expect(cpuPercent).toMatch(/^\d+%$/);
      expect(memory).toMatch(/^\d+Mi$/);
      expect(memoryPercent).toMatch(/^\d+%$/);
    }
  }, SLOW);

  it('shows pod usage from the annotations, and follows kubectl annotate', async () => {
    await cluster.kubectlOk(
      ['apply', '-n', NS, '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'busy', labels: { app: 'busy' }, annotations: { 'fake.k8ts.io/cpu-usage': '250m', 'fake.k8ts.io/memory-usage': '64Mi' } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.25' }, { name: 'sidecar', image: 'busybox:1.36' }] },
      }),
    );
    await cluster.kubectlOk(['create', 'deployment', 'idle', '--image=nginx:1.25', '-n', NS]);
    await cluster.eventually('ready pods', async () => {
      const pods = await cluster.pods(NS, 'app in (busy,idle)');
      return pods.length === 2 && pods.every(isReady) ? pods : undefined;
    });

    const rows = await cluster.eventually('kubectl top pods for both pods', async () => {
      const found = await top(['pods', '-n', NS]);
      return found && found.length === 2 ? found : undefined;
    });
    const busy = rows.find((r) => r[0] === 'busy')!;
    expect(millicores(busy[1]!)).toBeGreaterThanOrEqual(240);
    expect(millicores(busy[1]!)).toBeLessThanOrEqual(260);
    expect(busy[2]).toBe('64Mi');
    const idle = rows.find((r) => r[0]!.startsWith('idle-'))!;
    expect(idle.slice(1)).toEqual(['0m', '2Mi']);

    // the pod's usage is split evenly over its containers
    const containers = await top(['pod', 'busy', '-n', NS, '--containers']);
    expect(containers!.map((r) => [r[0], r[1], r[3]])).toEqual([
      ['busy', 'app', '32Mi'],
      ['busy', 'sidecar', '32Mi'],
    ]);

    // the raw API, as the HPA reads it
    const raw = JSON.parse(await cluster.kubectlOk(['get', '--raw', `/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods?labelSelector=app%3Dbusy`])) as { kind: string; items: PodMetrics[] };
    expect(raw.kind).toBe('PodMetricsList');
    expect(raw.items.map((p) => [p.metadata.name, p.metadata.labels, p.containers.map((c) => c.name)])).toEqual([['busy', { app: 'busy' }, ['app', 'sidecar']]]);
    expect(raw.items[0]!.window).toMatch(/^\d+(\.\d+)?s$/);

    await cluster.kubectlOk(['annotate', 'pod', 'busy', '-n', NS, 'fake.k8ts.io/cpu-usage=500m', '--overwrite']);
    const after = await cluster.eventually('kubectl top pod busy at ~500m', async () => {
      const found = await top(['pod', 'busy', '-n', NS]);
      const cpu = found ? millicores(found[0]![1]!) : 0;
      return cpu >= 490 && cpu <= 510 ? found : undefined;
    });
    expect(after[0]![2]).toBe('64Mi');
  }, SLOW);

  it('answers NotFound for a pod without metrics, as metrics-server does', async () => {
    const result = await cluster.kubectl(['get', '--raw', `/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods/nothing`]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`podmetrics.metrics.k8s.io "${NS}/nothing" not found`);
  }, SLOW);

  it('lets a user with the view role run kubectl top (the metrics reader role up installs aggregates into view)', async () => {
    await cluster.kubectlOk(['create', 'rolebinding', 'jane-view', '--clusterrole=view', '--user=jane', '-n', NS]);
    const rows = await cluster.eventually('kubectl top pods as jane', async () => {
      const result = await cluster.kubectl(['top', 'pods', '-n', NS, '--as=jane']);
      return result.code === 0 ? result.stdout : undefined;
    });
    expect(rows).toMatch(/^busy\s+\d+m\s+64Mi/m);
    const nodes = await cluster.kubectl(['top', 'nodes', '--as=jane']);
    expect(nodes.stderr).toContain('nodes.metrics.k8s.io is forbidden: User "jane" cannot list resource "nodes" in API group "metrics.k8s.io" at the cluster scope');
  }, SLOW);
});
