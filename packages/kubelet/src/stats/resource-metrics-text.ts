// GET /metrics/resource: the kubelet's resource metrics in the Prometheus text format (0.0.4),
// as kubelet 1.32's resource metrics collector writes them: the STABLE node, pod and container
// CPU and memory families and container start times, CPU and memory samples stamped with the
// time they were measured, and resource_scrape_error. Families are sorted by name and samples
// by their label values, as the Prometheus registry gathers them; values print like Go's
// strconv.FormatFloat(v, 'g', -1, 64).
import type { ResourceStats } from './resource-stats.ts';

export const PROMETHEUS_TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

interface Sample {
  labels: [string, string][];
  value: number;
  /** epoch milliseconds */
  timestamp?: number;
}

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: Sample[];
}

/** Go's shortest 'g' formatting: exponent form below 1e-4 and from 1e6 on ("2.097152e+06"). */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return '0';
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
  }
  return String(value);
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function sampleLine(name: string, sample: Sample): string {
  const labels = [...sample.labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const labelText = labels.length > 0 ? `{${labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}` : '';
  const stamp = sample.timestamp === undefined ? '' : ` ${Math.round(sample.timestamp)}`;
  return `${name}${labelText} ${formatGoFloat(sample.value)}${stamp}`;
}

function labelKey(sample: Sample): string {
  return [...sample.labels]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, v]) => v)
    .join('\u0000');
}

function renderFamilies(families: Family[]): string {
  const lines: string[] = [];
  for (const family of [...families].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    // The registry leaves out a family with no samples.
    if (family.samples.length === 0) continue;
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    const samples = [...family.samples].sort((a, b) => (labelKey(a) < labelKey(b) ? -1 : labelKey(a) > labelKey(b) ? 1 : 0));
    for (const sample of samples) lines.push(sampleLine(family.name, sample));
  }
  return lines.map((line) => `${line}\n`).join('');
}

const NANOS_PER_SECOND = 1e9;

/** The /metrics/resource body; `stats` undefined when they could not be collected (resource_scrape_error 1). */
export function resourceMetricsText(stats: ResourceStats | undefined): string {
  const family = (name: string, help: string, type: Family['type']): Family => ({ name, help: `[STABLE] ${help}`, type, samples: [] });
  const nodeCpu = family('node_cpu_usage_seconds_total', 'Cumulative cpu time consumed by the node in core-seconds', 'counter');
  const nodeMemory = family('node_memory_working_set_bytes', 'Current working set of the node in bytes', 'gauge');
  const containerStart = family('container_start_time_seconds', 'Start time of the container since unix epoch in seconds', 'gauge');
  const containerCpu = family('container_cpu_usage_seconds_total', 'Cumulative cpu time consumed by the container in core-seconds', 'counter');
  const containerMemory = family('container_memory_working_set_bytes', 'Current working set of the container in bytes', 'gauge');
  const podCpu = family('pod_cpu_usage_seconds_total', 'Cumulative cpu time consumed by the pod in core-seconds', 'counter');
  const podMemory = family('pod_memory_working_set_bytes', 'Current working set of the pod in bytes', 'gauge');
  const scrapeError = family('resource_scrape_error', '1 if there was an error while getting container metrics, 0 otherwise', 'gauge');
  scrapeError.samples.push({ labels: [], value: stats ? 0 : 1 });
  if (stats) {
    const { node } = stats;
    nodeCpu.samples.push({ labels: [], value: node.cpuUsageCoreNanoSeconds / NANOS_PER_SECOND, timestamp: node.timestamp });
    nodeMemory.samples.push({ labels: [], value: node.memoryWorkingSetBytes, timestamp: node.timestamp });
    for (const pod of stats.pods) {
      const podLabels: [string, string][] = [
        ['pod', pod.name],
        ['namespace', pod.namespace],
      ];
      for (const c of pod.containers) {
        const labels: [string, string][] = [['container', c.name], ...podLabels];
        if (c.startTime > 0) containerStart.samples.push({ labels, value: c.startTime / 1000 });
        containerCpu.samples.push({ labels, value: c.cpuUsageCoreNanoSeconds / NANOS_PER_SECOND, timestamp: c.timestamp });
        containerMemory.samples.push({ labels, value: c.memoryWorkingSetBytes, timestamp: c.timestamp });
      }
      podCpu.samples.push({ labels: podLabels, value: pod.cpuUsageCoreNanoSeconds / NANOS_PER_SECOND, timestamp: pod.timestamp });
      podMemory.samples.push({ labels: podLabels, value: pod.memoryWorkingSetBytes, timestamp: pod.timestamp });
    }
  }
  return renderFamilies([nodeCpu, nodeMemory, containerStart, containerCpu, containerMemory, podCpu, podMemory, scrapeError]);
}
