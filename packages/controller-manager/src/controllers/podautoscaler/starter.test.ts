import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { isNotStarted } from '../../controller/context.ts';
import { parseControllerManagerOptions, type ControllerManagerOptions } from '../../options/options.ts';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { horizontalPodAutoscalerStarter } from './starter.ts';
import { deployment, hpa, serveDeploymentScale } from './testing.ts';

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

describe('horizontal-pod-autoscaler-controller starter', () => {
  it('reads the --horizontal-pod-autoscaler-* flags, with Kubernetes defaults', () => {
    expect((parseControllerManagerOptions([]) as ControllerManagerOptions).horizontalPodAutoscaler).toEqual({
      syncPeriodMs: 15_000,
      tolerance: 0.1,
      downscaleStabilizationMs: 300_000,
      cpuInitializationPeriodMs: 300_000,
      initialReadinessDelayMs: 30_000,
    });
  });

  it('starts under its own name and identity, at the sync period the flag sets', async () => {
    const h = (harness = new ControllerHarness(namespace('default'), deployment('web', 5), hpa({ maxReplicas: 3 })));
    serveDeploymentScale(h.api);
    const options = parseControllerManagerOptions(['--horizontal-pod-autoscaler-sync-period=2s', '--horizontal-pod-autoscaler-tolerance=0.2']) as ControllerManagerOptions;
    const { ctx, identities, components, queues } = h.recordingContext(options);
    expect(horizontalPodAutoscalerStarter.name).toBe('horizontal-pod-autoscaler-controller');
    const controller = await horizontalPodAutoscalerStarter.init(ctx);
    if (isNotStarted(controller)) throw new Error(controller.notStarted);
    expect({ identities, components, queues }).toEqual({
      identities: ['horizontal-pod-autoscaler'],
      components: ['horizontal-pod-autoscaler'],
      queues: ['horizontalpodautoscaler'],
    });
    await h.start(controller);
    const replicas = () => h.api.get<KubeObject & { spec: { replicas: number } }>('apps/v1', 'Deployment', 'default', 'web')?.spec.replicas;
    await h.until(() => replicas() === 3, 'the scale to max', 3000);
    expect(h.logs).toContain('I Caches are synced for HPA');
  });
});
