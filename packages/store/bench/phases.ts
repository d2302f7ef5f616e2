// The measured phases. Each opens its own channels, warms up with the same load on other
// keys, then measures a fixed number of operations; every target gets identical phases.
import { performance } from 'node:perf_hooks';
import { prefixEnd } from '../src/client/bytes.ts';
import { EtcdClient } from '../src/client/etcd-client.ts';
import { runClosedLoop, type ClosedLoopResult } from './closed-loop.ts';
import type { Target } from '../test/harness.ts';
import type { PhaseSizes } from './sizes.ts';

/** Concurrent clients (requests in flight) of the put phases. */
export const PUT_CLIENTS = [1, 16, 64, 256] as const;
export const RANGE_CLIENTS = 64;
export const WATCH_WRITERS = 64;
/** Clients share at most this many channels, as a few client processes would. */
export const MAX_CHANNELS = 8;
const VALUE = Buffer.alloc(256, 'v');

export interface WatchResult {
  /** Events the watcher received. */
  events: number;
  /** From the first put sent to the last event received. */
  elapsedMs: number;
  perSecond: number;
  writes: ClosedLoopResult;
  timedOut: boolean;
}

export interface TargetResults {
  puts: Map<number, ClosedLoopResult>;
  ranges: ClosedLoopResult;
  watch: WatchResult;
}

/** The running stores, by target: the client endpoints of their members. */
export type Endpoints = ReadonlyMap<Target, readonly string[]>;

/**
 * Runs every phase on every target, phase by phase: background load on the machine then
 * weighs on both targets alike instead of on whichever ran second. The order of the targets
 * flips from one phase to the next, so neither always runs first.
 */
export async function measureAlternately(endpoints: Endpoints, sizes: PhaseSizes, log: (line: string) => void): Promise<Map<Target, TargetResults>> {
  const onEachTarget = alternatingPhases(endpoints, log);
  const puts = new Map<number, Map<Target, ClosedLoopResult>>();
  for (const clients of PUT_CLIENTS) {
    puts.set(clients, await onEachTarget(`put, ${clients} clients`, (endpoints) => measurePuts(endpoints, clients, sizes), describeLoad));
  }
  const ranges = await onEachTarget(`range, ${RANGE_CLIENTS} clients`, (endpoints) => measureRanges(endpoints, sizes), describeLoad);
  const watch = await onEachTarget('watch', (endpoints) => measureWatch(endpoints, sizes), describeWatch);

  return new Map(
    [...endpoints.keys()].map((target): [Target, TargetResults] => [
      target,
      {
        puts: new Map(PUT_CLIENTS.map((clients) => [clients, puts.get(clients)!.get(target)!])),
        ranges: ranges.get(target)!,
        watch: watch.get(target)!,
      },
    ]),
  );
}

/**
 * Returns a runner of one phase on every target, logging each result. The order of the
 * targets flips from one call to the next, so neither always runs first.
 */
export function alternatingPhases(endpoints: Endpoints, log: (line: string) => void) {
  let phaseNumber = 0;
  return async function onEachTarget<R>(
    label: string,
    measure: (endpoints: readonly string[], target: Target) => Promise<R>,
    describe: (result: R) => string,
  ): Promise<Map<Target, R>> {
    const targets = [...endpoints.keys()];
    if (phaseNumber++ % 2 === 1) targets.reverse();
    const results = new Map<Target, R>();
    for (const target of targets) {
      const result = await measure(endpoints.get(target)!, target);
      log(`${label}, ${target}: ${describe(result)}`);
      results.set(target, result);
    }
    return results;
  };
}

export function describeLoad(result: ClosedLoopResult): string {
  const limit = result.timedOut ? ' (time limit)' : '';
  const failures = result.failed > 0 ? `, ${result.failed} failed: ${result.firstError}` : '';
  return `${result.completed} ops in ${result.elapsedMs.toFixed(0)} ms, load generator CPU ${result.generatorCpuPercent.toFixed(0)}%${limit}${failures}`;
}

function describeWatch(result: WatchResult): string {
  return `${result.events} events in ${result.elapsedMs.toFixed(0)} ms${result.timedOut ? ' (time limit)' : ''}`;
}

/** Puts at `clients` concurrent clients; `operations` defaults to the size of that phase in `sizes`. */
export async function measurePuts(
  endpoints: readonly string[],
  clients: number,
  sizes: PhaseSizes,
  operations = sizes.putOperations[clients],
): Promise<ClosedLoopResult> {
  const channels = openChannels(endpoints, Math.min(clients, MAX_CHANNELS));
  try {
    await putKeys(channels, `/bench/warmup/put-${clients}/`, sizes.warmupOperations, clients, sizes.timeLimitMs);
    return await putKeys(channels, `/bench/put-${clients}/`, operations, clients, sizes.timeLimitMs);
  } finally {
    closeAll(channels);
  }
}

