// The measurements as tables: per backend the apiserver, its anchor (the same store operations
// sent directly) and their ratio; the targets as verdicts; the load generator's CPU;
// and anomalies in words.
import type { ClosedLoopResult } from '../../store/bench/closed-loop.ts';
import type { Table } from '../../store/bench/tables.ts';
import type { Backend } from '../../../test/support/control-plane.ts';
import { CREATE_CLIENTS } from './create-phase.ts';
import type { FanoutResult } from './fanout-phase.ts';
import type { BackendResults, Comparison } from './phases.ts';
import { GET_CLIENTS, LIST_SPECS, type ListResult } from './read-phase.ts';

export type Results = ReadonlyMap<Backend, BackendResults>;

interface Metric {
  label: string;
  better: 'higher' | 'lower';
  format: (value: number) => string;
  /** The apiserver's value and its anchor's, on one backend. */
  read: (results: BackendResults) => Comparison<number>;
}

interface TargetRule {
  label: string;
  required: string;
  value: (results: BackendResults) => number;
  format: (value: number) => string;
  holds: (value: number) => boolean;
}

const perSecond = (value: number) => Math.round(value).toString();
const milliseconds = (value: number) => value.toFixed(1);
/** apiserver/direct; "—" when the anchor measured 0 (a delivery that beat its acknowledgment). */
const ratio = (apiserver: number, direct: number) => (direct > 0 && Number.isFinite(apiserver) ? `${(apiserver / direct).toFixed(2)}×` : '—');

function both<T>(comparison: Comparison<T>, read: (result: T) => number): Comparison<number> {
  return { apiserver: read(comparison.apiserver), direct: read(comparison.direct) };
}

function loadMetrics(label: string, unit: string, phase: (results: BackendResults) => Comparison<ClosedLoopResult>): Metric[] {
  return [
    { label: `${label}: ${unit}/s`, better: 'higher', format: perSecond, read: (r) => both(phase(r), (l) => l.perSecond) },
    { label: `${label}: p50 ms`, better: 'lower', format: milliseconds, read: (r) => both(phase(r), (l) => l.p50Ms) },
    { label: `${label}: p99 ms`, better: 'lower', format: milliseconds, read: (r) => both(phase(r), (l) => l.p99Ms) },
  ];
}

function listMetrics(): Metric[] {
  return LIST_SPECS.flatMap((spec) => {
    const timing = (r: BackendResults): Comparison<ListResult> => r.lists.get(spec.kind)!;
    return [
      { label: `${spec.label}: p50 ms`, better: 'lower', format: milliseconds, read: (r) => both(timing(r), (l) => l.timing.p50Ms) },
      { label: `${spec.label}: p99 ms`, better: 'lower', format: milliseconds, read: (r) => both(timing(r), (l) => l.timing.p99Ms) },
    ] satisfies Metric[];
  });
}

function fanoutMetrics(): Metric[] {
  const fanout = (r: BackendResults): Comparison<FanoutResult> => r.fanout;
  return [
    { label: 'watch fan-out, acknowledged → all watchers: p50 ms', better: 'lower', format: milliseconds, read: (r) => both(fanout(r), (f) => f.toAll.p50Ms) },
    { label: 'watch fan-out, acknowledged → all watchers: p99 ms', better: 'lower', format: milliseconds, read: (r) => both(fanout(r), (f) => f.toAll.p99Ms) },
    { label: 'watch fan-out, sent → all watchers: p50 ms', better: 'lower', format: milliseconds, read: (r) => both(fanout(r), (f) => f.toAllFromSent.p50Ms) },
    { label: 'watch fan-out, sent → all watchers: p99 ms', better: 'lower', format: milliseconds, read: (r) => both(fanout(r), (f) => f.toAllFromSent.p99Ms) },
    { label: 'watch fan-out, acknowledged → each watcher: p99 ms', better: 'lower', format: milliseconds, read: (r) => both(fanout(r), (f) => f.toEach.p99Ms) },
  ];
}

const METRICS: Metric[] = [
  ...loadMetrics(`create pods, ${CREATE_CLIENTS} clients`, 'creates', (r) => r.creates),
  ...loadMetrics(`get a pod, ${GET_CLIENTS} clients`, 'gets', (r) => r.gets),
  ...listMetrics(),
  ...fanoutMetrics(),
];

/** The targets, absolute numbers for the apiserver on each backend. */
const TARGETS: TargetRule[] = [
  {
    label: `pod creates/s, ${CREATE_CLIENTS} clients`,
    required: '≥ 1000',
    value: (r) => r.creates.apiserver.perSecond,
    format: perSecond,
    holds: (v) => v >= 1000,
  },
  {
    label: `pod create p99 ms, ${CREATE_CLIENTS} clients`,
    required: '< 200',
    value: (r) => r.creates.apiserver.p99Ms,
    format: milliseconds,
    holds: (v) => v < 200,
  },
  ...LIST_SPECS.filter((spec) => spec.everyPod).map(
    (spec): TargetRule => ({
      label: `${spec.label}: p99 ms`,
      required: '< 1000',
      value: (r) => r.lists.get(spec.kind)!.apiserver.timing.p99Ms,
      format: milliseconds,
      holds: (v) => v < 1000,
    }),
  ),
  {
    label: 'watch fan-out, acknowledged → all watchers: p99 ms',
    required: '< 100',
    value: (r) => r.fanout.apiserver.toAll.p99Ms,
    format: milliseconds,
    holds: (v) => v < 100,
  },
  {
    // Stricter: the apiserver may fan an event out before it answers the write, which the
    // acknowledgment-based measure cannot see.
    label: 'watch fan-out, sent → all watchers: p99 ms',
    required: '< 100',
    value: (r) => r.fanout.apiserver.toAllFromSent.p99Ms,
    format: milliseconds,
    holds: (v) => v < 100,
  },
];

