import { describe, expect, it } from 'vitest';
import { emptyBatch, type MetricsBatch, type MetricsPoint } from './metrics-batch.ts';
import { MetricsStorage } from './metrics-storage.ts';

const t0 = 1_735_689_600_000;

function point(timestamp: number, cpuSeconds: number, memoryBytes: number, startTime = t0 - 60_000): MetricsPoint {
  return { startTime, timestamp, cumulativeCpuNanos: cpuSeconds * 1e9, memoryBytes };
}

function batch(node: MetricsPoint | undefined, containers: Record<string, MetricsPoint> = {}): MetricsBatch {
  const b = emptyBatch();
  if (node) b.nodes.set('node-1', node);
  if (Object.keys(containers).length > 0) b.pods.set('shop/web', { namespace: 'shop', name: 'web', containers: new Map(Object.entries(containers)) });
  return b;
}

describe('MetricsStorage', () => {
  it('has no usage after one scrape, then the rate between the last two', () => {
    const storage = new MetricsStorage(15_000);
    storage.store(batch(point(t0, 100, 1000), { app: point(t0, 10, 500) }));
    expect(storage.nodeUsage('node-1')).toBeUndefined();
    expect(storage.podUsage('shop', 'web')).toBeUndefined();

    storage.store(batch(point(t0 + 15_000, 106, 2000), { app: point(t0 + 15_000, 13.75, 600) }));
    // 6 core-seconds over 15 s = 400m; 3.75 over 15 s = 250m
    expect(storage.nodeUsage('node-1')).toEqual({ timestamp: t0 + 15_000, windowMs: 15_000, cpuNanoCores: 400_000_000, memoryBytes: 2000 });
    expect(storage.podUsage('shop', 'web')).toEqual({
      timestamp: t0 + 15_000,
      windowMs: 15_000,
      containers: [{ name: 'app', timestamp: t0 + 15_000, windowMs: 15_000, cpuNanoCores: 250_000_000, memoryBytes: 600 }],
    });
  });

  it('keeps the previous point when a scrape brings nothing newer', () => {
    const storage = new MetricsStorage(15_000);
    storage.store(batch(point(t0, 100, 1000)));
    storage.store(batch(point(t0 + 10_000, 101, 1000)));
    storage.store(batch(point(t0 + 10_000, 101, 1000)));
    expect(storage.nodeUsage('node-1')?.windowMs).toBe(10_000);
  });

  it('forgets what a scrape lacks, and starts over after a restart', () => {
    const storage = new MetricsStorage(15_000);
    storage.store(batch(point(t0, 1, 1), { app: point(t0, 10, 500) }));
    storage.store(batch(point(t0 + 15_000, 2, 1), { app: point(t0 + 15_000, 11, 500) }));
    expect(storage.podUsage('shop', 'web')).toBeDefined();
    // restarted (started after the stored point, 5 s ago: too young to count from its start)
    storage.store(batch(point(t0 + 30_000, 3, 1), { app: point(t0 + 30_000, 1, 500, t0 + 25_000) }));
    expect(storage.podUsage('shop', 'web')).toBeUndefined();
    storage.store(batch(undefined));
    expect(storage.nodeUsage('node-1')).toBeUndefined();
  });

  it('skips a counter that went down', () => {
    const storage = new MetricsStorage(15_000);
    storage.store(batch(point(t0, 100, 1)));
    storage.store(batch(point(t0 + 15_000, 50, 1)));
    expect(storage.nodeUsage('node-1')).toBeUndefined();
  });

  it('takes the start of a container younger than one resolution (and at least 10 s old) as its previous point', () => {
    const storage = new MetricsStorage(60_000);
    storage.store(batch(undefined, { app: point(t0 + 20_000, 5, 500, t0) }));
    expect(storage.podUsage('shop', 'web')?.containers[0]).toMatchObject({ windowMs: 20_000, cpuNanoCores: 250_000_000 });
  });
});
