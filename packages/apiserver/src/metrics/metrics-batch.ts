// One kubelet's /metrics/resource as metrics-server decodes it: a point for the node and one
// per container, each with its cumulative CPU (core-nanoseconds), working set and the time it
// was measured (the sample's timestamp, else the scrape's). Incomplete points are dropped as
// metrics-server drops them: a node without CPU, memory or time; a pod when any of its
// containers lacks CPU or memory (a zero counts as missing, as it does there).
import { parsePrometheusText } from './prometheus-text.ts';

export interface MetricsPoint {
  /** epoch ms the container (or node) started; 0 when not known */
  startTime: number;
  /** epoch ms */
  timestamp: number;
  cumulativeCpuNanos: number;
  memoryBytes: number;
}

export interface PodMetricsPoints {
  namespace: string;
  name: string;
  containers: Map<string, MetricsPoint>;
}

export interface MetricsBatch {
  nodes: Map<string, MetricsPoint>;
  /** by "<namespace>/<name>" */
  pods: Map<string, PodMetricsPoints>;
}

export function emptyBatch(): MetricsBatch {
  return { nodes: new Map(), pods: new Map() };
}

const blank = (): MetricsPoint => ({ startTime: 0, timestamp: 0, cumulativeCpuNanos: 0, memoryBytes: 0 });

export function podKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** Decodes one node's scrape, taken at `scrapedAt` (epoch ms); throws PrometheusTextError on bad text. */
export function decodeResourceMetrics(text: string, scrapedAt: number, nodeName: string): MetricsBatch {
  const node = blank();
  const pods = new Map<string, PodMetricsPoints>();
  const container = (labels: Record<string, string>): MetricsPoint => {
    const namespace = labels.namespace ?? '';
    const name = labels.pod ?? '';
    const key = podKey(namespace, name);
    let pod = pods.get(key);
    if (!pod) {
      pod = { namespace, name, containers: new Map() };
      pods.set(key, pod);
    }
    const containerName = labels.container ?? '';
    let point = pod.containers.get(containerName);
    if (!point) {
      point = blank();
      pod.containers.set(containerName, point);
    }
    return point;
  };
  for (const sample of parsePrometheusText(text)) {
    const timestamp = sample.timestamp ?? scrapedAt;
    switch (sample.name) {
      case 'node_cpu_usage_seconds_total':
        node.cumulativeCpuNanos = Math.floor(sample.value * 1e9);
        node.timestamp = timestamp;
        break;
      case 'node_memory_working_set_bytes':
        node.memoryBytes = Math.floor(sample.value);
        node.timestamp = timestamp;
        break;
      case 'container_cpu_usage_seconds_total': {
        const point = container(sample.labels);
        point.cumulativeCpuNanos = Math.floor(sample.value * 1e9);
        point.timestamp = timestamp;
        break;
      }
      case 'container_memory_working_set_bytes': {
        const point = container(sample.labels);
        point.memoryBytes = Math.floor(sample.value);
        point.timestamp = timestamp;
        break;
      }
      case 'container_start_time_seconds':
        container(sample.labels).startTime = Math.round(sample.value * 1000);
        break;
    }
  }
  const batch = emptyBatch();
  if (node.timestamp !== 0 && node.cumulativeCpuNanos !== 0 && node.memoryBytes !== 0) batch.nodes.set(nodeName, node);
  for (const [key, pod] of pods) {
    const reported = [...pod.containers].filter(([, p]) => p.timestamp !== 0 || p.startTime !== 0);
    if (reported.length === 0 || reported.some(([, p]) => p.cumulativeCpuNanos === 0 || p.memoryBytes === 0)) continue;
    batch.pods.set(key, { ...pod, containers: new Map(reported) });
  }
  return batch;
}

/** Several nodes' batches as one (each node reports its own pods). */
export function mergeBatches(batches: readonly MetricsBatch[]): MetricsBatch {
  const merged = emptyBatch();
  for (const batch of batches) {
    for (const [name, point] of batch.nodes) merged.nodes.set(name, point);
    for (const [key, pod] of batch.pods) if (!merged.pods.has(key)) merged.pods.set(key, pod);
  }
  return merged;
}
