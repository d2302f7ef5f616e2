// Watch fan-out: 1,000 watchers on pods, then writes one at a time; each write is timed from
// its acknowledgment (the writer has the response) to its event reaching every watcher, and
// from the moment it was sent: a server that fans an event out before it acknowledges the
// write (one thread doing both) looks instant from the acknowledgment alone.
// Over the apiserver the watchers are HTTP watches of all pods (one connection each, from a
// recent resourceVersion); the anchor watches the store directly with as many etcd watches.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { EtcdClient, Watcher } from '@k8ts/store/client/etcd-client.ts';
import { prefixEnd } from '@k8ts/store/client/etcd-client.ts';
import { summarize, type LatencySummary } from '../../store/bench/latency.ts';
import { deliveryLatencies, DeliveryTracker } from './delivery-tracker.ts';
import { createKey, directClient, DIRECT_PREFIX, removeDirectKeys } from './direct-store.ts';
import { fanoutIndex, fanoutName, watchStreamScanner } from './fanout-marker.ts';
import { ApiClient } from './http-client.ts';
import { podManifest } from './pod-manifest.ts';
import type { BenchSizes } from './sizes.ts';

export const FANOUT_NAMESPACE = 'bench-watch';
/** A write not delivered to every watcher by then is counted as missed by those that lack it. */
const DELIVERY_WAIT_MS = 10_000;
/** Watches opened at once: more would overflow the listen backlog and time out connects. */
const OPEN_BATCH = 100;
/** The anchor's watches share this many connections, as a few client processes would. */
const STORE_CONNECTIONS = 8;

export interface FanoutResult {
  watchers: number;
  /** Measured writes whose event reached every watcher. */
  events: number;
  /** Per write: acknowledgment → the last watcher has it. */
  toAll: LatencySummary;
  /** Per write: request sent → the last watcher has it (the write's own latency included). */
  toAllFromSent: LatencySummary;
  /** Per write and watcher: acknowledgment → that watcher has it. */
  toEach: LatencySummary;
  /** Deliveries that had not arrived DELIVERY_WAIT_MS after their write. */
  missed: number;
  /** The time limit ended the phase early. */
  timedOut: boolean;
  generatorCpuPercent: number;
}

interface Fleet {
  close(): void;
}

export async function fanoutOverApiserver(url: string, sizes: BenchSizes): Promise<FanoutResult> {
  const writer = new ApiClient(url, 1);
  const tracker = new DeliveryTracker(sizes.watchers);
  try {
    // Start after everything there is, so watchers get only the timed writes (no initial ADDED events).
    const list = await writer.json<{ metadata: { resourceVersion: string } }>('GET', `/api/v1/namespaces/${FANOUT_NAMESPACE}/pods`);
    const fleet = await openHttpWatchers(url, sizes.watchers, list.metadata.resourceVersion, tracker);
    try {
      return await timeWrites(tracker, sizes, (index) =>
        writer.request('POST', `/api/v1/namespaces/${FANOUT_NAMESPACE}/pods`, { body: podManifest(FANOUT_NAMESPACE, fanoutName(index)) }),
      );
    } finally {
      fleet.close();
    }
  } finally {
    writer.close();
  }
}

export async function fanoutOverStore(endpoint: string, storedPod: Buffer, sizes: BenchSizes): Promise<FanoutResult> {
  const prefix = `${DIRECT_PREFIX}fanout/`;
  const writer = directClient(endpoint);
  const tracker = new DeliveryTracker(sizes.watchers);
  try {
    const fleet = await openStoreWatchers(endpoint, sizes.watchers, prefix, tracker);
    try {
      return await timeWrites(tracker, sizes, (index) => createKey(writer, `${prefix}${fanoutName(index)}`, storedPod));
    } finally {
      fleet.close();
    }
  } finally {
    await removeDirectKeys(writer);
    writer.close();
  }
}

