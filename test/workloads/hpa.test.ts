// The HPA journey of the tutorials on a hollow-node cluster, through real kubectl 1.32: a
// Deployment requesting 100m cpu, an HPA of min 1 / max 4 at 50% cpu (made by `kubectl autoscale`,
// which posts autoscaling/v1 while the controller reads v2), and synthetic usage
// driven by the hollow kubelets' fake.k8ts.io/cpu-usage annotation (reported through
// metrics.k8s.io like metrics-server's). Usage far above target scales up (to the maximum),
// usage gone scales back to the minimum once the downscale stabilization window has passed.
// The controller-manager runs with a 2 s sync period and a 20 s stabilization window, the
// apiserver scrapes kubelets every 2 s, so the journey takes well under a minute.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCluster, isReady, SLOW } from './fake-cluster.ts';

const cluster = new FakeCluster('hpa', 2);
const NS = 'autoscale';

/** `k8ts up` with short HPA periods and the apiserver scraping kubelets every 2 s. */
function up(): Promise<string> {
  const pki = path.join(cluster.home.clusterDir(cluster.name), 'pki');
  const flags = [
    'controller-manager.horizontal-pod-autoscaler-sync-period=2s',
    'controller-manager.horizontal-pod-autoscaler-downscale-stabilization=20s',
    'apiserver.metric-resolution=2s',
    // The resource metrics API is served once the apiserver may talk to kubelets.
    `apiserver.kubelet-client-certificate=${path.join(pki, 'apiserver-kubelet-client.crt')}`,
    `apiserver.kubelet-client-key=${path.join(pki, 'apiserver-kubelet-client.key')}`,
  ];
  const args = ['up', '--name', cluster.name, '--runtime', 'fake', '--nodes', String(cluster.nodes), ...flags.map((f) => `--extra-config=${f}`)];
  return cluster.home.ok(args, SLOW);
}

