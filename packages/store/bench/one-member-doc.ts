// The one-member subsection of the store section of docs/benchmarks.md, generated whole by every
// full one-member run: the structure stays, the numbers change. The method text is written
// next to the code it describes.
import type { TargetResults } from './phases.ts';
import { MAX_CHANNELS, PUT_CLIENTS, RANGE_CLIENTS, WATCH_WRITERS } from './phases.ts';
import { anomalies, generatorTable, resultsTable, targetsTable, type Results } from './comparison.ts';
import type { Machine } from './machine.ts';
import type { PhaseSizes } from './sizes.ts';
import { markdownTable } from './tables.ts';

export interface BenchRun {
  date: Date;
  machine: Machine;
  /** The 1-minute load average before the stores started: other work on the machine. */
  loadAverage: number;
  sizes: PhaseSizes;
  results: Results;
  etcd: TargetResults;
  k8ts: TargetResults;
}

export function oneMemberSection(run: BenchRun): string {
  const { machine, sizes } = run;
  const notes = anomalies(run.results);
  return `## One member

Each store runs as a single member.

### Last run

- Date: ${run.date.toISOString().slice(0, 16).replace('T', ' ')} UTC
- Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.platform}
- Node.js ${machine.nodeVersion} (load generator and k8ts), etcd ${machine.etcdVersion}
- Load average (1 min) before the run: ${run.loadAverage.toFixed(2)} (other work sharing the CPUs)

### Targets

From the issue: at 64 concurrent clients, k8ts reaches at least 0.5× etcd's put throughput,
and its put p99 latency is at most 3× etcd's. This is one run on a machine that may be
shared: a ratio near its threshold can land on the other side in the next run.

${markdownTable(targetsTable(run.etcd, run.k8ts))}

### Results

k8ts/etcd is the ratio of the two values in every row: for throughput (per second) higher
is better, for latency (ms) lower is better.

${markdownTable(resultsTable(run.results))}

Anomalies (failed requests, phases cut short by their time limit): ${notes.length === 0 ? 'none.' : `\n\n${notes.map((note) => `- ${note}`).join('\n')}`}

### Method

- **Stores.** Both targets are started by the test harness (packages/store/test/harness.ts)
  and run for the whole bench: one member each, the same etcd-style flags, a fresh data
  directory under the system temp directory, listening on 127.0.0.1 only, defaults otherwise
  (both fsync their WAL before acknowledging a write). The phases run target by target,
  alternating which goes first, so background load on the machine weighs on both alike.
- **Load generator.** One Node.js process runs a closed loop: *N concurrent clients* means
  N requests in flight, each client sending its next request when the previous one answers.
  The clients share min(N, ${MAX_CHANNELS}) gRPC channels, each its own HTTP/2 connection (as separate client
  processes would have), and call the etcd v3 RPCs with the same method definitions as
  packages/store/src/client. Latency is measured per request, from send to response; p50 and
  p99 are nearest-rank percentiles over every measured request.
- **Warm-up.** Before each measured phase, ${sizes.warmupOperations} operations of the same kind
  and concurrency run on other keys and are not counted.
- **Puts** at ${PUT_CLIENTS.join(', ')} clients: ${PUT_CLIENTS.map((n) => sizes.putOperations[n]).join(', ')} puts
  respectively, each to a distinct key under a per-phase prefix, with 256-byte values.
- **Ranges** at ${RANGE_CLIENTS} clients: ${sizes.rangeKeys} keys are written first, then ${sizes.rangeOperations}
  linearizable (not serializable) single-key gets cycle over them; each get must return its key.
- **Watch.** One watcher, on its own connection, watches a prefix; ${WATCH_WRITERS} writers over ${Math.min(WATCH_WRITERS, MAX_CHANNELS)}
  connections put ${sizes.watchEvents} keys under it. Events/s is the number of events the watcher
  received divided by the time from the first put sent to the last event received.
- **Bounds.** Every phase stops starting requests after ${sizes.timeLimitMs / 1000} s; a phase cut short is
  listed under Anomalies, and its rates are over what completed.
- **Caveat: shared cores.** The load generator and the stores share the machine's ${machine.cpus} CPUs.
  A generator near 100% of one core limits what can be measured, for both targets alike;
  etcd (Go) runs on all cores, k8ts mostly on one Node.js thread. The generator's CPU per
  phase (percent of one core):

${markdownTable(generatorTable(run.results))}
`;
}
