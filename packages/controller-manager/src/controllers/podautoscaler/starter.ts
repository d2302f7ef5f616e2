// How the controller manager starts the horizontal pod autoscaler controller: HPAs (autoscaling/v2)
// and pods from the shared informers, writes as the "horizontal-pod-autoscaler" ServiceAccount,
// reads usage from the resource metrics API, events from the "horizontal-pod-autoscaler"
// component, --concurrent-horizontal-pod-autoscaler-syncs workers on the
// "horizontalpodautoscaler" queue, and the --horizontal-pod-autoscaler-* timings.
import type { ControllerStarter } from '../../controller/context.ts';
import type { Pod } from '../../controller/workload-types.ts';
import { HORIZONTAL_POD_AUTOSCALER_CONTROLLER, HorizontalController } from './horizontal-controller.ts';
import { RestResourceMetricsSource } from './metrics-client.ts';
import { ScaleClient } from './scale-target.ts';
import { HPA_KIND, type HorizontalPodAutoscaler } from './types.ts';

const PODS = { group: '', version: 'v1', kind: 'Pod' };

export const horizontalPodAutoscalerStarter: ControllerStarter = {
  name: HORIZONTAL_POD_AUTOSCALER_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('horizontal-pod-autoscaler');
    const hpa = ctx.options.horizontalPodAutoscaler;
    return new HorizontalController({
      hpas: ctx.informers.forKind<HorizontalPodAutoscaler>(HPA_KIND),
      pods: ctx.informers.forKind<Pod>(PODS),
      hpaClient: client.forKind<HorizontalPodAutoscaler>(HPA_KIND),
      scales: new ScaleClient(client),
      metrics: new RestResourceMetricsSource(client),
      recorder: ctx.eventRecorder(client, 'horizontal-pod-autoscaler'),
      queue: ctx.newQueue('horizontalpodautoscaler'),
      workers: ctx.options.concurrency['concurrent-horizontal-pod-autoscaler-syncs'],
      syncPeriodMs: hpa.syncPeriodMs,
      downscaleStabilizationMs: hpa.downscaleStabilizationMs,
      calculator: {
        tolerance: hpa.tolerance,
        cpuInitializationPeriodMs: hpa.cpuInitializationPeriodMs,
        initialReadinessDelayMs: hpa.initialReadinessDelayMs,
      },
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};
