// The measurements as rows (etcd, k8ts, k8ts/etcd) and the targets as verdicts.
import type { Target } from '../test/harness.ts';
import type { ClosedLoopResult } from './closed-loop.ts';
import { PUT_CLIENTS, RANGE_CLIENTS, WATCH_WRITERS, type TargetResults } from './phases.ts';
import type { Table } from './tables.ts';

export type Results = ReadonlyMap<Target, TargetResults>;

/** A phase driven by the closed loop, and where its result is kept. */
interface LoadPhase {
  label: string;
  unit: string;
  run: (results: TargetResults) => ClosedLoopResult;
}

interface Metric {
  label: string;
  better: 'higher' | 'lower';
  format: (value: number) => string;
  read: (results: TargetResults) => number;
}

interface TargetRule {
  label: string;
  metric: Metric;
  required: string;
  holds: (ratio: number) => boolean;
}

const clients = (count: number) => `${count} client${count === 1 ? '' : 's'}`;
const perSecond = (value: number) => Math.round(value).toString();
const milliseconds = (value: number) => value.toFixed(2);
const times = (value: number) => `${value.toFixed(2)}×`;

const PUT_PHASES: LoadPhase[] = PUT_CLIENTS.map((count) => ({
  label: `put, ${clients(count)}`,
  unit: 'puts',
  run: (results) => results.puts.get(count)!,
}));
const RANGE_PHASE: LoadPhase = { label: `range, ${clients(RANGE_CLIENTS)}`, unit: 'ranges', run: (results) => results.ranges };
/** The watch phase's load is its writers' puts. */
const WATCH_WRITES: LoadPhase = { label: `watch, ${WATCH_WRITERS} writers`, unit: 'puts', run: (results) => results.watch.writes };

function loadMetrics(phase: LoadPhase): Metric[] {
  return [
    { label: `${phase.label}: ${phase.unit}/s`, better: 'higher', format: perSecond, read: (r) => phase.run(r).perSecond },
    { label: `${phase.label}: p50 ms`, better: 'lower', format: milliseconds, read: (r) => phase.run(r).p50Ms },
    { label: `${phase.label}: p99 ms`, better: 'lower', format: milliseconds, read: (r) => phase.run(r).p99Ms },
  ];
}

const METRICS: Metric[] = [
  ...[...PUT_PHASES, RANGE_PHASE].flatMap(loadMetrics),
  { label: `${WATCH_WRITES.label}: events/s`, better: 'higher', format: perSecond, read: (r) => r.watch.perSecond },
];

function metric(label: string): Metric {
  const found = METRICS.find((candidate) => candidate.label === label);
  if (!found) throw new Error(`no metric ${label}`);
  return found;
}

/** The targets, as ratios k8ts/etcd at 64 clients. */
const TARGETS: TargetRule[] = [
  {
    label: 'put throughput, 64 clients',
    metric: metric('put, 64 clients: puts/s'),
    required: '≥ 0.50×',
    holds: (ratio) => ratio >= 0.5,
  },
  {
    label: 'put p99 latency, 64 clients',
    metric: metric('put, 64 clients: p99 ms'),
    required: '≤ 3.00×',
    holds: (ratio) => ratio <= 3,
  },
];

/** One row per metric; a target that was not measured shows "—", and so does the ratio. */
export function resultsTable(results: Results): Table {
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

export function targetsTable(etcd: TargetResults, k8ts: TargetResults): Table {
  return {
    headers: ['Target', 'etcd', 'k8ts', 'k8ts/etcd', 'Required', 'Result'],
    rows: TARGETS.map((target) => {
      const ratio = target.metric.read(k8ts) / target.metric.read(etcd);
      return [
        target.label,
        target.metric.format(target.metric.read(etcd)),
        target.metric.format(target.metric.read(k8ts)),
        times(ratio),
        target.required,
        target.holds(ratio) ? 'PASS' : 'MISS',
      ];
    }),
  };
}

/** CPU the load generator used per phase: near 100% means it, not the store, set the pace. */
export function generatorTable(results: Results): Table {
  const targets = [...results.keys()];
  return {
    headers: ['Phase', ...targets.map((target) => `load generator CPU, ${target}`)],
    rows: [...PUT_PHASES, RANGE_PHASE, WATCH_WRITES].map((phase) => [
      phase.label,
      ...targets.map((target) => `${phase.run(results.get(target)!).generatorCpuPercent.toFixed(0)}%`),
    ]),
  };
}

/** Phases that failed requests or hit their time limit, as sentences; empty when none did. */
export function anomalies(results: Results): string[] {
  const notes: string[] = [];
  for (const [target, result] of results) {
    for (const phase of [...PUT_PHASES, RANGE_PHASE, WATCH_WRITES]) {
      const run = phase.run(result);
      if (run.failed > 0) notes.push(`${target}, ${phase.label}: ${run.failed} requests failed (first: ${run.firstError}).`);
      if (run.timedOut) notes.push(`${target}, ${phase.label}: hit the time limit after ${run.completed} requests.`);
    }
    if (result.watch.timedOut) {
      notes.push(`${target}, watch: the watcher received only ${result.watch.events} events before the time limit.`);
    }
  }
  return notes;
}