/**
 * Single-key gets at RANGE_CLIENTS clients over freshly written keys: linearizable (the
 * default, confirmed with the leader) or serializable (answered from the member's own state).
 */
export async function measureRanges(endpoints: readonly string[], sizes: PhaseSizes, serializable = false): Promise<ClosedLoopResult> {
  const channels = openChannels(endpoints, Math.min(RANGE_CLIENTS, MAX_CHANNELS));
  const prefix = `/bench/range${serializable ? '-serializable' : ''}/`;
  try {
    const loaded = await putKeys(channels, prefix, sizes.rangeKeys, RANGE_CLIENTS, sizes.timeLimitMs);
    if (loaded.completed !== sizes.rangeKeys) throw new Error(`loading keys for ranges failed: ${loaded.firstError}`);
    const getKeys = (operations: number) =>
      runClosedLoop({
        operations,
        concurrency: RANGE_CLIENTS,
        timeLimitMs: sizes.timeLimitMs,
        request: async (index, worker) => {
          const response = await channels[worker % channels.length].range({ key: keyAt(prefix, index % sizes.rangeKeys), serializable });
          if (response.kvs.length !== 1) throw new Error(`get returned ${response.kvs.length} keys`);
        },
      });
    await getKeys(sizes.warmupOperations);
    return await getKeys(sizes.rangeOperations);
  } finally {
    closeAll(channels);
  }
}

async function measureWatch(endpoints: readonly string[], sizes: PhaseSizes): Promise<WatchResult> {
  const [watchChannel] = openChannels(endpoints, 1);
  const writers = openChannels(endpoints, Math.min(WATCH_WRITERS, MAX_CHANNELS));
  try {
    await watchPuts(watchChannel, writers, '/bench/warmup/watch/', sizes.warmupOperations, sizes.timeLimitMs);
    return await watchPuts(watchChannel, writers, '/bench/watch/', sizes.watchEvents, sizes.timeLimitMs);
  } finally {
    closeAll([watchChannel, ...writers]);
  }
}

/** One watcher on `prefix` while the writers put `events` keys under it. */
async function watchPuts(
  watchChannel: EtcdClient,
  writers: EtcdClient[],
  prefix: string,
  events: number,
  timeLimitMs: number,
): Promise<WatchResult> {
  const stream = watchChannel.watch();
  // Closing the stream ends the watcher's iteration, so a lost event cannot hang the bench.
  const timer = setTimeout(() => stream.close(), timeLimitMs);
  try {
    const watcher = await stream.create({ key: prefix, range_end: prefixEnd(prefix) });
    const started = performance.now();
    const writes = putKeys(writers, prefix, events, WATCH_WRITERS, timeLimitMs);
    let received = 0;
    let lastEventAt = started;
    try {
      for await (const response of watcher) {
        received += response.events.length;
        lastEventAt = performance.now();
        if (received >= events) break;
      }
    } catch {
      // The stream was closed at the time limit; report what arrived.
    }
    const elapsedMs = lastEventAt - started;
    return {
      events: received,
      elapsedMs,
      perSecond: (received * 1000) / elapsedMs,
      writes: await writes,
      timedOut: received < events,
    };
  } finally {
    clearTimeout(timer);
    stream.close();
  }
}

/** Puts `operations` distinct keys under `prefix`, `concurrency` at a time, spread over `channels`. */
function putKeys(channels: EtcdClient[], prefix: string, operations: number, concurrency: number, timeLimitMs: number) {
  return runClosedLoop({
    operations,
    concurrency,
    timeLimitMs,
    request: (index, worker) => channels[worker % channels.length].put({ key: keyAt(prefix, index), value: VALUE }),
  });
}

function keyAt(prefix: string, index: number): Buffer {
  return Buffer.from(`${prefix}${String(index).padStart(8, '0')}`);
}

/**
 * `count` clients spread over `endpoints` (a cluster's members in turn, as the client processes
 * of a cluster would be), each on its own connection (keys and values are Buffers, so requests
 * go out without conversion); close with closeAll.
 */
function openChannels(endpoints: readonly string[], count: number): EtcdClient[] {
  return Array.from({ length: count }, (_, i) => new EtcdClient(endpoints[i % endpoints.length], { ownConnection: true }));
}

function closeAll(clients: readonly EtcdClient[]): void {
  for (const client of clients) client.close();
}
