// metrics-server's storage: the last two points of every node and container, and usage computed
// from them — CPU as the rate between the two cumulative counters, memory as the last working
// set, the window as the time between the points. A node or container seen only once has no
// usage yet ("metrics not available yet" in kubectl top). A container that restarted (started
// after its stored point) starts over; a point no newer than the stored one is not a second point.
// A container started less than one resolution ago (but at least 10 s ago) gets its start as
// the previous point, with zero CPU, so a new pod shows usage one scrape sooner.
import { podKey, type MetricsBatch, type MetricsPoint, type PodMetricsPoints } from './metrics-batch.ts';

/** metrics-server's freshContainerMinMetricsResolution. */
const FRESH_CONTAINER_MIN_AGE_MS = 10_000;

export interface Usage {
  /** epoch ms of the last point */
  timestamp: number;
  windowMs: number;
  cpuNanoCores: number;
  memoryBytes: number;
}

export interface ContainerUsage extends Usage {
  name: string;
}

/** Usage from two points; undefined when the CPU counter went down (metrics-server skips those). */
export function usageBetween(last: MetricsPoint, prev: MetricsPoint): Usage | undefined {
  if (last.cumulativeCpuNanos < prev.cumulativeCpuNanos) return undefined;
  const windowMs = last.timestamp - prev.timestamp;
  if (windowMs <= 0) return undefined;
  return {
    timestamp: last.timestamp,
    windowMs,
    cpuNanoCores: Math.floor((last.cumulativeCpuNanos - prev.cumulativeCpuNanos) / (windowMs / 1000)),
    memoryBytes: last.memoryBytes,
  };
}

/** Which stored point becomes the previous one when `next` arrives (metrics-server's rule). */
function previousPoint(next: MetricsPoint, last: MetricsPoint | undefined, prev: MetricsPoint | undefined): MetricsPoint | undefined {
  if (!last || !(next.startTime < last.timestamp)) return undefined;
  if (next.timestamp > last.timestamp) return last;
  if (prev && prev.timestamp < next.timestamp) return prev;
  return undefined;
}

export class MetricsStorage {
  private lastNodes = new Map<string, MetricsPoint>();
  private prevNodes = new Map<string, MetricsPoint>();
  private lastPods = new Map<string, PodMetricsPoints>();
  private prevPods = new Map<string, Map<string, MetricsPoint>>();

  /** `resolutionMs`: the scrape interval (--metric-resolution). */
  constructor(private readonly resolutionMs: number) {}

  /** Takes one scrape of every node; what it lacks is forgotten. */
  store(batch: MetricsBatch): void {
    const prevNodes = new Map<string, MetricsPoint>();
    for (const [name, point] of batch.nodes) {
      const prev = previousPoint(point, this.lastNodes.get(name), this.prevNodes.get(name));
      if (prev) prevNodes.set(name, prev);
    }
    const prevPods = new Map<string, Map<string, MetricsPoint>>();
    for (const [key, pod] of batch.pods) {
      const prevContainers = new Map<string, MetricsPoint>();
      for (const [name, point] of pod.containers) {
        const age = point.timestamp - point.startTime;
        if (point.startTime < point.timestamp && age < this.resolutionMs && age >= FRESH_CONTAINER_MIN_AGE_MS) {
          prevContainers.set(name, { ...point, timestamp: point.startTime, cumulativeCpuNanos: 0 });
          continue;
        }
        const prev = previousPoint(point, this.lastPods.get(key)?.containers.get(name), this.prevPods.get(key)?.get(name));
        if (prev) prevContainers.set(name, prev);
      }
      if (prevContainers.size > 0) prevPods.set(key, prevContainers);
    }
    this.lastNodes = new Map(batch.nodes);
    this.prevNodes = prevNodes;
    this.lastPods = new Map(batch.pods);
    this.prevPods = prevPods;
  }

  nodeUsage(name: string): Usage | undefined {
    const last = this.lastNodes.get(name);
    const prev = this.prevNodes.get(name);
    return last && prev ? usageBetween(last, prev) : undefined;
  }

  /**
   * The usage of each container of the pod that has two points, with the earliest of their
   * timestamps as the pod's; undefined when none has.
   */
  podUsage(namespace: string, name: string): { timestamp: number; windowMs: number; containers: ContainerUsage[] } | undefined {
    const key = podKey(namespace, name);
    const last = this.lastPods.get(key);
    const prev = this.prevPods.get(key);
    if (!last || !prev) return undefined;
    const containers: ContainerUsage[] = [];
    let earliest: Usage | undefined;
    for (const [container, point] of last.containers) {
      const before = prev.get(container);
      const usage = before && usageBetween(point, before);
      if (!usage) continue;
      containers.push({ name: container, ...usage });
      if (!earliest || usage.timestamp < earliest.timestamp) earliest = usage;
    }
    return earliest ? { timestamp: earliest.timestamp, windowMs: earliest.windowMs, containers } : undefined;
  }
}