interface Hpa {
  status?: { conditions?: { type: string; status: string; reason: string }[] };
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: php-apache
spec:
  replicas: 1
  selector:
    matchLabels: {app: php-apache}
  template:
    metadata:
      labels: {app: php-apache}
    spec:
      containers:
      - name: php-apache
        image: registry.k8s.io/hpa-example
        resources:
          requests: {cpu: 100m}
`;

function hpaRow(): Promise<string[]> {
  return cluster.kubectlOk(['get', 'hpa', 'php-apache', '-n', NS, '--no-headers']).then((out) => out.trim().split(/\s{2,}/));
}

async function replicas(): Promise<number> {
  return Number(await cluster.kubectlOk(['get', 'deployment', 'php-apache', '-n', NS, '-o', 'jsonpath={.spec.replicas}']));
}

async function annotatePods(usage: string): Promise<void> {
  const pods = (await cluster.pods(NS, 'app=php-apache')).filter((p) => !p.metadata.deletionTimestamp);
  for (const pod of pods) await cluster.kubectlOk(['annotate', 'pod', pod.metadata.name!, '-n', NS, `fake.k8ts.io/cpu-usage=${usage}`, '--overwrite']);
}

async function conditions(): Promise<Record<string, string>> {
  const hpa = await cluster.json<Hpa>(['get', 'hpa.v2.autoscaling', 'php-apache', '-n', NS]);
  return Object.fromEntries((hpa.status?.conditions ?? []).map((c) => [c.type, `${c.status} ${c.reason}`]));
}

beforeAll(async () => {
  await up();
  await cluster.kubectlOk(['create', 'namespace', NS]);
}, SLOW);

afterAll(() => cluster.cleanup(), SLOW);

describe('a HorizontalPodAutoscaler on hollow nodes', () => {
  it('measures the pods of its target through the resource metrics API', async () => {
    await cluster.kubectlOk(['apply', '-n', NS, '-f', '-'], DEPLOYMENT);
    await cluster.kubectlOk(['rollout', 'status', 'deployment/php-apache', '-n', NS, '--timeout=120s']);
    // kubectl 1.32 posts an autoscaling/v1 object; the apiserver stores it as v2 and serves both.
    expect(await cluster.kubectlOk(['autoscale', 'deployment', 'php-apache', '--min=1', '--max=4', '--cpu-percent=50', '-n', NS])).toBe(
      'horizontalpodautoscaler.autoscaling/php-apache autoscaled\n',
    );
    // (By its full name: kubectl 1.32 drops the version of a short name, so hpa.v1.autoscaling reads v2.)
    const v1 = await cluster.kubectlOk(['get', 'horizontalpodautoscalers.v1.autoscaling', 'php-apache', '-n', NS, '-o', 'yaml']);
    expect(v1).toContain('apiVersion: autoscaling/v1\n');
    expect(v1).toContain('  targetCPUUtilizationPercentage: 50\n');
    expect(v1).not.toMatch(/^  metrics:/m);
    const v2 = await cluster.kubectlOk(['get', 'hpa', 'php-apache', '-n', NS, '-o', 'yaml']);
    expect(v2).toContain('apiVersion: autoscaling/v2\n');
    expect(v2).toContain(
      ['  metrics:', '  - resource:', '      name: cpu', '      target:', '        averageUtilization: 50', '        type: Utilization', '    type: Resource'].join('\n'),
    );
    expect(v2).not.toContain('targetCPUUtilizationPercentage');
    // Measured at 0% once the first sync has read the metrics API.
    const row = await cluster.eventually('the HPA to report usage', async () => {
      const cells = await hpaRow();
      return cells[2] === 'cpu: 0%/50%' ? cells : undefined;
    });
    expect(row.slice(0, 6)).toEqual(['php-apache', 'Deployment/php-apache', 'cpu: 0%/50%', '1', '4', '1']);
    // 0% asks for no pods at all: held first by the window's initial recommendation, then by the minimum.
    const settled = await cluster.eventually('the minimum to hold', async () => {
      const c = await conditions();
      return c.ScalingLimited === 'True TooFewReplicas' ? c : undefined;
    });
    expect(settled).toEqual({ AbleToScale: 'True ReadyForNewScale', ScalingActive: 'True ValidMetricFound', ScalingLimited: 'True TooFewReplicas' });
    expect(await replicas()).toBe(1);
  }, SLOW);

  it('scales up when usage rises above the target, no further than the maximum', async () => {
    // 200m of a 100m request: 200% against 50% asks for 4 pods per pod.
    await annotatePods('200m');
    await cluster.eventually('the scale-up to 4', async () => ((await replicas()) === 4 ? true : undefined));
    const events = await cluster.kubectlOk(['get', 'events', '-n', NS, '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler', '-o', 'jsonpath={.items[*].message}']);
    expect(events).toContain('New size: 4; reason: cpu resource utilization (percentage of request) above target');
    // The new pods run and report their usage too: all at 200m is still above target, held at the maximum.
    await cluster.eventually('4 ready pods', async () => {
      const pods = (await cluster.pods(NS, 'app=php-apache')).filter((p) => !p.metadata.deletionTimestamp);
      return pods.length === 4 && pods.every(isReady) ? pods : undefined;
    });
    await annotatePods('200m');
    const limited = await cluster.eventually('ScalingLimited at the maximum', async () => {
      const c = await conditions();
      return c.ScalingLimited === 'True TooManyReplicas' ? c : undefined;
    });
    expect(limited.ScalingActive).toBe('True ValidMetricFound');
    const row = await cluster.eventually('all 4 pods measured at 200%', async () => {
      const cells = await hpaRow();
      return cells[2] === 'cpu: 200%/50%' ? cells : undefined;
    });
    expect(row.slice(3, 6)).toEqual(['1', '4', '4']);
    expect(await replicas()).toBe(4);
    // Through autoscaling/v1 the measurement is the CPU field; what v1 has no field for rides in annotations.
    const v1 = await cluster.json<{ metadata: { annotations: Record<string, string> }; status: Record<string, unknown> }>(
      ['get', 'horizontalpodautoscalers.v1.autoscaling', 'php-apache', '-n', NS],
    );
    expect(v1.status).toMatchObject({ currentReplicas: 4, desiredReplicas: 4, currentCPUUtilizationPercentage: 200 });
    const v1Conditions = JSON.parse(v1.metadata.annotations['autoscaling.alpha.kubernetes.io/conditions']!) as { type: string; reason: string }[];
    expect(v1Conditions.find((c) => c.type === 'ScalingLimited')?.reason).toBe('TooManyReplicas');
  }, SLOW);

  it('scales back to the minimum only after the downscale stabilization window', async () => {
    await annotatePods('0');
    const dropped = Date.now();
    await cluster.eventually('usage to drop to 0%', async () => ((await hpaRow())[2] === 'cpu: 0%/50%' ? true : undefined));
    expect(await conditions()).toMatchObject({ AbleToScale: 'True ScaleDownStabilized' });
    expect(await replicas()).toBe(4);
    await cluster.eventually('the scale-down to 1', async () => ((await replicas()) === 1 ? true : undefined));
    // The 20 s window holds the earlier recommendation of 4.
    expect(Date.now() - dropped).toBeGreaterThanOrEqual(15_000);
    const events = await cluster.kubectlOk(['get', 'events', '-n', NS, '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler', '-o', 'jsonpath={.items[*].message}']);
    expect(events).toContain('New size: 1; reason: All metrics below target');
  }, SLOW);
});
