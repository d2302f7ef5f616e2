// metrics-server's scrape loop, built into the apiserver: every --metric-resolution it asks each
// Ready node's kubelet for /metrics/resource (at the node's InternalIP and the port in
// status.daemonEndpoints.kubeletEndpoint), decodes the answers, and stores them as one batch. A
// node whose kubelet does not answer in time is left out of that batch (and so shows no usage
// until two scrapes have succeeded again), as in metrics-server.
import type { KubeObject } from '@k8ts/api';
import { decodeResourceMetrics, emptyBatch, mergeBatches, type MetricsBatch } from './metrics-batch.ts';
import type { MetricsStorage } from './metrics-storage.ts';

export interface KubeletAddress {
  nodeName: string;
  host: string;
  port: number;
}

/** GET https://<host>:<port>/metrics/resource; rejects on failure or after `timeoutMs`. */
export type ResourceMetricsFetcher = (kubelet: KubeletAddress, timeoutMs: number) => Promise<string>;

export interface ScraperLogger {
  warn(message: string): void;
}

export interface ScraperOptions {
  storage: MetricsStorage;
  /** the Nodes as the apiserver has them now */
  nodes: () => readonly KubeObject[];
  fetch: ResourceMetricsFetcher;
  resolutionMs: number;
  now: () => number;
  logger: ScraperLogger;
  /** kubelets asked at once */
  concurrency?: number;
}

interface NodeFields {
  status?: {
    conditions?: { type?: string; status?: string }[];
    addresses?: { type?: string; address?: string }[];
    daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
  };
}

/** Where to scrape a node: only Ready nodes with an InternalIP and a kubelet port. */
export function kubeletAddress(node: KubeObject): KubeletAddress | undefined {
  const status = (node as KubeObject & NodeFields).status;
  const ready = status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
  const host = status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  const port = status?.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!ready || !host || !port) return undefined;
  return { nodeName: node.metadata.name ?? '', host, port };
}

export class MetricsScraper {
  /** nodes whose last scrape failed: a failure is logged when it starts, not every cycle */
  private readonly failing = new Set<string>();

  constructor(private readonly options: ScraperOptions) {}

  /** One scrape of every Ready node, stored as one batch. */
  async scrapeOnce(): Promise<void> {
    const { options } = this;
    const targets = options.nodes().flatMap((n) => kubeletAddress(n) ?? []);
    // metrics-server gives a scrape 90% of the resolution, so one cycle ends before the next.
    const timeoutMs = Math.max(1, Math.floor(options.resolutionMs * 0.9));
    const batches: MetricsBatch[] = [];
    const queue = [...targets];
    const worker = async () => {
      for (let target = queue.shift(); target; target = queue.shift()) batches.push(await this.scrapeNode(target, timeoutMs));
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 50, queue.length) }, worker));
    options.storage.store(mergeBatches(batches));
  }

  private async scrapeNode(target: KubeletAddress, timeoutMs: number): Promise<MetricsBatch> {
    const { options } = this;
    const started = options.now();
    try {
      const text = await options.fetch(target, timeoutMs);
      const batch = decodeResourceMetrics(text, started, target.nodeName);
      this.failing.delete(target.nodeName);
      return batch;
    } catch (err) {
      if (this.failing.has(target.nodeName)) return emptyBatch();
      this.failing.add(target.nodeName);
      options.logger.warn(`Failed to scrape node, err=${JSON.stringify((err as Error).message)} node=${JSON.stringify(target.nodeName)}`);
      return emptyBatch();
    }
  }

  /** Scrapes every resolution until `signal` aborts (the first one at once). */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const started = Date.now();
      await this.scrapeOnce().catch((err: unknown) => this.options.logger.warn(`scrape cycle failed: ${(err as Error).message}`));
      const wait = Math.max(0, this.options.resolutionMs - (Date.now() - started));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
    }
  }
}
