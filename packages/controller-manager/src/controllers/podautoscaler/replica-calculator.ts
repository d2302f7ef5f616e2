// The HPA's replica calculator (Kubernetes' replica_calculator.go), as pure functions over the
// pods the selector picks and the usage the metrics API reported for them. The rule is
// desired = ceil(current × usage / target), skipped while the ratio is within the tolerance of
// 1.0. Pods are first sorted: deleted or failed ones are ignored; pending ones, and (for cpu)
// ones still starting up, count as unready; running ones without a sample are missing. Only
// ready pods with samples form the first ratio; then, so as not to over-react, missing pods
// are assumed to use 100% of their request on a scale down and 0% on a scale up, and unready
// pods 0% on a scale up, and the ratio is computed again — and if that second ratio is within
// the tolerance or points the other way, the replica count stays as it is.
import { parseQuantity, quantityMilliValue } from '@k8ts/api/quantity/index.ts';
import type { Pod } from '../../controller/workload-types.ts';
import type { PodMetricsInfo } from './types.ts';

export interface ReplicaCalculatorConfig {
  /** the ratio's allowed distance from 1.0 that causes no scaling (--horizontal-pod-autoscaler-tolerance) */
  tolerance: number;
  /** after a pod starts, cpu samples taken before it is ready are not trusted (--…-cpu-initialization-period) */
  cpuInitializationPeriodMs: number;
  /** after a pod starts, its readiness flapping counts as still starting (--…-initial-readiness-delay) */
  initialReadinessDelayMs: number;
}

export interface ResourceUtilizationInput {
  currentReplicas: number;
  /** percent of the pods' requests */
  targetUtilization: number;
  resource: string;
  /** "" for every container (Resource metrics), else one container (ContainerResource) */
  container: string;
  pods: readonly Pod[];
  metrics: PodMetricsInfo;
  now: number;
}

export interface ResourceUtilizationResult {
  replicas: number;
  /** the measured utilization, in percent of request */
  utilization: number;
  /** the measured average usage per pod, in milli-units */
  rawUtilization: number;
}

export interface RawResourceInput {
  currentReplicas: number;
  /** average usage per pod, in milli-units */
  targetUsage: number;
  resource: string;
  pods: readonly Pod[];
  metrics: PodMetricsInfo;
  now: number;
}

interface Container {
  name: string;
  restartPolicy?: string;
  resources?: { requests?: Record<string, string | number> };
}

interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/** Replicas for a target utilization (percent of request) of `resource`. */
export function resourceReplicas(input: ResourceUtilizationInput, config: ReplicaCalculatorConfig): ResourceUtilizationResult {
  const { pods, resource, targetUtilization, currentReplicas } = input;
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const metrics = new Map(input.metrics);
  const groups = groupPods(pods, metrics, resource, config, input.now);
  for (const name of [...groups.ignored, ...groups.unready]) metrics.delete(name);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const requests = podRequests(pods, input.container, resource);
  const { ratio, utilization, rawAverage } = utilizationRatio(metrics, requests, targetUtilization);
  const current = { utilization, rawUtilization: rawAverage };

  const scaleUpWithUnready = groups.unready.size > 0 && ratio > 1.0;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (Math.abs(1.0 - ratio) <= config.tolerance) return { replicas: currentReplicas, ...current };
    return { replicas: Math.ceil(ratio * groups.readyPodCount), ...current };
  }
  if (ratio < 1.0) {
    // Scaling down: a pod without a sample may be busy — assume its full request (or the target, if higher).
    const fallback = Math.max(100, targetUtilization);
    for (const name of groups.missing) metrics.set(name, sample(Math.trunc(((requests.get(name) ?? 0) * fallback) / 100)));
  } else if (ratio > 1.0) {
    for (const name of groups.missing) metrics.set(name, sample(0));
  }
  if (scaleUpWithUnready) for (const name of groups.unready) metrics.set(name, sample(0));
  const newRatio = utilizationRatio(metrics, requests, targetUtilization).ratio;
  return { replicas: reconsidered(ratio, newRatio, metrics.size, currentReplicas, config.tolerance), ...current };
}

