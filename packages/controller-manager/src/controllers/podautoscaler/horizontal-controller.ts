// The horizontal pod autoscaler controller. Every HPA is reconciled once per sync period
// (--horizontal-pod-autoscaler-sync-period, 15 s): its key always goes back into the queue with
// that delay, and an added or changed HPA waits the same delay, as in Kubernetes. A reconcile
// reads the target's Scale, lets the metrics propose a replica count (metric-replicas.ts),
// stabilizes and limits it (recommendations.ts), writes the new count through the scale
// subresource, and records status (current/desired replicas, current metrics, last scale
// time, conditions) when it changed. Events are worded as Kubernetes words them.
import type { ResourceInfo } from '@k8ts/api';
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import { errorMessage, type Clock, type EventRecorder, type Lister, type Logger, type RateLimitingQueue, type ResourceClient, type SharedIndexInformer } from '@k8ts/client';
import type { Controller } from '../../controller/context.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';
import type { Pod } from '../../controller/workload-types.ts';
import { objectOf } from '../tombstone.ts';
import { setCondition } from './conditions.ts';
import { HpaSelectors } from './hpa-selectors.ts';
import { MetricReplicas } from './metric-replicas.ts';
import type { ResourceMetricsSource } from './metrics-client.ts';
import { ScalingHistory } from './recommendations.ts';
import type { ReplicaCalculatorConfig } from './replica-calculator.ts';
import { parseGroupVersion, scaleTargetMappings, type ScaleClient, type ScaleTarget } from './scale-target.ts';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerStatus, MetricStatus } from './types.ts';

export const HORIZONTAL_POD_AUTOSCALER_CONTROLLER = 'horizontal-pod-autoscaler-controller';

export interface HorizontalControllerDeps {
  hpas: SharedIndexInformer<HorizontalPodAutoscaler>;
  pods: SharedIndexInformer<Pod>;
  hpaClient: ResourceClient<HorizontalPodAutoscaler>;
  scales: ScaleClient;
  metrics: ResourceMetricsSource;
  /** events with source component "horizontal-pod-autoscaler" */
  recorder: EventRecorder;
  queue: RateLimitingQueue<string>;
  workers: number;
  /** --horizontal-pod-autoscaler-sync-period */
  syncPeriodMs: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization */
  downscaleStabilizationMs: number;
  calculator: ReplicaCalculatorConfig;
  clock: Clock;
  logger: Logger;
}

function keyOf(obj: { metadata: { namespace?: string; name?: string } }): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

export class HorizontalController implements Controller {
  private readonly hpas: Lister<HorizontalPodAutoscaler>;
  private readonly history = new ScalingHistory();
  private readonly hpaSelectors = new HpaSelectors();
  private readonly metricReplicas: MetricReplicas;

