import type { KubeObject } from '@k8ts/api';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/api-error.ts';
import { emptyBatch } from './metrics-batch.ts';
import { getNodeMetrics, getPodMetrics, goDuration, listFilter, nodeMetricsList, podMetricsList } from './metrics-api.ts';
import { MetricsStorage } from './metrics-storage.ts';

const t0 = Date.UTC(2025, 0, 1, 12, 0, 0);
const now = t0 + 20_500;

function storageWithTwoScrapes(): MetricsStorage {
  const storage = new MetricsStorage(15_000);
  for (const [at, nodeCpu, podCpu] of [
    [t0, 100, 10],
    [t0 + 15_250, 106.1, 17.625],
  ] as const) {
    const b = emptyBatch();
    b.nodes.set('node-1', { startTime: 0, timestamp: at, cumulativeCpuNanos: nodeCpu * 1e9, memoryBytes: 1_182_629_888 });
    b.pods.set('shop/web', {
      namespace: 'shop',
      name: 'web',
      containers: new Map([
        ['sidecar', { startTime: t0 - 60_000, timestamp: at, cumulativeCpuNanos: 1e7, memoryBytes: 2 * 1024 * 1024 }],
        ['app', { startTime: t0 - 60_000, timestamp: at, cumulativeCpuNanos: podCpu * 1e9, memoryBytes: 64 * 1024 * 1024 }],
      ]),
    });
    storage.store(b);
  }
  return storage;
}

const nodes: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } } },
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-2', labels: { 'kubernetes.io/hostname': 'node-2' } } },
];
const pods = [
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } }, spec: { containers: [{ name: 'app' }, { name: 'sidecar' }] } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'new', namespace: 'shop', labels: { app: 'new' } }, spec: { containers: [{ name: 'app' }] } },
] as KubeObject[];
const objects = { nodes: () => nodes, pods: (ns?: string) => pods.filter((p) => !ns || p.metadata.namespace === ns) };

describe('goDuration', () => {
  it("prints metav1.Duration's Go form", () => {
    expect(goDuration(15_250)).toBe('15.25s');
    expect(goDuration(2000)).toBe('2s');
    expect(goDuration(500)).toBe('500ms');
    expect(goDuration(90_000)).toBe('1m30s');
  });
});

describe('metrics.k8s.io objects', () => {
  it("lists NodeMetrics like metrics-server: the node's name and labels, time, window and usage; nodes without usage left out", () => {
    expect(nodeMetricsList(storageWithTwoScrapes(), nodes, listFilter(new URLSearchParams()), now)).toEqual({
      kind: 'NodeMetricsList',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: {},
      items: [
        {
          kind: 'NodeMetrics',
          apiVersion: 'metrics.k8s.io/v1beta1',
          metadata: { name: 'node-1', creationTimestamp: '2025-01-01T12:00:20Z', labels: { 'kubernetes.io/hostname': 'node-1' } },
          timestamp: '2025-01-01T12:00:15Z',
          window: '15.25s',
          // 6.1 core-seconds over 15.25 s
          usage: { cpu: '400m', memory: '1154912Ki' },
        },
      ],
    });
  });

  it('lists PodMetrics with containers in spec order, filtered by label and field selectors', () => {
    const query = (text: string) => listFilter(new URLSearchParams(text));
    const list = podMetricsList(storageWithTwoScrapes(), objects.pods('shop'), query('labelSelector=app%3Dweb'), now);
    expect(list.items).toEqual([
      {
        kind: 'PodMetrics',
        apiVersion: 'metrics.k8s.io/v1beta1',
        metadata: { name: 'web', namespace: 'shop', creationTimestamp: '2025-01-01T12:00:20Z', labels: { app: 'web' } },
        timestamp: '2025-01-01T12:00:15Z',
        window: '15.25s',
        containers: [
          { name: 'app', usage: { cpu: '500m', memory: '64Mi' } },
          { name: 'sidecar', usage: { cpu: '0', memory: '2Mi' } },
        ],
      },
    ]);
    expect(podMetricsList(storageWithTwoScrapes(), objects.pods('shop'), query('labelSelector=app%3Dnothing'), now).items).toEqual([]);
    expect(podMetricsList(storageWithTwoScrapes(), objects.pods(), query('fieldSelector=metadata.name%3Dweb'), now).items).toHaveLength(1);
    expect(podMetricsList(storageWithTwoScrapes(), objects.pods(), query('fieldSelector=metadata.namespace%3Dother'), now).items).toEqual([]);
    expect(() => listFilter(new URLSearchParams('labelSelector=a%20in'))).toThrow(ApiError);
  });

  it('answers NotFound in metrics-server words for objects without usage', () => {
    const storage = storageWithTwoScrapes();
    expect(getNodeMetrics(storage, objects, 'node-1', now).kind).toBe('NodeMetrics');
    const notFound = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err instanceof ApiError ? [err.code, err.message] : err;
      }
      return 'no error';
    };
    expect(notFound(() => getNodeMetrics(storage, objects, 'node-2', now))).toEqual([404, 'nodemetrics.metrics.k8s.io "node-2" not found']);
    expect(notFound(() => getPodMetrics(storage, objects, 'shop', 'new', now))).toEqual([404, 'podmetrics.metrics.k8s.io "shop/new" not found']);
    expect(notFound(() => getPodMetrics(storage, objects, 'shop', 'absent', now))).toEqual([404, 'podmetrics.metrics.k8s.io "shop/absent" not found']);
  });
});
