// One sync's reading of an HPA's metrics (Kubernetes' computeReplicasForMetrics): each metric
// proposes a replica count — the largest proposal wins — and fills its entry of
// status.currentMetrics. A metric that cannot be read records a Warning event and, when every
// metric failed (or some failed and the rest would scale down), leaves the count to the caller
// with ScalingActive False; otherwise ScalingActive is True naming the winning metric.
// Only the resource metrics API is served in k8ts, so Pods, Object and External metrics fail
// the way they fail on a cluster without a custom or external metrics adapter.
import { parseLabelSelector } from '@k8ts/api/selectors/index.ts';
import { canonicalQuantity, parseQuantity, quantityMilliValue } from '@k8ts/api/quantity/index.ts';
import { errorMessage, type EventRecorder, type Lister } from '@k8ts/client';
import type { Pod } from '../../controller/workload-types.ts';
import { setCondition } from './conditions.ts';
import type { HpaSelectors } from './hpa-selectors.ts';
import type { ResourceMetricsSource } from './metrics-client.ts';
import { rawResourceReplicas, resourceReplicas, type ReplicaCalculatorConfig } from './replica-calculator.ts';
import type { HorizontalPodAutoscaler, HPAConditionType, MetricSpec, MetricStatus, MetricTarget, MetricValueStatus } from './types.ts';

export interface MetricReplicasDeps {
  metrics: ResourceMetricsSource;
  pods: Lister<Pod>;
  recorder: EventRecorder;
  config: ReplicaCalculatorConfig;
  hpaSelectors: HpaSelectors;
}

export interface MetricsOutcome {
  /** -1 when no count could be computed */
  replicas: number;
  /** the winning metric, e.g. "cpu resource utilization (percentage of request)" */
  metric: string;
  statuses: MetricStatus[];
  /** set when some metric failed (with replicas -1: all of them, or a scale-down) */
  error?: Error;
}

interface Proposal {
  replicas: number;
  metric: string;
  status: MetricStatus;
}

/** A metric failure: its error and the ScalingActive condition it sets. */
class MetricFailure extends Error {
  constructor(
    message: string,
    readonly condition: { type: HPAConditionType; status: 'True' | 'False'; reason: string; message: string },
  ) {
    super(message);
  }
}

// k8ts serves no custom or external metrics API: these are the errors their clients give then.
const NO_CUSTOM_METRICS = 'unable to fetch metrics from custom metrics API: the server could not find the requested resource';
const NO_EXTERNAL_METRICS = 'unable to fetch metrics from external metrics API: the server could not find the requested resource';

/** resource.NewMilliQuantity(v, DecimalSI).String(). */
export function milliQuantity(milli: number): string {
  return canonicalQuantity(parseQuantity(`${milli}m`));
}

export class MetricReplicas {
  constructor(private readonly deps: MetricReplicasDeps) {}