  constructor(private readonly deps: HorizontalControllerDeps) {
    this.hpas = deps.hpas.lister();
    this.metricReplicas = new MetricReplicas({
      metrics: deps.metrics,
      pods: deps.pods.lister(),
      recorder: deps.recorder,
      config: deps.calculator,
      hpaSelectors: this.hpaSelectors,
    });
    // Every request waits a sync period, and a key already waiting is not added twice: HPAs are
    // evaluated at a steady pace however often they change.
    const enqueue = (hpa: HorizontalPodAutoscaler): void => {
      deps.queue.addAfter(keyOf(hpa), deps.syncPeriodMs);
      this.hpaSelectors.register(keyOf(hpa));
    };
    deps.hpas.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_old, hpa) => enqueue(hpa),
      onDelete: (obj) => {
        const key = keyOf(objectOf(obj));
        deps.queue.forget(key);
        this.hpaSelectors.forget(key);
      },
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { hpas, pods, queue, workers, clock, logger } = this.deps;
    logger.info(`Starting controller ${HORIZONTAL_POD_AUTOSCALER_CONTROLLER}`);
    const synced = [() => hpas.hasSynced(), () => pods.hasSynced()];
    if (!(await waitForNamedCacheSync('HPA', synced, signal, logger, clock))) return;
    await runWorkers(
      {
        controller: HORIZONTAL_POD_AUTOSCALER_CONTROLLER,
        queue,
        workers,
        sync: async (key) => {
          let deleted = false;
          try {
            deleted = await this.reconcileKey(key);
          } catch (err) {
            logger.warn(errorMessage(err));
          }
          // Back in a sync period, whatever happened (failures are retried at the same pace).
          if (!deleted) queue.addAfter(key, this.deps.syncPeriodMs);
        },
        logger,
      },
      signal,
    );
  }

  /** Reconciles one HPA; true when it no longer exists. */
  async reconcileKey(key: string): Promise<boolean> {
    const slash = key.indexOf('/');
    const [namespace, name] = [key.slice(0, slash), key.slice(slash + 1)];
    const cached = this.hpas.get(namespace, name);
    if (!cached) {
      this.deps.logger.info(`Horizontal Pod Autoscaler ${name} has been deleted in ${namespace}`);
      this.history.forget(key);
      return true;
    }
    await this.reconcile(structuredClone(cached), key);
    return false;
  }

  private async reconcile(hpa: HorizontalPodAutoscaler, key: string): Promise<void> {
    const now = this.deps.clock.now();
    const original = structuredClone(hpa.status);
    const namespace = hpa.metadata.namespace ?? '';
    const ref = hpa.spec.scaleTargetRef;
    const reference = `${ref.kind}/${namespace}/${ref.name}`;

    const target = await this.readScale(hpa, original, reference, now);
    setCondition(hpa, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale", now);
    const currentReplicas = target.scale.spec?.replicas ?? 0;
    this.history.recordInitialRecommendation(key, currentReplicas, now);

    const minReplicas = hpa.spec.minReplicas ?? 1;
    let desiredReplicas = 0;
    let rescaleReason = '';
    let metricStatuses: MetricStatus[] | undefined;
    let rescale = true;
    let retError: Error | undefined;
    if (currentReplicas === 0 && minReplicas !== 0) {
      // Scaled to zero by hand: autoscaling is off until someone scales it up again.
      rescale = false;
      setCondition(hpa, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero', now);
    } else if (currentReplicas > hpa.spec.maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = hpa.spec.maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = minReplicas;
    } else {
      const outcome = await this.metricReplicas.compute(hpa, currentReplicas, target.scale.status?.selector, now);
      metricStatuses = outcome.statuses;
      if (outcome.replicas === -1) {
        this.setStatus(hpa, currentReplicas, hpa.status?.desiredReplicas ?? 0, metricStatuses, false, now);
        await this.updateStatusIfNeeded(original, hpa);
        const message = errorMessage(outcome.error);
        this.deps.recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', message);
        throw new Error(`failed to compute desired number of replicas based on listed metrics for ${reference}: ${message}`);
      }
      // Some metric failed but the others scale up: scale, and still report the failure.
      retError = outcome.error;
      desiredReplicas = outcome.replicas;
      if (desiredReplicas > currentReplicas) rescaleReason = `${outcome.metric} above target`;
      if (desiredReplicas < currentReplicas) rescaleReason = 'All metrics below target';
      const normalized = this.history.normalize({
        key,
        currentReplicas,
        desiredReplicas,
        minReplicas,
        maxReplicas: hpa.spec.maxReplicas,
        behavior: hpa.spec.behavior,
        downscaleStabilizationMs: this.deps.downscaleStabilizationMs,
        now,
      });
      setCondition(hpa, 'AbleToScale', normalized.ableToScale.status, normalized.ableToScale.reason, normalized.ableToScale.message, now);
      setCondition(hpa, 'ScalingLimited', normalized.scalingLimited.status, normalized.scalingLimited.reason, normalized.scalingLimited.message, now);
      desiredReplicas = normalized.replicas;
      rescale = desiredReplicas !== currentReplicas;
    }

    if (rescale) {
      try {
        await this.deps.scales.update(namespace, target, desiredReplicas);
      } catch (err) {
        const message = errorMessage(err);
        this.deps.recorder.event(hpa, 'Warning', 'FailedRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}; error: ${message}`);
        setCondition(hpa, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${message}`, now);
        this.setStatus(hpa, currentReplicas, hpa.status?.desiredReplicas ?? 0, metricStatuses, false, now);
        await this.updateStatusIfNeeded(original, hpa);
        throw new Error(`failed to rescale ${reference}: ${message}`, { cause: err });
      }
      setCondition(hpa, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desiredReplicas}`, now);
      this.deps.recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}`);
      this.history.storeScaleEvent(hpa.spec.behavior, key, currentReplicas, desiredReplicas, now);
      this.deps.logger.info(`Successful rescale of ${hpa.metadata.name}, old size: ${currentReplicas}, new size: ${desiredReplicas}, reason: ${rescaleReason}`);
    } else {
      desiredReplicas = currentReplicas;
    }
    this.setStatus(hpa, currentReplicas, desiredReplicas, metricStatuses, rescale, now);
    await this.updateStatusIfNeeded(original, hpa);
    if (retError) throw retError;
  }

  /**
   * The target's Scale. Each way of failing — an unparsable apiVersion, an unknown kind, a
   * Scale that cannot be read — is a FailedGetScale event and an AbleToScale False condition,
   * written to status before the error is returned.
   */
  private async readScale(hpa: HorizontalPodAutoscaler, original: HorizontalPodAutoscalerStatus | undefined, reference: string, now: number): Promise<ScaleTarget> {
    const ref = hpa.spec.scaleTargetRef;
    const fail = async (err: unknown, context: string): Promise<Error> => {
      await this.failToGetScale(hpa, original, err, now);
      return new Error(`${context}: ${errorMessage(err)}`, { cause: err });
    };
    let gv: { group: string; version: string };
    try {
      gv = parseGroupVersion(ref.apiVersion);
    } catch (err) {
      throw await fail(err, 'invalid API version in scale target reference');
    }
    let mappings: ResourceInfo[];
    try {
      mappings = scaleTargetMappings(gv.group, gv.version, ref.kind);
    } catch (err) {
      throw await fail(err, 'unable to determine resource for scale target reference');
    }
    try {
      return await this.deps.scales.get(hpa.metadata.namespace ?? '', ref, mappings);
    } catch (err) {
      throw await fail(err, `failed to query scale subresource for ${reference}`);
    }
  }

  private async failToGetScale(hpa: HorizontalPodAutoscaler, original: HorizontalPodAutoscalerStatus | undefined, err: unknown, now: number): Promise<void> {
    const message = errorMessage(err);
    this.deps.recorder.event(hpa, 'Warning', 'FailedGetScale', message);
    setCondition(hpa, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${message}`, now);
    await this.updateStatusIfNeeded(original, hpa).catch((e: unknown) => this.deps.logger.warn(errorMessage(e)));
  }

  private setStatus(hpa: HorizontalPodAutoscaler, currentReplicas: number, desiredReplicas: number, metrics: MetricStatus[] | undefined, rescaled: boolean, now: number): void {
    const previous = hpa.status;
    const lastScaleTime = rescaled ? formatRfc3339(Math.floor(now / 1000)) : previous?.lastScaleTime;
    // A fresh status, as Kubernetes builds it: observedGeneration is not carried over.
    hpa.status = {
      ...(lastScaleTime !== undefined ? { lastScaleTime } : {}),
      ...(currentReplicas !== 0 ? { currentReplicas } : {}),
      desiredReplicas,
      ...(metrics && metrics.length > 0 ? { currentMetrics: metrics } : {}),
      ...(previous?.conditions ? { conditions: previous.conditions } : {}),
    };
  }

  /** Writes the status only when the reconcile changed it. */
  private async updateStatusIfNeeded(original: HorizontalPodAutoscalerStatus | undefined, hpa: HorizontalPodAutoscaler): Promise<void> {
    if (sameJson(original ?? {}, hpa.status ?? {})) return;
    try {
      await this.deps.hpaClient.namespace(hpa.metadata.namespace ?? '').updateStatus(hpa);
    } catch (err) {
      this.deps.recorder.event(hpa, 'Warning', 'FailedUpdateStatus', errorMessage(err));
      throw new Error(`failed to update status for ${hpa.metadata.name}: ${errorMessage(err)}`, { cause: err });
    }
  }
}

/** Equal as JSON values, whatever the order of object keys (the server's may differ from ours). */
function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
