import { FakeClock, RestClient, type HttpRequest } from '@k8ts/client';
import { describe, expect, it } from 'vitest';
import { resourceMetricsOf, RestResourceMetricsSource } from './metrics-client.ts';
import type { PodMetrics } from './types.ts';

function podMetrics(name: string, containers: Record<string, Record<string, string>>): PodMetrics {
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    timestamp: '2025-01-01T00:00:00Z',
    window: '15.5s',
    containers: Object.entries(containers).map(([c, usage]) => ({ name: c, usage })),
  };
}

describe('resource metrics', () => {
  it("sums a pod's containers in milli-units, with the sample's time and window", () => {
    const { metrics, timestamp } = resourceMetricsOf([podMetrics('a', { app: { cpu: '250m', memory: '64Mi' }, sidecar: { cpu: '1', memory: '1Ki' } })], 'cpu', '');
    expect(timestamp).toBe(Date.UTC(2025, 0, 1));
    expect(metrics.get('a')).toEqual({ timestamp: Date.UTC(2025, 0, 1), windowMs: 15_500, value: 1250 });
    expect(resourceMetricsOf([podMetrics('a', { app: { memory: '64Mi' } })], 'memory', '').metrics.get('a')?.value).toBe(64 * 1024 * 1024 * 1000);
  });

  it('leaves out pods missing the resource in any container, or without containers', () => {
    const { metrics } = resourceMetricsOf([podMetrics('a', { app: { cpu: '1' }, other: { memory: '1Mi' } }), podMetrics('b', {}), podMetrics('c', { app: { cpu: '5m' } })], 'cpu', '');
    expect([...metrics.keys()]).toEqual(['c']);
  });

  it('takes one container for container resource metrics', () => {
    const items = [podMetrics('a', { app: { cpu: '250m' }, sidecar: { cpu: '1' } })];
    expect(resourceMetricsOf(items, 'cpu', 'app').metrics.get('a')?.value).toBe(250);
    expect(() => resourceMetricsOf([podMetrics('a', { app: { memory: '1Mi' } })], 'cpu', 'app')).toThrow(
      'failed to get container metrics: missing resource metric cpu for container app in pod default/a',
    );
  });

  it('fails when the API returns nothing', () => {
    expect(() => resourceMetricsOf([], 'cpu', '')).toThrow('no metrics returned from resource metrics API');
  });

  it('lists PodMetrics of the namespace with the target selector', async () => {
    const requests: HttpRequest[] = [];
    const rest = new RestClient(
      { host: 'http://metrics.invalid', qps: -1 },
      {
        clock: new FakeClock(0),
        transport: async (request) => {
          requests.push(request);
          const body = Buffer.from(JSON.stringify({ kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', items: [podMetrics('a', { app: { cpu: '40m' } })] }));
          return { status: 200, headers: { 'content-type': ['application/json'] }, body: (async function* () { yield body; })() };
        },
      },
    );
    const { metrics } = await new RestResourceMetricsSource(rest).getResourceMetric('cpu', 'default', 'app=web', '');
    expect(metrics.get('a')?.value).toBe(40);
    expect(requests.map((r) => `${r.method} ${r.url.pathname}${r.url.search}`)).toEqual(['GET /apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dweb']);
  });

  it('says where a failed request came from', async () => {
    const rest = new RestClient(
      { host: 'http://metrics.invalid', qps: -1 },
      {
        clock: new FakeClock(0),
        transport: async () => {
          const body = Buffer.from(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404 }));
          return { status: 404, headers: { 'content-type': ['application/json'] }, body: (async function* () { yield body; })() };
        },
      },
    );
    await expect(new RestResourceMetricsSource(rest).getResourceMetric('cpu', 'default', 'app=web', '')).rejects.toThrow(
      /^unable to fetch metrics from resource metrics API: the server could not find the requested resource/,
    );
  });
});
