// The 3-member measurements as rows (etcd, k8ts, k8ts/etcd) and the targets for
// clusters as verdicts.
import type { Target } from '../test/harness.ts';
import type { ClosedLoopResult } from './closed-loop.ts';
import { CLUSTER_PUT_CLIENTS, type ClusterResults } from './cluster-phases.ts';
import { RANGE_CLIENTS } from './phases.ts';
import type { Table } from './tables.ts';

export type ClusterRunResults = ReadonlyMap<Target, ClusterResults>;

interface Metric {
  label: string;
  better: 'higher' | 'lower';
  format: (value: number) => string;
  read: (results: ClusterResults) => number;
}

interface LoadPhase {
  label: string;
  unit: string;
  run: (results: ClusterResults) => ClosedLoopResult;
}

const perSecond = (value: number) => Math.round(value).toString();
const milliseconds = (value: number) => value.toFixed(2);
const wholeMilliseconds = (value: number) => value.toFixed(0);
const times = (value: number) => `${value.toFixed(2)}×`;

const LOAD_PHASES: LoadPhase[] = [
  ...CLUSTER_PUT_CLIENTS.map((count) => ({ label: `put, ${count} clients`, unit: 'puts', run: (r: ClusterResults) => r.puts.get(count)! })),
  { label: `linearizable range, ${RANGE_CLIENTS} clients`, unit: 'ranges', run: (r) => r.linearizableRanges },
  { label: `serializable range, ${RANGE_CLIENTS} clients`, unit: 'ranges', run: (r) => r.serializableRanges },
];

const FAILOVER_P99: Metric = { label: 'failover, leader kill → first write: p99 ms', better: 'lower', format: wholeMilliseconds, read: (r) => r.failover.p99Ms };
const PUTS_AT_64: Metric = { label: 'put, 64 clients: puts/s', better: 'higher', format: perSecond, read: (r) => r.puts.get(64)!.perSecond };

const METRICS: Metric[] = [
  ...LOAD_PHASES.flatMap((phase): Metric[] => [
    { label: `${phase.label}: ${phase.unit}/s`, better: 'higher', format: perSecond, read: (r) => phase.run(r).perSecond },
    { label: `${phase.label}: p50 ms`, better: 'lower', format: milliseconds, read: (r) => phase.run(r).p50Ms },
    { label: `${phase.label}: p99 ms`, better: 'lower', format: milliseconds, read: (r) => phase.run(r).p99Ms },
  ]),
  ...CLUSTER_PUT_CLIENTS.map((count): Metric => ({
    label: `put, ${count} clients: CPU ms per put, all members`,
    better: 'lower',
    format: milliseconds,
    read: (r) => r.puts.get(count)!.storeCpuMsPerPut,
  })),
  { label: 'failover, leader kill → first write: p50 ms', better: 'lower', format: wholeMilliseconds, read: (r) => r.failover.p50Ms },
  FAILOVER_P99,
];

/** Failover p99 at the default timeouts (heartbeat 100 ms, election 1000 ms), an absolute bound. */
export const FAILOVER_P99_LIMIT_MS = 3_000;

export function clusterResultsTable(results: ClusterRunResults): Table {
  const etcd = results.get('etcd');
  const k8ts = results.get('k8ts');
  return {
    headers: ['Measurement', 'etcd', 'k8ts', 'k8ts/etcd', 'Better'],
    rows: METRICS.map((m) => [
      m.label,
      etcd ? m.format(m.read(etcd)) : '—',
      k8ts ? m.format(m.read(k8ts)) : '—',
      etcd && k8ts ? times(m.read(k8ts) / m.read(etcd)) : '—',
      m.better,
    ]),
  };
}

/** The cluster targets: a throughput ratio against etcd, and an absolute failover bound. */
export function clusterTargetsTable(etcd: ClusterResults, k8ts: ClusterResults): Table {
  const putRatio = PUTS_AT_64.read(k8ts) / PUTS_AT_64.read(etcd);
  const failoverP99 = FAILOVER_P99.read(k8ts);
  const failoverHolds = failoverP99 <= FAILOVER_P99_LIMIT_MS && k8ts.failover.unrecovered === 0 && k8ts.failover.stoppedBy === undefined;
  return {
    headers: ['Target', 'etcd', 'k8ts', 'k8ts/etcd', 'Required', 'Result'],
    rows: [
      ['put throughput, 64 clients', PUTS_AT_64.format(PUTS_AT_64.read(etcd)), PUTS_AT_64.format(PUTS_AT_64.read(k8ts)), times(putRatio), '≥ 0.50×', putRatio >= 0.5 ? 'PASS' : 'MISS'],
      [
        'failover p99 ms (kill → first write)',
        FAILOVER_P99.format(FAILOVER_P99.read(etcd)),
        FAILOVER_P99.format(failoverP99),
        times(failoverP99 / FAILOVER_P99.read(etcd)),
        `k8ts ≤ ${FAILOVER_P99_LIMIT_MS}`,
        failoverHolds ? 'PASS' : 'MISS',
      ],
    ],
  };
}

/** CPU the load generator used per load phase: near 100% means it, not the store, set the pace. */
export function clusterGeneratorTable(results: ClusterRunResults): Table {
  const targets = [...results.keys()];
  return {
    headers: ['Phase', ...targets.map((target) => `load generator CPU, ${target}`)],
    rows: LOAD_PHASES.map((phase) => [phase.label, ...targets.map((target) => `${phase.run(results.get(target)!).generatorCpuPercent.toFixed(0)}%`)]),
  };
}

/** Every failover, kill by kill, side by side ("none": no write in time, "never": did not rejoin). */
export function failoverTable(results: ClusterRunResults): Table {
  const targets = [...results.keys()];
  const kills = Math.max(...targets.map((target) => results.get(target)!.failover.failovers.length));
  return {
    headers: ['Kill', ...targets.flatMap((target) => [`${target}: leader killed`, `${target}: first write ms`, `${target}: rejoined ms`])],
    rows: Array.from({ length: kills }, (_, kill) => [
      String(kill + 1),
      ...targets.flatMap((target) => {
        const failover = results.get(target)!.failover.failovers[kill];
        if (!failover) return ['—', '—', '—'];
        const orNot = (ms: number | undefined, none: string) => (ms === undefined ? none : wholeMilliseconds(ms));
        return [failover.killed, orNot(failover.firstWriteMs, 'none'), orNot(failover.rejoinedMs, 'never')];
      }),
    ]),
  };
}

/** Failed requests, phases cut short and failovers without a write, as sentences; empty when none. */
export function clusterAnomalies(results: ClusterRunResults): string[] {
  const notes: string[] = [];
  for (const [target, result] of results) {
    for (const phase of LOAD_PHASES) {
      const run = phase.run(result);
      if (run.failed > 0) notes.push(`${target}, ${phase.label}: ${run.failed} requests failed (first: ${run.firstError}).`);
      if (run.timedOut) notes.push(`${target}, ${phase.label}: hit the time limit after ${run.completed} requests.`);
    }
    if (result.failover.unrecovered > 0) {
      notes.push(`${target}, failover: ${result.failover.unrecovered} of ${result.failover.failovers.length} kills were not followed by an acknowledged write in time.`);
    }
    if (result.failover.stoppedBy !== undefined) {
      notes.push(`${target}, failover: stopped after ${result.failover.failovers.length} kills, the cluster did not come back whole (${result.failover.stoppedBy}).`);
    }
  }
  return notes;
}