/** One row per metric: per backend the apiserver, the direct anchor, and apiserver/direct. */
export function resultsTable(results: Results): Table {
  const backends = [...results.keys()];
  return {
    headers: [
      'Measurement',
      ...backends.flatMap((b) => [`apiserver on ${b}`, `${b} direct`, 'apiserver/direct']),
      'Better',
    ],
    rows: METRICS.map((metric) => [
      metric.label,
      ...backends.flatMap((backend) => {
        const { apiserver, direct } = metric.read(results.get(backend)!);
        return [metric.format(apiserver), metric.format(direct), ratio(apiserver, direct)];
      }),
      metric.better,
    ]),
  };
}

export function targetsTable(results: Results): Table {
  const backends = [...results.keys()];
  return {
    headers: ['Target', 'Required', ...backends.flatMap((b) => [`on ${b}`, 'Result'])],
    rows: TARGETS.map((target) => [
      target.label,
      target.required,
      ...backends.flatMap((backend) => {
        const value = target.value(results.get(backend)!);
        return [target.format(value), target.holds(value) ? 'PASS' : 'MISS'];
      }),
    ]),
  };
}

/**
 * CPU the servers spent per request the apiserver served, by phase (warm-up included), from
 * /proc: on a 2-core machine this says which process a phase is bound by.
 */
export function serverCpuTable(results: Results): Table {
  const backends = [...results.keys()];
  const phases = results.get(backends[0]!)!.spans.map((span) => span.phase);
  return {
    headers: ['Phase', ...backends.flatMap((b) => [`apiserver on ${b}: ms/request`, 'apiserver: % of a core', `${b}: ms/request`])],
    rows: phases.map((phase) => [
      phase,
      ...backends.flatMap((backend) => {
        const span = results.get(backend)!.spans.find((candidate) => candidate.phase === phase)!;
        if (!span.cpuMs) return ['—', '—', '—'];
        const wallMs = (span.window.endUs - span.window.startUs) / 1000;
        return [
          (span.cpuMs.apiserver / span.requests).toFixed(2),
          `${((span.cpuMs.apiserver / wallMs) * 100).toFixed(0)}%`,
          (span.cpuMs.store / span.requests).toFixed(2),
        ];
      }),
    ]),
  };
}

/** The load generator's CPU per phase (percent of one core): near 100% means it set the pace. */
export function generatorTable(results: Results): Table {
  const backends = [...results.keys()];
  const phases: { label: string; read: (r: BackendResults) => Comparison<number> }[] = [
    { label: 'create pods', read: (r) => both(r.creates, (l) => l.generatorCpuPercent) },
    { label: 'get a pod', read: (r) => both(r.gets, (l) => l.generatorCpuPercent) },
    ...LIST_SPECS.map((spec) => ({ label: spec.label, read: (r: BackendResults) => both(r.lists.get(spec.kind)!, (l) => l.timing.generatorCpuPercent) })),
    { label: 'watch fan-out', read: (r) => both(r.fanout, (f) => f.generatorCpuPercent) },
  ];
  const percent = (value: number) => `${value.toFixed(0)}%`;
  return {
    headers: ['Phase', ...backends.flatMap((b) => [`apiserver on ${b}`, `${b} direct`])],
    rows: phases.map((phase) => [
      phase.label,
      ...backends.flatMap((backend) => {
        const { apiserver, direct } = phase.read(results.get(backend)!);
        return [percent(apiserver), percent(direct)];
      }),
    ]),
  };
}

/** Failed requests, phases cut short, lost watch events and short lists, as sentences. */
export function anomalies(results: Results, expectedPods: number): string[] {
  const notes: string[] = [];
  for (const [backend, result] of results) {
    const loads: [string, ClosedLoopResult][] = [
      ['create pods', result.creates.apiserver],
      ['create pods (direct)', result.creates.direct],
      ['get a pod', result.gets.apiserver],
      ['get a pod (direct)', result.gets.direct],
      ...LIST_SPECS.flatMap((spec): [string, ClosedLoopResult][] => [
        [spec.label, result.lists.get(spec.kind)!.apiserver.timing],
        [`${spec.label} (direct)`, result.lists.get(spec.kind)!.direct.timing],
      ]),
    ];
    for (const [label, load] of loads) {
      if (load.failed > 0) notes.push(`${backend}, ${label}: ${load.failed} requests failed (first: ${load.firstError}).`);
      if (load.timedOut) notes.push(`${backend}, ${label}: hit the time limit after ${load.completed} requests.`);
    }
    for (const spec of LIST_SPECS.filter((s) => s.everyPod)) {
      const items = result.lists.get(spec.kind)!.apiserver.items;
      if (items !== expectedPods) notes.push(`${backend}, ${spec.label}: returned ${items} pods, not ${expectedPods}.`);
    }
    for (const [label, fanout] of [['watch fan-out', result.fanout.apiserver], ['watch fan-out (direct)', result.fanout.direct]] as const) {
      if (fanout.missed > 0) notes.push(`${backend}, ${label}: ${fanout.missed} deliveries did not arrive.`);
      if (fanout.timedOut) notes.push(`${backend}, ${label}: hit the time limit after ${fanout.events} writes.`);
    }
  }
  return notes;
}