/** Replicas for a target average usage per pod of `resource` (an AverageValue target). */
export function rawResourceReplicas(input: RawResourceInput, config: ReplicaCalculatorConfig): { replicas: number; usage: number } {
  const { pods, resource, targetUsage, currentReplicas } = input;
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const metrics = new Map(input.metrics);
  const groups = groupPods(pods, metrics, resource, config, input.now);
  for (const name of [...groups.ignored, ...groups.unready]) metrics.delete(name);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const { ratio, usage } = usageRatio(metrics, targetUsage);

  const scaleUpWithUnready = groups.unready.size > 0 && ratio > 1.0;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (Math.abs(1.0 - ratio) <= config.tolerance) return { replicas: currentReplicas, usage };
    return { replicas: Math.ceil(ratio * groups.readyPodCount), usage };
  }
  // Scaling down, a pod without a sample is taken to use exactly the target; scaling up, nothing.
  for (const name of groups.missing) metrics.set(name, sample(ratio < 1.0 ? targetUsage : 0));
  if (scaleUpWithUnready) for (const name of groups.unready) metrics.set(name, sample(0));
  const newRatio = usageRatio(metrics, targetUsage).ratio;
  return { replicas: reconsidered(ratio, newRatio, metrics.size, currentReplicas, config.tolerance), usage };
}

/** The second pass: keep the count when the corrected ratio is within tolerance or reverses direction. */
function reconsidered(ratio: number, newRatio: number, counted: number, currentReplicas: number, tolerance: number): number {
  if (Math.abs(1.0 - newRatio) <= tolerance || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0)) return currentReplicas;
  const replicas = Math.ceil(newRatio * counted);
  if ((newRatio < 1.0 && replicas > currentReplicas) || (newRatio > 1.0 && replicas < currentReplicas)) return currentReplicas;
  return replicas;
}

function sample(value: number) {
  return { timestamp: 0, windowMs: 0, value };
}

/** Sorts the selected pods into ready (counted), unready, missing a sample, and ignored. */
function groupPods(pods: readonly Pod[], metrics: PodMetricsInfo, resource: string, config: ReplicaCalculatorConfig, now: number): PodGroups {
  const groups: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') {
      groups.ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      groups.unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      groups.missing.add(name);
      continue;
    }
    if (resource === 'cpu' && cpuSampleUntrusted(pod, metric, config, now)) {
      groups.unready.add(name);
      continue;
    }
    groups.readyPodCount++;
  }
  return groups;
}

/**
 * Whether a cpu sample says nothing yet: the pod has no Ready condition or start time; within
 * the initialization period, it is not ready or the sample's window began before it became
 * ready (start-up cpu); after it, it is unready and has never been ready (its last readiness
 * change fell within the initial readiness delay).
 */
function cpuSampleUntrusted(pod: Pod, metric: { timestamp: number; windowMs: number }, config: ReplicaCalculatorConfig, now: number): boolean {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const startTime = pod.status?.startTime;
  if (!ready || typeof startTime !== 'string') return true;
  const started = Date.parse(startTime);
  const transition = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : 0;
  if (started + config.cpuInitializationPeriodMs > now) return ready.status === 'False' || metric.timestamp < transition + metric.windowMs;
  return ready.status === 'False' && started + config.initialReadinessDelayMs > transition;
}

/** Each pod's request of `resource` in milli-units: its containers' (or one container's) sum. */
function podRequests(pods: readonly Pod[], container: string, resource: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const spec = pod.spec as { containers?: Container[]; initContainers?: Container[] } | undefined;
    // Sidecars (restartable init containers) run alongside and count as regular containers.
    const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
    let sum = 0;
    for (const c of containers) {
      if (container !== '' && container !== c.name) continue;
      const request = c.resources?.requests?.[resource];
      if (request === undefined) throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name ?? ''}`);
      sum += Number(quantityMilliValue(parseQuantity(request)));
    }
    requests.set(pod.metadata.name ?? '', sum);
  }
  return requests;
}

/** Usage over requests of the pods that have both, as a percentage and as a ratio to the target. */
function utilizationRatio(
  metrics: PodMetricsInfo,
  requests: Map<string, number>,
  targetUtilization: number,
): { ratio: number; utilization: number; rawAverage: number } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [name, metric] of metrics) {
    const request = requests.get(name);
    // A sample for a pod the selector no longer picks is extraneous.
    if (request === undefined) continue;
    metricsTotal += metric.value;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / targetUtilization, utilization, rawAverage: Math.trunc(metricsTotal / entries) };
}

/** The pods' average usage and its ratio to the target average. */
function usageRatio(metrics: PodMetricsInfo, targetUsage: number): { ratio: number; usage: number } {
  let total = 0;
  for (const metric of metrics.values()) total += metric.value;
  const usage = Math.trunc(total / metrics.size);
  return { ratio: usage / targetUsage, usage };
}
