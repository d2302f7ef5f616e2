// Where the HPA reads pod usage: the resource metrics API (metrics.k8s.io/v1beta1 PodMetrics,
// served by metrics-server in Kubernetes and by the apiserver in k8ts). The source is an
// interface so that tests can drive usage directly; the REST one lists PodMetrics with the
// target's selector and sums each pod's containers (or takes one container).
import { parseQuantity, quantityMilliValue } from '@k8ts/api/quantity/index.ts';
import { errorMessage, type RestClient } from '@k8ts/client';
import { parseGoDuration } from '../../options/go-duration.ts';
import type { PodMetrics, PodMetricsInfo } from './types.ts';

export interface ResourceMetrics {
  metrics: PodMetricsInfo;
  /** the first sample's time (ms since the epoch) */
  timestamp: number;
}

export interface ResourceMetricsSource {
  /**
   * Usage of `resource` ("cpu", "memory") by the pods `selector` (a label selector string)
   * picks in `namespace`, summed over their containers, or of `container` alone when not "".
   */
  getResourceMetric(resource: string, namespace: string, selector: string, container: string): Promise<ResourceMetrics>;
}

const METRICS_GROUP_VERSION = '/apis/metrics.k8s.io/v1beta1';

/** The resource metrics API through the controller's REST client. */
export class RestResourceMetricsSource implements ResourceMetricsSource {
  constructor(private readonly rest: RestClient) {}

  async getResourceMetric(resource: string, namespace: string, selector: string, container: string): Promise<ResourceMetrics> {
    let list: { items?: PodMetrics[] };
    try {
      list = await this.rest.request<{ items?: PodMetrics[] }>({
        method: 'GET',
        path: `${METRICS_GROUP_VERSION}/namespaces/${encodeURIComponent(namespace)}/pods`,
        query: selector === '' ? [] : [['labelSelector', selector]],
        target: { group: 'metrics.k8s.io', resource: 'pods' },
      });
    } catch (err) {
      throw new Error(`unable to fetch metrics from resource metrics API: ${errorMessage(err)}`, { cause: err });
    }
    return resourceMetricsOf(list.items ?? [], resource, container);
  }
}

/** PodMetrics items as per-pod usage; throws as the resource metrics client does. */
export function resourceMetricsOf(items: readonly PodMetrics[], resource: string, container: string): ResourceMetrics {
  if (items.length === 0) throw new Error('no metrics returned from resource metrics API');
  const metrics: PodMetricsInfo = new Map();
  for (const item of items) {
    const name = item.metadata.name ?? '';
    const base = { timestamp: Date.parse(item.timestamp), windowMs: windowOf(item.window) };
    if (container !== '') {
      for (const c of item.containers ?? []) {
        if (c.name !== container) continue;
        const usage = c.usage?.[resource];
        if (usage === undefined) {
          throw new Error(`failed to get container metrics: missing resource metric ${resource} for container ${c.name} in pod ${item.metadata.namespace ?? ''}/${name}`);
        }
        metrics.set(name, { ...base, value: milli(usage) });
      }
      continue;
    }
    // A pod whose sample lacks any container's usage (or has no containers) gives no sample.
    const containers = item.containers ?? [];
    if (containers.length === 0 || containers.some((c) => c.usage?.[resource] === undefined)) continue;
    metrics.set(name, { ...base, value: containers.reduce((sum, c) => sum + milli(c.usage[resource]!), 0) });
  }
  return { metrics, timestamp: Date.parse(items[0]!.timestamp) };
}

function milli(value: string | number): number {
  return Number(quantityMilliValue(parseQuantity(value)));
}

function windowOf(window: string | undefined): number {
  try {
    return window ? parseGoDuration(window) : 0;
  } catch {
    return 0;
  }
}
