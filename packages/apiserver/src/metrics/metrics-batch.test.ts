import { describe, expect, it } from 'vitest';
import { decodeResourceMetrics, mergeBatches } from './metrics-batch.ts';

const at = 1_735_689_610_000;

function scrape(lines: string[]): string {
  return lines.join('\n') + '\n';
}

describe('decodeResourceMetrics', () => {
  it('makes a node point and container points from a kubelet scrape', () => {
    const batch = decodeResourceMetrics(
      scrape([
        `node_cpu_usage_seconds_total 12.5 ${at}`,
        `node_memory_working_set_bytes 3.145728e+08 ${at}`,
        'container_start_time_seconds{container="app",namespace="shop",pod="web"} 1.7356896e+09',
        `container_cpu_usage_seconds_total{container="app",namespace="shop",pod="web"} 1.25 ${at}`,
        `container_memory_working_set_bytes{container="app",namespace="shop",pod="web"} 3.3554432e+07 ${at}`,
        `pod_cpu_usage_seconds_total{namespace="shop",pod="web"} 1.25 ${at}`,
        'resource_scrape_error 0',
      ]),
      at + 5,
      'node-1',
    );
    expect(batch.nodes.get('node-1')).toEqual({ startTime: 0, timestamp: at, cumulativeCpuNanos: 12_500_000_000, memoryBytes: 314_572_800 });
    expect(batch.pods.get('shop/web')?.containers.get('app')).toEqual({ startTime: 1_735_689_600_000, timestamp: at, cumulativeCpuNanos: 1_250_000_000, memoryBytes: 33_554_432 });
  });

  it('uses the scrape time for samples without a timestamp', () => {
    const batch = decodeResourceMetrics(scrape(['node_cpu_usage_seconds_total 1', 'node_memory_working_set_bytes 1000']), at, 'n');
    expect(batch.nodes.get('n')?.timestamp).toBe(at);
  });

  it('drops an incomplete node, and a pod with any container lacking CPU or memory', () => {
    const batch = decodeResourceMetrics(
      scrape([
        `node_memory_working_set_bytes 1000 ${at}`,
        `container_cpu_usage_seconds_total{container="a",namespace="x",pod="half"} 1 ${at}`,
        `container_memory_working_set_bytes{container="a",namespace="x",pod="half"} 1000 ${at}`,
        `container_cpu_usage_seconds_total{container="b",namespace="x",pod="half"} 0 ${at}`,
        `container_memory_working_set_bytes{container="b",namespace="x",pod="half"} 1000 ${at}`,
        `container_cpu_usage_seconds_total{container="a",namespace="x",pod="whole"} 1 ${at}`,
        `container_memory_working_set_bytes{container="a",namespace="x",pod="whole"} 1000 ${at}`,
      ]),
      at,
      'n',
    );
    expect(batch.nodes.size).toBe(0);
    expect([...batch.pods.keys()]).toEqual(['x/whole']);
  });

  it('merges the batches of several nodes', () => {
    const one = decodeResourceMetrics(scrape([`node_cpu_usage_seconds_total 1 ${at}`, `node_memory_working_set_bytes 1 ${at}`]), at, 'a');
    const two = decodeResourceMetrics(scrape([`node_cpu_usage_seconds_total 2 ${at}`, `node_memory_working_set_bytes 2 ${at}`]), at, 'b');
    expect([...mergeBatches([one, two]).nodes.keys()]).toEqual(['a', 'b']);
  });
});
