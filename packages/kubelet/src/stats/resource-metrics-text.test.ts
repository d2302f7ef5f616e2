import { describe, expect, it } from 'vitest';
import { formatGoFloat, resourceMetricsText } from './resource-metrics-text.ts';
import type { ResourceStats } from './resource-stats.ts';

describe('formatGoFloat', () => {
  it('prints like Go strconv.FormatFloat(v, g, -1, 64)', () => {
    expect(formatGoFloat(0)).toBe('0');
    expect(formatGoFloat(2.5)).toBe('2.5');
    expect(formatGoFloat(123456)).toBe('123456');
    expect(formatGoFloat(2097152)).toBe('2.097152e+06');
    expect(formatGoFloat(1735689600.25)).toBe('1.73568960025e+09');
    expect(formatGoFloat(0.0001)).toBe('0.0001');
    expect(formatGoFloat(0.00001)).toBe('1e-05');
  });
});

describe('resourceMetricsText', () => {
  const at = Date.UTC(2025, 0, 1, 0, 0, 10);
  const stats: ResourceStats = {
    node: { timestamp: at, cpuUsageCoreNanoSeconds: 12_500_000_000, memoryWorkingSetBytes: 300 * 1024 * 1024 },
    pods: [
      {
        name: 'web',
        namespace: 'default',
        timestamp: at,
        cpuUsageCoreNanoSeconds: 2_500_000_000,
        memoryWorkingSetBytes: 64 * 1024 * 1024,
        containers: [
          { name: 'sidecar', startTime: at - 10_000, timestamp: at, cpuUsageCoreNanoSeconds: 1_250_000_000, memoryWorkingSetBytes: 32 * 1024 * 1024 },
          { name: 'app', startTime: at - 10_000, timestamp: at, cpuUsageCoreNanoSeconds: 1_250_000_000, memoryWorkingSetBytes: 32 * 1024 * 1024 },
        ],
      },
    ],
  };

  it("writes the kubelet's families, sorted, with label values escaped and samples stamped", () => {
    const text = resourceMetricsText(stats);
    expect(text).toBe(
      [
        '# HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds',
        '# TYPE container_cpu_usage_seconds_total counter',
        `container_cpu_usage_seconds_total{container="app",namespace="default",pod="web"} 1.25 ${at}`,
        `container_cpu_usage_seconds_total{container="sidecar",namespace="default",pod="web"} 1.25 ${at}`,
        '# HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes',
        '# TYPE container_memory_working_set_bytes gauge',
        `container_memory_working_set_bytes{container="app",namespace="default",pod="web"} 3.3554432e+07 ${at}`,
        `container_memory_working_set_bytes{container="sidecar",namespace="default",pod="web"} 3.3554432e+07 ${at}`,
        '# HELP container_start_time_seconds [STABLE] Start time of the container since unix epoch in seconds',
        '# TYPE container_start_time_seconds gauge',
        'container_start_time_seconds{container="app",namespace="default",pod="web"} 1.7356896e+09',
        'container_start_time_seconds{container="sidecar",namespace="default",pod="web"} 1.7356896e+09',
        '# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds',
        '# TYPE node_cpu_usage_seconds_total counter',
        `node_cpu_usage_seconds_total 12.5 ${at}`,
        '# HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes',
        '# TYPE node_memory_working_set_bytes gauge',
        `node_memory_working_set_bytes 3.145728e+08 ${at}`,
        '# HELP pod_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the pod in core-seconds',
        '# TYPE pod_cpu_usage_seconds_total counter',
        `pod_cpu_usage_seconds_total{namespace="default",pod="web"} 2.5 ${at}`,
        '# HELP pod_memory_working_set_bytes [STABLE] Current working set of the pod in bytes',
        '# TYPE pod_memory_working_set_bytes gauge',
        `pod_memory_working_set_bytes{namespace="default",pod="web"} 6.7108864e+07 ${at}`,
        '# HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise',
        '# TYPE resource_scrape_error gauge',
        'resource_scrape_error 0',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values', () => {
    const odd = { ...stats, pods: [{ ...stats.pods[0]!, containers: [{ ...stats.pods[0]!.containers[0]!, name: 'a"b\\c' }] }] };
    expect(resourceMetricsText(odd)).toContain('{container="a\\"b\\\\c",namespace="default",pod="web"}');
  });

  it('reports a failed collection as resource_scrape_error 1 and nothing else', () => {
    expect(resourceMetricsText(undefined)).toBe(
      '# HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise\n# TYPE resource_scrape_error gauge\nresource_scrape_error 1\n',
    );
  });
});