  async compute(hpa: HorizontalPodAutoscaler, specReplicas: number, selectorText: string | undefined, now: number): Promise<MetricsOutcome> {
    const selector = this.validateSelector(hpa, selectorText, now);
    if (selector instanceof Error) return { replicas: -1, metric: '', statuses: [], error: selector };
    const specs = hpa.spec.metrics ?? [];
    // The apiserver defaults an empty list to 80% cpu; an object that escaped defaulting (or
    // conversion from autoscaling/v1) has nothing to scale on.
    if (specs.length === 0) return { replicas: -1, metric: '', statuses: [], error: new Error('no metrics specified in spec.metrics') };
    const statuses: MetricStatus[] = specs.map(() => ({ type: '' }));
    let replicas = 0;
    let metric = '';
    let invalid = 0;
    let firstFailure: MetricFailure | undefined;
    for (const [i, spec] of specs.entries()) {
      try {
        const proposal = await this.computeForMetric(hpa, spec, specReplicas, selector.text, now);
        statuses[i] = proposal.status;
        if (replicas === 0 || proposal.replicas > replicas) {
          replicas = proposal.replicas;
          metric = proposal.metric;
        }
      } catch (err) {
        if (!(err instanceof MetricFailure)) throw err;
        firstFailure ??= err;
        invalid++;
      }
    }
    const error = firstFailure && new Error(`invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstFailure.message}`);
    // All failed, or scaling down on partial information: better not to scale at all.
    if (invalid >= specs.length || (invalid > 0 && replicas < specReplicas)) {
      // Either way at least one metric failed, so there is a first failure.
      const c = firstFailure!.condition;
      setCondition(hpa, c.type, c.status, c.reason, c.message, now);
      return { replicas: -1, metric: '', statuses, error };
    }
    setCondition(hpa, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metric}`, now);
    return { replicas, metric, statuses, ...(error ? { error } : {}) };
  }

  /** The Scale's selector, which must be set and parse; a failure is recorded and returned. */
  private validateSelector(hpa: HorizontalPodAutoscaler, selector: string | undefined, now: number): { text: string } | Error {
    if (!selector) {
      this.deps.recorder.event(hpa, 'Warning', 'SelectorRequired', 'selector is required');
      setCondition(hpa, 'ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector", now);
      return new Error('selector is required');
    }
    let parsed;
    try {
      parsed = parseLabelSelector(selector);
    } catch (err) {
      const message = `couldn't convert selector into a corresponding internal selector object: ${errorMessage(err)}`;
      this.deps.recorder.event(hpa, 'Warning', 'InvalidSelector', message);
      setCondition(hpa, 'ScalingActive', 'False', 'InvalidSelector', message, now);
      return new Error(message);
    }
    const namespace = hpa.metadata.namespace ?? '';
    this.deps.hpaSelectors.put(`${namespace}/${hpa.metadata.name ?? ''}`, parsed);
    const selecting = this.deps.hpaSelectors.selecting(this.deps.pods.byNamespace(namespace).list(parsed));
    if (selecting.length > 1) {
      const message = `pods by selector ${selector} are controlled by multiple HPAs: [${selecting.join(' ')}]`;
      this.deps.recorder.event(hpa, 'Warning', 'AmbiguousSelector', message);
      setCondition(hpa, 'ScalingActive', 'False', 'AmbiguousSelector', message, now);
      return new Error(message);
    }
    return { text: selector };
  }

  private async computeForMetric(hpa: HorizontalPodAutoscaler, spec: MetricSpec, specReplicas: number, selector: string, now: number): Promise<Proposal> {
    switch (spec.type) {
      case 'Resource': {
        const source = spec.resource!;
        const result = await this.resourceProposal(hpa, source.target, source.name, '', selector, specReplicas, now, 'FailedGetResourceMetric');
        if (result instanceof MetricFailure) throw this.wrap(result, `failed to get ${source.name} resource metric value`);
        return { ...result, status: { type: 'Resource', resource: { name: source.name, current: result.current } } };
      }
      case 'ContainerResource': {
        const source = spec.containerResource!;
        const result = await this.resourceProposal(hpa, source.target, source.name, source.container, selector, specReplicas, now, 'FailedGetContainerResourceMetric');
        if (result instanceof MetricFailure) throw this.wrap(result, `failed to get ${source.container} container metric value`);
        const status = { type: 'ContainerResource', containerResource: { name: source.name, container: source.container, current: result.current } };
        return { ...result, status };
      }
      case 'Pods': {
        const failure = this.unavailable(hpa, 'FailedGetPodsMetric', `unable to get metric ${spec.pods?.metric.name ?? ''}: ${NO_CUSTOM_METRICS}`);
        throw this.wrap(failure, 'failed to get pods metric value');
      }
      case 'Object': {
        const failure = this.unavailable(hpa, 'FailedGetObjectMetric', `unable to get metric ${spec.object?.metric.name ?? ''}: ${NO_CUSTOM_METRICS}`);
        throw this.wrap(failure, 'failed to get object metric value');
      }
      case 'External': {
        const name = `${hpa.metadata.namespace ?? ''}/${spec.external?.metric.name ?? ''}`;
        const failure = this.unavailable(hpa, 'FailedGetExternalMetric', `unable to get external metric ${name}: ${NO_EXTERNAL_METRICS}`);
        throw this.wrap(failure, 'failed to get external metric value');
      }
      default:
        throw this.unavailable(hpa, 'InvalidMetricSourceType', `unknown metric source type ${JSON.stringify(spec.type)}`);
    }
  }

  /** A resource metric's proposal against an AverageValue or Utilization target. */
  private async resourceProposal(
    hpa: HorizontalPodAutoscaler,
    target: MetricTarget,
    resource: string,
    container: string,
    selector: string,
    specReplicas: number,
    now: number,
    failReason: string,
  ): Promise<{ replicas: number; metric: string; current: MetricValueStatus } | MetricFailure> {
    const namespace = hpa.metadata.namespace ?? '';
    const fail = (message: string) => this.unavailable(hpa, failReason, message);
    const measure = async () => {
      try {
        return await this.deps.metrics.getResourceMetric(resource, namespace, selector, container);
      } catch (err) {
        throw new Error(`unable to get metrics for resource ${resource}: ${errorMessage(err)}`, { cause: err });
      }
    };
    const pods = () => this.deps.pods.byNamespace(namespace).list(parseLabelSelector(selector));
    if (target.averageValue !== undefined && target.averageValue !== null) {
      try {
        const { metrics } = await measure();
        const targetUsage = Number(quantityMilliValue(parseQuantity(target.averageValue)));
        const { replicas, usage } = rawResourceReplicas({ currentReplicas: specReplicas, targetUsage, resource, pods: pods(), metrics, now }, this.deps.config);
        return { replicas, metric: `${resource} resource`, current: { averageValue: milliQuantity(usage) } };
      } catch (err) {
        return fail(`failed to get ${resource} usage: ${errorMessage(err)}`);
      }
    }
    if (target.averageUtilization === undefined || target.averageUtilization === null) {
      return fail('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
    }
    try {
      const { metrics } = await measure();
      const result = resourceReplicas(
        { currentReplicas: specReplicas, targetUtilization: target.averageUtilization, resource, container, pods: pods(), metrics, now },
        this.deps.config,
      );
      const kind = container === '' ? 'resource' : 'container resource';
      return {
        replicas: result.replicas,
        metric: `${resource} ${kind} utilization (percentage of request)`,
        current: { averageUtilization: result.utilization, averageValue: milliQuantity(result.rawUtilization) },
      };
    } catch (err) {
      return fail(`failed to get ${resource} utilization: ${errorMessage(err)}`);
    }
  }

  /** Records the failure as a Warning event and describes the ScalingActive condition it means. */
  private unavailable(hpa: HorizontalPodAutoscaler, reason: string, message: string): MetricFailure {
    this.deps.recorder.event(hpa, 'Warning', reason, message);
    return new MetricFailure(message, {
      type: 'ScalingActive',
      status: 'False',
      reason,
      message: `the HPA was unable to compute the replica count: ${message}`,
    });
  }

  private wrap(failure: MetricFailure, context: string): MetricFailure {
    return new MetricFailure(`${context}: ${failure.message}`, failure.condition);
  }
}
