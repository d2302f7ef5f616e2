// metrics-server's role inside the apiserver: the scraper filling the storage, and the
// metrics.k8s.io/v1beta1 routes reading it. Kubernetes runs metrics-server as an aggregated API
// server behind an APIService; k8ts serves the same API from the apiserver itself (no aggregation
// layer), which changes nothing a client sees: discovery lists metrics.k8s.io/v1beta1 and
// `kubectl top` and the HPA read it as from metrics-server.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ResourceRegistry } from '../registry/resource-registry.ts';
import { kubeletMetricsFetcher, type KubeletClientTls } from './kubelet-client.ts';
import {
  getNodeMetrics,
  getPodMetrics,
  METRICS_GROUP,
  METRICS_VERSION,
  nodeMetricsList,
  podMetricsList,
  listFilter,
  type MetricsObjects,
} from './metrics-api.ts';
import { MetricsStorage } from './metrics-storage.ts';
import { MetricsScraper, type ResourceMetricsFetcher, type ScraperLogger } from './scraper.ts';

/** metrics-server's default --metric-resolution. */
export const DEFAULT_METRIC_RESOLUTION_MS = 15_000;

/** Nodes and pods straight from the registry's watch caches (no request to the store). */
export function registryObjects(registry: ResourceRegistry): MetricsObjects {
  const read = (resource: string, namespace?: string) => {
    const store = registry.store('', 'v1', resource);
    return store ? store.cache.list(store.prefixFor(namespace)).values.map((v) => v.object) : [];
  };
  return { nodes: () => read('nodes'), pods: (namespace) => read('pods', namespace) };
}

export interface ResourceMetricsOptions {
  objects: MetricsObjects;
  resolutionMs: number;
  /** the kubelet client certificate, or a fetcher (tests) */
  kubeletClient: KubeletClientTls | ResourceMetricsFetcher;
  now: () => number;
  logger: ScraperLogger;
}

export class ResourceMetrics {
  readonly storage: MetricsStorage;
  readonly scraper: MetricsScraper;
  private readonly stop = new AbortController();
  private started = false;

  constructor(private readonly options: ResourceMetricsOptions) {
    this.storage = new MetricsStorage(options.resolutionMs);
    const fetch = typeof options.kubeletClient === 'function' ? options.kubeletClient : kubeletMetricsFetcher(options.kubeletClient);
    this.scraper = new MetricsScraper({ storage: this.storage, nodes: options.objects.nodes, fetch, resolutionMs: options.resolutionMs, now: options.now, logger: options.logger });
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.scraper.run(this.stop.signal);
  }

  /** Stops scraping; a scrape under way is not waited for (it ends by its own timeout). */
  close(): void {
    this.stop.abort();
  }

  /** GET routes of metrics.k8s.io/v1beta1 (more specific than the generic /apis/* resource route). */
  registerRoutes(app: FastifyInstance): void {
    const base = `/apis/${METRICS_GROUP}/${METRICS_VERSION}`;
    const { objects, now } = this.options;
    const send = (reply: FastifyReply, body: unknown) => reply.code(200).header('Content-Type', 'application/json').send(JSON.stringify(body));
    const query = (request: FastifyRequest) => new URL(request.url, 'http://apiserver').searchParams;
    const params = (request: FastifyRequest) => request.params as { name: string; namespace: string };
    app.get(`${base}/nodes`, async (request, reply) => send(reply, nodeMetricsList(this.storage, objects.nodes(), listFilter(query(request)), now())));
    app.get(`${base}/nodes/:name`, async (request, reply) => send(reply, getNodeMetrics(this.storage, objects, params(request).name, now())));
    app.get(`${base}/pods`, async (request, reply) => send(reply, podMetricsList(this.storage, objects.pods(), listFilter(query(request)), now())));
    app.get(`${base}/namespaces/:namespace/pods`, async (request, reply) =>
      send(reply, podMetricsList(this.storage, objects.pods(params(request).namespace), listFilter(query(request)), now())),
    );
    app.get(`${base}/namespaces/:namespace/pods/:name`, async (request, reply) =>
      send(reply, getPodMetrics(this.storage, objects, params(request).namespace, params(request).name, now())),
    );
  }
}
