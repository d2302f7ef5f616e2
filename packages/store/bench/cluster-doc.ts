// The three-member subsection of the store section of docs/benchmarks.md, generated whole by
// every full 3-member run. The method text is written next to the code it describes.
import { clusterAnomalies, clusterGeneratorTable, clusterResultsTable, clusterTargetsTable, FAILOVER_P99_LIMIT_MS, failoverTable, type ClusterRunResults } from './cluster-comparison.ts';
import { CLUSTER_PUT_CLIENTS, type ClusterResults } from './cluster-phases.ts';
import { GIVE_UP_MS, PROBE_INTERVAL_MS } from './failover.ts';
import type { Machine } from './machine.ts';
import { MAX_CHANNELS, RANGE_CLIENTS } from './phases.ts';
import type { PhaseSizes } from './sizes.ts';
import { markdownTable } from './tables.ts';

export interface ClusterBenchRun {
  date: Date;
  machine: Machine;
  /** The 1-minute load average before the stores started, and after the last phase. */
  loadAverage: { before: number; after: number };
  members: number;
  /** The timing flags every member ran with. */
  timingFlags: readonly string[];
  sizes: PhaseSizes;
  results: ClusterRunResults;
  etcd: ClusterResults;
  k8ts: ClusterResults;
}

export function clusterSection(run: ClusterBenchRun): string {
  const { machine, sizes, members } = run;
  const notes = clusterAnomalies(run.results);
  return `## Three members

Each store runs as a ${members}-member cluster, each member its own OS process.

### Last run

- Date: ${run.date.toISOString().slice(0, 16).replace('T', ' ')} UTC
- Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.platform}
- Node.js ${machine.nodeVersion} (load generator and k8ts), etcd ${machine.etcdVersion}
- Load average (1 min): ${run.loadAverage.before.toFixed(2)} before the run, ${run.loadAverage.after.toFixed(2)} after it (other work sharing the CPUs)
- Every member: \`${run.timingFlags.join(' ')}\` (etcd's defaults)

### Targets

From the issue: at 64 concurrent clients, a k8ts cluster reaches at least 0.5× an etcd
cluster's put throughput, and k8ts' failover time (leader kill → first acknowledged write) has a
p99 of at most ${FAILOVER_P99_LIMIT_MS / 1000} s at the default timeouts (etcd's is shown beside it). One run on a
machine that may be shared: a value near its threshold can land on the other side next time.

${markdownTable(clusterTargetsTable(run.etcd, run.k8ts))}

### Results

k8ts/etcd is the ratio of the two values in every row: for throughput (per second) higher
is better, for latency and failover time (ms) lower is better.

${markdownTable(clusterResultsTable(run.results))}

Anomalies (failed requests, phases cut short by their time limit, failovers without a write): ${notes.length === 0 ? 'none.' : `\n\n${notes.map((note) => `- ${note}`).join('\n')}`}

Every failover, in the order run (the two clusters took turns, kill by kill):

${markdownTable(failoverTable(run.results))}

### Method

- **Clusters.** Both are started by the test harness (packages/store/test/cluster-harness.ts)
  and run for the whole bench: ${members} members each, members n1…n${members}, each a separate process with
  its own data directory under the system temp directory, listening on 127.0.0.1 only, with the
  same etcd-style flags (both fsync their WAL before acknowledging a write). Phases run cluster
  by cluster, alternating which goes first.
- **Load generator** as with one member: one Node.js process, a closed loop of N requests in
  flight over min(N, ${MAX_CHANNELS}) gRPC channels, each its own HTTP/2 connection. The channels go to the
  members in turn (n1, n2, n3, n1, …), as clients of a cluster spread over its members: a
  follower passes puts and linearizable reads on to the leader.
- **Puts** at ${CLUSTER_PUT_CLIENTS.join(', ')} clients: ${CLUSTER_PUT_CLIENTS.map((n) => sizes.putOperations[n]).join(', ')} puts respectively
  (after ${sizes.warmupOperations} warm-up puts each), distinct keys, 256-byte values. *CPU ms per put, all
  members* is the CPU time (user + system, every thread, from /proc/<pid>/stat) the cluster's
  processes used during the phase, warm-up included, divided by the puts made.
- **Ranges** at ${RANGE_CLIENTS} clients: ${sizes.rangeKeys} keys are written, then ${sizes.rangeOperations} single-key gets cycle over
  them, once linearizable (the default: the member confirms with the leader — ReadIndex — that
  it has every committed write) and once serializable (the member answers from its own state).
- **Failover**, ${sizes.failoverKills} kills per cluster: with the cluster whole and idle, the leader is
  killed with SIGKILL; from that moment a client connected to both survivors sends a put every
  ${PROBE_INTERVAL_MS} ms, to each survivor in turn, without waiting for earlier puts (a member without a
  leader may fail a put at once or hold it until there is one). The failover time is from the
  kill to the first acknowledgement, so it includes noticing the leader's loss (an election
  timeout), the election, and the commit of the put. A kill not followed by a write within
  ${GIVE_UP_MS / 1000} s counts as not recovered. Then the killed member is restarted on its data directory,
  and the next kill waits until all members answer, name one leader and have applied the
  leader's last entry ("rejoined" in the table: kill → that moment). p50 and p99 are
  nearest-rank over the ${sizes.failoverKills} kills (with 20 kills, p99 is the slowest).
- **Caveat: shared cores.** ${members * 2} store processes and the load generator share ${machine.cpus} CPUs; the idle
  cluster's heartbeats run during the other's phases. When other work keeps the CPUs busy (a
  load average above the CPU count), puts/s measures the share of CPU each store gets as much
  as the store itself, and etcd's Go runtime spreads over several threads where a k8ts member
  does its work on one: CPU per put is then the steadier comparison. The generator's CPU per
  phase:

${markdownTable(clusterGeneratorTable(run.results))}
`;
}
