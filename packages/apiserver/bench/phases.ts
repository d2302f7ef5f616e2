// The measured phases, each run on every backend before the next phase starts: background
// load on the shared machine then weighs on both backends alike, and the order of the
// backends flips from one phase to the next so neither always goes first. On each backend a
// phase measures the apiserver, then its anchor (the same store operations sent directly).
import type { ClosedLoopResult } from '../../store/bench/closed-loop.ts';
import type { Backend } from '../../../test/support/control-plane.ts';
import type { TimeWindow } from './cpu-profile.ts';
import { createKeysDirectly, createNamespaces, createPods } from './create-phase.ts';
import { FANOUT_NAMESPACE, fanoutOverApiserver, fanoutOverStore, type FanoutResult } from './fanout-phase.ts';
import { getKeysDirectly, getPods, LIST_SPECS, listKeysDirectly, listPods, type ListKind, type ListResult } from './read-phase.ts';
import { processCpuMs } from './process-cpu.ts';
import type { BenchSizes } from './sizes.ts';

/** A running control plane: the apiserver's URL, its store's client endpoint, their processes. */
export interface Target {
  url: string;
  storeEndpoint: string;
  apiserverPid: number;
  storePid: number;
}

export interface Comparison<T> {
  apiserver: T;
  /** The anchor: the same store operations without the apiserver. */
  direct: T;
}

export interface BackendResults {
  /** Pods the full lists returned (the bench's pods, unless creates failed). */
  pods: number;
  /** Bytes of one pod as the apiserver stored it. */
  storedPodBytes: number;
  creates: Comparison<ClosedLoopResult>;
  gets: Comparison<ClosedLoopResult>;
  lists: Map<ListKind, Comparison<ListResult>>;
  fanout: Comparison<FanoutResult>;
  /** The apiserver side of each phase, in order. */
  spans: PhaseSpan[];
}

/** When the apiserver ran one phase (warm-up included) and what the servers spent on it. */
export interface PhaseSpan {
  phase: string;
  /** To pick the phase's samples from a CPU profile. */
  window: TimeWindow;
  /** Requests the apiserver served in the span (warm-up included). */
  requests: number;
  /** CPU time used by the apiserver and the store processes; undefined without /proc. */
  cpuMs: { apiserver: number; store: number } | undefined;
}

