import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { ControllerHarness } from '../../testing/harness.ts';
import { namespace } from '../../testing/fixtures.ts';
import { HorizontalController } from './horizontal-controller.ts';
import { ScaleClient } from './scale-target.ts';
import { deployment, FakeMetrics, hpa, pod, serveDeploymentScale } from './testing.ts';
import { HPA_KIND, type HorizontalPodAutoscaler } from './types.ts';

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

const SYNC_PERIOD = 15_000;

async function start(...objects: KubeObject[]): Promise<{ h: ControllerHarness; metrics: FakeMetrics }> {
  const h = (harness = new ControllerHarness(namespace('default'), ...objects));
  serveDeploymentScale(h.api);
  const metrics = new FakeMetrics(() => h.clock.now());
  const controller = new HorizontalController({
    hpas: h.informers.forKind<HorizontalPodAutoscaler>(HPA_KIND),
    pods: h.informers.forKind({ group: '', version: 'v1', kind: 'Pod' }),
    hpaClient: h.client.forKind<HorizontalPodAutoscaler>(HPA_KIND),
    scales: new ScaleClient(h.client),
    metrics,
    recorder: h.recorder('horizontal-pod-autoscaler'),
    queue: h.newQueue('horizontalpodautoscaler'),
    workers: 1,
    syncPeriodMs: SYNC_PERIOD,
    downscaleStabilizationMs: 300_000,
    calculator: { tolerance: 0.1, cpuInitializationPeriodMs: 300_000, initialReadinessDelayMs: 30_000 },
    clock: h.clock,
    logger: h.logger,
  });
  await h.start(controller);
  return { h, metrics };
}

const replicasOf = (h: ControllerHarness): number | undefined => h.api.get<KubeObject & { spec: { replicas?: number } }>('apps/v1', 'Deployment', 'default', 'web')?.spec.replicas;
const statusOf = (h: ControllerHarness) => h.api.get<HorizontalPodAutoscaler>('autoscaling/v2', 'HorizontalPodAutoscaler', 'default', 'web')?.status;
const conditions = (h: ControllerHarness) => Object.fromEntries((statusOf(h)?.conditions ?? []).map((c) => [c.type, `${c.status} ${c.reason}: ${c.message}`]));