/** Warm-up writes, then the measured ones, each awaited until delivered (or given up on). */
async function timeWrites(tracker: DeliveryTracker, sizes: BenchSizes, write: (index: number) => Promise<unknown>): Promise<FanoutResult> {
  const toAll: number[] = [];
  const toAllFromSent: number[] = [];
  const toEach: number[] = [];
  let missed = 0;
  let timedOut = false;
  const total = sizes.warmupWatchEvents + sizes.watchEvents;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let index = 0; index < total; index++) {
    if (performance.now() - started > sizes.timeLimitMs) {
      timedOut = true;
      break;
    }
    const sentAt = performance.now();
    await write(index);
    const acknowledgedAt = performance.now();
    const delivery = await tracker.delivered(index, DELIVERY_WAIT_MS);
    if (index < sizes.warmupWatchEvents) continue;
    const latencies = deliveryLatencies(acknowledgedAt, delivery);
    toEach.push(...latencies.toEachMs);
    if (latencies.toAllMs !== undefined) {
      toAll.push(latencies.toAllMs);
      toAllFromSent.push(acknowledgedAt - sentAt + latencies.toAllMs);
    }
    missed += sizes.watchers - delivery.arrivals.length;
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    watchers: sizes.watchers,
    events: toAll.length,
    toAll: summarize(Float64Array.from(toAll)),
    toAllFromSent: summarize(Float64Array.from(toAllFromSent)),
    toEach: summarize(Float64Array.from(toEach)),
    missed,
    timedOut,
    generatorCpuPercent: ((cpu.user + cpu.system) / 1000 / (performance.now() - started)) * 100,
  };
}

/** `count` watches of all pods from `resourceVersion`, each on its own keep-alive connection. */
async function openHttpWatchers(url: string, count: number, resourceVersion: string, tracker: DeliveryTracker): Promise<Fleet> {
  const { hostname, port } = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: count });
  const requests: http.ClientRequest[] = [];
  const path = `/api/v1/pods?watch=true&resourceVersion=${resourceVersion}&timeoutSeconds=3600`;
  const open = () =>
    new Promise<void>((resolve, reject) => {
      const request = http.get({ host: hostname, port: Number(port), path, agent }, (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`watch answered ${response.statusCode}`));
          return;
        }
        const scan = watchStreamScanner((index) => tracker.arrive(index, performance.now()));
        response.on('data', scan);
        // A watch that breaks shows up as missed deliveries; closing the fleet aborts them all.
        response.on('error', () => {});
        resolve();
      });
      // After the watch is open, reject does nothing: the error is the fleet closing.
      request.on('error', reject);
      requests.push(request);
    });
  const fleet = {
    close: () => {
      for (const request of requests) request.destroy();
      agent.destroy();
    },
  };
  try {
    for (let opened = 0; opened < count; opened += OPEN_BATCH) {
      await Promise.all(Array.from({ length: Math.min(OPEN_BATCH, count - opened) }, open));
    }
  } catch (error) {
    fleet.close();
    throw error;
  }
  return fleet;
}

/** `count` etcd watches of `prefix`, spread over a few connections. */
async function openStoreWatchers(endpoint: string, count: number, prefix: string, tracker: DeliveryTracker): Promise<Fleet> {
  const clients: EtcdClient[] = Array.from({ length: Math.min(count, STORE_CONNECTIONS) }, () => directClient(endpoint));
  const streams = clients.map((client) => client.watch());
  const fleet = {
    close: () => {
      for (const stream of streams) stream.close();
      for (const client of clients) client.close();
    },
  };
  const follow = async (watcher: Watcher) => {
    for await (const response of watcher) {
      const at = performance.now();
      for (const event of response.events) {
        const index = fanoutIndex(event.kv.key.toString('utf8'));
        if (index !== undefined) tracker.arrive(index, at);
      }
    }
  };
  try {
    const watchers = await Promise.all(
      Array.from({ length: count }, (_, i) => streams[i % streams.length]!.create({ key: prefix, range_end: prefixEnd(prefix) })),
    );
    // Iteration ends with an error when the fleet closes its streams.
    for (const watcher of watchers) follow(watcher).catch(() => {});
  } catch (error) {
    fleet.close();
    throw error;
  }
  return fleet;
}