/** Microseconds of the monotonic clock V8 stamps profile samples with. */
function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export async function measureAlternately(
  targets: ReadonlyMap<Backend, Target>,
  sizes: BenchSizes,
  log: (line: string) => void,
): Promise<Map<Backend, BackendResults>> {
  const backends = [...targets.keys()];
  const spans = new Map<Backend, PhaseSpan[]>(backends.map((backend) => [backend, []]));
  let phaseNumber = 0;

  async function onEachBackend<R>(label: string, measure: (target: Target, backend: Backend) => Promise<R>, describe: (result: R) => string) {
    const order = phaseNumber++ % 2 === 1 ? [...backends].reverse() : backends;
    const results = new Map<Backend, R>();
    for (const backend of order) {
      const result = await measure(targets.get(backend)!, backend);
      log(`${label}, ${backend}: ${describe(result)}`);
      results.set(backend, result);
    }
    return results;
  }
  /** Runs the apiserver side of a phase, recording its span. */
  async function apiserverSpan<R>(backend: Backend, phase: string, requests: number, run: () => Promise<R>): Promise<R> {
    const { apiserverPid, storePid } = targets.get(backend)!;
    const cpuBefore = serverCpuMs(apiserverPid, storePid);
    const startUs = monotonicUs();
    const result = await run();
    const endUs = monotonicUs();
    const cpuAfter = serverCpuMs(apiserverPid, storePid);
    const cpuMs = cpuBefore && cpuAfter ? { apiserver: cpuAfter.apiserver - cpuBefore.apiserver, store: cpuAfter.store - cpuBefore.store } : undefined;
    spans.get(backend)!.push({ phase, window: { startUs, endUs }, requests, cpuMs });
    return result;
  }

  for (const backend of backends) await createNamespaces(targets.get(backend)!.url, sizes, [FANOUT_NAMESPACE]);

  const creates = await onEachBackend(
    'create pods',
    async (target, backend) => {
      const created = await apiserverSpan(backend, 'create pods', sizes.pods, () => createPods(target.url, target.storeEndpoint, sizes));
      const direct = await createKeysDirectly(target.storeEndpoint, created.storedPod, sizes);
      return { storedPod: created.storedPod, comparison: { apiserver: created.measured, direct } };
    },
    ({ comparison }) => describeComparison(comparison, describeLoad),
  );

  const gets = await onEachBackend(
    'get a pod',
    async (target, backend) => ({
      apiserver: await apiserverSpan(backend, 'get a pod', sizes.warmupGets + sizes.gets, () => getPods(target.url, sizes)),
      direct: await getKeysDirectly(target.storeEndpoint, sizes),
    }),
    (comparison) => describeComparison(comparison, describeLoad),
  );

  const lists = new Map<ListKind, Map<Backend, Comparison<ListResult>>>();
  for (const spec of LIST_SPECS) {
    lists.set(
      spec.kind,
      await onEachBackend(
        spec.label,
        async (target, backend) => ({
          apiserver: await apiserverSpan(backend, spec.label, 1 + sizes.listRepeats, () => listPods(target.url, spec, sizes)),
          direct: await listKeysDirectly(target.storeEndpoint, spec, sizes),
        }),
        (comparison) => describeComparison(comparison, (list) => `${list.items} items, ${(list.bytes / 1e6).toFixed(1)} MB, ${describeLoad(list.timing)}`),
      ),
    );
  }

  const fanout = await onEachBackend(
    `watch fan-out, ${sizes.watchers} watchers`,
    async (target, backend) => ({
      apiserver: await apiserverSpan(backend, 'watch fan-out', sizes.warmupWatchEvents + sizes.watchEvents, () => fanoutOverApiserver(target.url, sizes)),
      direct: await fanoutOverStore(target.storeEndpoint, creates.get(backend)!.storedPod, sizes),
    }),
    (comparison) => describeComparison(comparison, describeFanout),
  );

  const results = new Map<Backend, BackendResults>();
  for (const backend of backends) {
    const created = creates.get(backend)!;
    const backendLists = new Map([...lists].map(([kind, byBackend]) => [kind, byBackend.get(backend)!]));
    results.set(backend, {
      pods: backendLists.get('cluster')!.apiserver.items,
      storedPodBytes: created.storedPod.length,
      creates: created.comparison,
      gets: gets.get(backend)!,
      lists: backendLists,
      fanout: fanout.get(backend)!,
      spans: spans.get(backend)!,
    });
  }
  return results;
}

function serverCpuMs(apiserverPid: number, storePid: number): { apiserver: number; store: number } | undefined {
  const apiserver = processCpuMs(apiserverPid);
  const store = processCpuMs(storePid);
  return apiserver !== undefined && store !== undefined ? { apiserver, store } : undefined;
}

function describeComparison<T>(comparison: Comparison<T>, describe: (result: T) => string): string {
  return `apiserver ${describe(comparison.apiserver)}; direct ${describe(comparison.direct)}`;
}

function describeLoad(result: ClosedLoopResult): string {
  const limit = result.timedOut ? ' (time limit)' : '';
  const failures = result.failed > 0 ? `, ${result.failed} failed: ${result.firstError}` : '';
  return `${result.completed} in ${result.elapsedMs.toFixed(0)} ms, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms${limit}${failures}`;
}

function describeFanout(result: FanoutResult): string {
  const missed = result.missed > 0 ? `, ${result.missed} deliveries missed` : '';
  return `${result.events} writes to all ${result.watchers}: p50 ${result.toAll.p50Ms.toFixed(1)} ms, p99 ${result.toAll.p99Ms.toFixed(1)} ms${result.timedOut ? ' (time limit)' : ''}${missed}`;
}