describe('horizontal-pod-autoscaler controller', () => {
  it('waits a sync period, then scales up on cpu utilization, bounded by the scale-up limit', async () => {
    const { h, metrics } = await start(deployment('web', 2), pod('web-1'), pod('web-2'), hpa());
    metrics.cpu.set('web-1', 200).set('web-2', 200);
    await h.settle(SYNC_PERIOD - 1000);
    expect(replicasOf(h)).toBe(2);
    await h.until(() => replicasOf(h) !== 2, 'a rescale');
    // 200% of a 50% target asks for 8; one sync may at most double, or reach 4.
    expect(replicasOf(h)).toBe(4);
    expect(h.eventLines()).toEqual(['Normal SuccessfulRescale New size: 4; reason: cpu resource utilization (percentage of request) above target']);
    expect(metrics.requests).toEqual(['cpu default app=web']);
    const status = statusOf(h)!;
    expect(status).toMatchObject({
      currentReplicas: 2,
      desiredReplicas: 4,
      lastScaleTime: '2025-01-01T00:00:15Z',
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 200, averageValue: '200m' } } }],
    });
    expect(conditions(h)).toEqual({
      AbleToScale: 'True SucceededRescale: the HPA controller was able to update the target scale to 4',
      ScalingActive: 'True ValidMetricFound: the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
      ScalingLimited: 'True ScaleUpLimit: the desired replica count is increasing faster than the maximum scale rate',
    });
  });

  it('holds a scale-down for the stabilization window, then scales to the minimum', async () => {
    const { h, metrics } = await start(deployment('web', 3), pod('web-1'), pod('web-2'), pod('web-3'), hpa({ minReplicas: 2 }));
    metrics.cpu.set('web-1', 0).set('web-2', 0).set('web-3', 0);
    await h.until(() => statusOf(h)?.desiredReplicas !== undefined, 'a first status');
    expect(statusOf(h)).toMatchObject({ currentReplicas: 3, desiredReplicas: 3 });
    expect(conditions(h).AbleToScale).toBe('True ScaleDownStabilized: recent recommendations were higher than current one, applying the highest recent recommendation');
    await h.settle(240_000);
    expect(replicasOf(h)).toBe(3);
    await h.until(() => replicasOf(h) === 2, 'the scale-down', 120_000);
    expect(h.eventLines()).toEqual(['Normal SuccessfulRescale New size: 2; reason: All metrics below target']);
    expect(conditions(h).ScalingLimited).toBe('True TooFewReplicas: the desired replica count is less than the minimum replica count');
  });

  it('does not scale within the tolerance, and writes status only when it changes', async () => {
    const { h, metrics } = await start(deployment('web', 2), pod('web-1'), pod('web-2'), hpa());
    metrics.cpu.set('web-1', 52).set('web-2', 54);
    await h.until(() => statusOf(h) !== undefined, 'a status');
    await h.settle(SYNC_PERIOD * 3);
    expect(replicasOf(h)).toBe(2);
    expect(statusOf(h)).toMatchObject({ currentReplicas: 2, desiredReplicas: 2, currentMetrics: [{ resource: { current: { averageUtilization: 53, averageValue: '53m' } } }] });
    expect(h.api.writes().filter((w) => w.subresource === 'status')).toHaveLength(1);
  });

  it('reports metrics it cannot read, without scaling', async () => {
    const { h } = await start(deployment('web', 2), pod('web-1'), pod('web-2'), hpa());
    await h.until(() => statusOf(h) !== undefined, 'a status');
    const failure = 'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API';
    expect(h.eventLines()).toEqual([
      `Warning FailedGetResourceMetric ${failure}`,
      `Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${failure}`,
    ]);
    expect(conditions(h)).toEqual({
      AbleToScale: "True SucceededGetScale: the HPA controller was able to get the target's current scale",
      ScalingActive: `False FailedGetResourceMetric: the HPA was unable to compute the replica count: ${failure}`,
    });
    // kubectl shows "cpu: <unknown>/50%": the metric's status entry stays empty.
    expect(statusOf(h)).toEqual({ currentReplicas: 2, desiredReplicas: 0, currentMetrics: [{ type: '' }], conditions: expect.any(Array) });
    expect(replicasOf(h)).toBe(2);
  });

  it('refuses to scale pods that two HPAs select', async () => {
    const second = { ...hpa(), metadata: { name: 'web-too', namespace: 'default' } };
    const { h, metrics } = await start(deployment('web', 2), pod('web-1'), pod('web-2'), hpa(), second);
    metrics.cpu.set('web-1', 200).set('web-2', 200);
    // Each HPA learns the other's selector from its own first sync (the first one to sync may
    // still scale once, as in Kubernetes); from then on both refuse.
    await h.settle(SYNC_PERIOD * 2 + 1000);
    const message = 'pods by selector app=web are controlled by multiple HPAs: [default/web default/web-too]';
    const ambiguous = `False AmbiguousSelector: ${message}`;
    const scalingActive = (name: string) =>
      h.api.get<HorizontalPodAutoscaler>('autoscaling/v2', 'HorizontalPodAutoscaler', 'default', name)?.status?.conditions?.find((c) => c.type === 'ScalingActive');
    expect(['web', 'web-too'].map((n) => `${scalingActive(n)?.status} ${scalingActive(n)?.reason}: ${scalingActive(n)?.message}`)).toEqual([ambiguous, ambiguous]);
    expect(h.eventLines()).toContain(`Warning AmbiguousSelector ${message}`);
    const replicas = replicasOf(h);
    metrics.cpu.set('web-1', 900).set('web-2', 900);
    await h.settle(SYNC_PERIOD * 2);
    expect(replicasOf(h)).toBe(replicas);
  });

  it('reports a rescale the target refused, and tries again a sync period later', async () => {
    const { h, metrics } = await start(deployment('web', 2), pod('web-1'), pod('web-2'), hpa());
    metrics.cpu.set('web-1', 100).set('web-2', 100);
    const refusal = 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again';
    h.api.failNext('update', 'deployments.apps', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: refusal, reason: 'Conflict', code: 409 });
    await h.until(() => statusOf(h) !== undefined, 'a status');
    expect(h.eventLines()).toEqual([`Warning FailedRescale New size: 4; reason: cpu resource utilization (percentage of request) above target; error: ${refusal}`]);
    expect(conditions(h).AbleToScale).toBe(`False FailedUpdateScale: the HPA controller was unable to update the target scale: ${refusal}`);
    await h.until(() => replicasOf(h) === 4, 'the retried rescale', SYNC_PERIOD + 1000);
    expect(conditions(h).AbleToScale).toBe('True SucceededRescale: the HPA controller was able to update the target scale to 4');
  });

  it('scales on an average value target', async () => {
    const metricsSpec = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '50m' } } }];
    const { h, metrics } = await start(deployment('web', 2), pod('web-1'), pod('web-2'), hpa({ metrics: metricsSpec }));
    metrics.cpu.set('web-1', 100).set('web-2', 100);
    await h.until(() => replicasOf(h) === 4, 'the scale-up');
    expect(h.eventLines()).toEqual(['Normal SuccessfulRescale New size: 4; reason: cpu resource above target']);
    expect(statusOf(h)?.currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', current: { averageValue: '100m' } } }]);
  });

  it('scales up on the metrics it can read when another cannot be read', async () => {
    const metricsSpec = [
      { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '10' } } },
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
    ];
    const { h, metrics } = await start(deployment('web', 2), pod('web-1'), pod('web-2'), hpa({ metrics: metricsSpec }));
    metrics.cpu.set('web-1', 100).set('web-2', 100);
    await h.until(() => replicasOf(h) === 4, 'the scale-up');
    expect(h.eventLines()[0]).toBe(
      'Warning FailedGetPodsMetric unable to get metric requests_per_second: unable to fetch metrics from custom metrics API: the server could not find the requested resource',
    );
    expect(conditions(h).ScalingActive).toBe('True ValidMetricFound: the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)');
    // The unread metric keeps an empty entry, so kubectl prints it as <unknown>.
    expect(statusOf(h)?.currentMetrics?.[0]).toEqual({ type: '' });
  });

  it('refuses to guess for an HPA without metrics', async () => {
    const { h } = await start(deployment('web', 2), pod('web-1'), pod('web-2'), hpa({ metrics: [] }));
    await h.settle(SYNC_PERIOD + 1000);
    expect(h.eventLines()).toEqual(['Warning FailedComputeMetricsReplicas no metrics specified in spec.metrics']);
    expect(replicasOf(h)).toBe(2);
  });

  it('brings a target outside min/max back within them without reading metrics', async () => {
    const { h, metrics } = await start(deployment('web', 12), hpa({ maxReplicas: 5 }));
    await h.until(() => replicasOf(h) === 5, 'the scale to max');
    expect(h.eventLines()).toEqual(['Normal SuccessfulRescale New size: 5; reason: Current number of replicas above Spec.MaxReplicas']);
    expect(metrics.requests).toEqual([]);
  });

  it('leaves a target scaled to zero alone', async () => {
    const { h } = await start(deployment('web', 0), hpa());
    await h.until(() => statusOf(h) !== undefined, 'a status');
    expect(conditions(h).ScalingActive).toBe('False ScalingDisabled: scaling is disabled since the replica count of the target is zero');
    expect(replicasOf(h)).toBe(0);
  });

  it('reports a target it cannot find', async () => {
    const { h } = await start(hpa({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } }));
    await h.until(() => statusOf(h) !== undefined, 'a status');
    expect(h.eventLines()).toEqual(['Warning FailedGetScale deployments.apps "web" not found']);
    expect(conditions(h).AbleToScale).toBe('False FailedGetScale: the HPA controller was unable to get the target\'s current scale: deployments.apps "web" not found');
    expect(h.logs.some((l) => l.includes('failed to query scale subresource for Deployment/default/web: deployments.apps "web" not found'))).toBe(true);
  });

  it('reports a kind that does not exist', async () => {
    const { h } = await start(hpa({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deploy', name: 'web' } }));
    await h.until(() => statusOf(h) !== undefined, 'a status');
    expect(h.eventLines()).toEqual(['Warning FailedGetScale no matches for kind "Deploy" in group "apps"']);
  });

  it('follows behavior policies across syncs', async () => {
    const behavior = {
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max' as const, policies: [{ type: 'Pods' as const, value: 1, periodSeconds: 30 }] },
      scaleDown: { selectPolicy: 'Max' as const, policies: [{ type: 'Percent' as const, value: 100, periodSeconds: 15 }] },
    };
    const { h, metrics } = await start(deployment('web', 1), pod('web-1'), hpa({ behavior }));
    metrics.cpu.set('web-1', 400);
    await h.until(() => replicasOf(h) === 2, 'the first step');
    const firstStep = h.clock.now();
    await h.until(() => replicasOf(h) === 3, 'the second step');
    // One pod per 30 s: the second step waits for the first to leave the period.
    expect(h.clock.now() - firstStep).toBeGreaterThanOrEqual(30_000);
    expect(conditions(h).ScalingLimited).toBe('True ScaleUpLimit: the desired replica count is increasing faster than the maximum scale rate');
  });

  it('forgets a deleted HPA', async () => {
    const { h } = await start(deployment('web', 0), hpa());
    await h.until(() => statusOf(h) !== undefined, 'a status');
    await h.client.forKind(HPA_KIND).namespace('default').delete('web');
    await h.settle(SYNC_PERIOD * 2);
    expect(h.logs).toContain('I Horizontal Pod Autoscaler web has been deleted in default');
  });
});
