// The bench's results as tables (the console and docs/benchmarks.md show the same ones) and
// the targets judged PASS or MISS.
import type { Table } from '../../store/bench/tables.ts';
import type { PodStep } from './measure.ts';
import type { NodeSource } from './bench-cluster.ts';
import type { DensityRun, SchedulerBenchResults, ThroughputRun } from './run.ts';

export interface Target {
  label: string;
  required: string;
  measured: string;
  result: 'PASS' | 'MISS' | 'not run';
}

/** The targets: pods scheduled per second at 1,000 and 5,000 nodes, pod startup p99. */
export const THROUGHPUT_TARGETS: readonly { nodes: number; podsPerSecond: number }[] = [
  { nodes: 1_000, podsPerSecond: 300 },
  { nodes: 5_000, podsPerSecond: 150 },
];
export const STARTUP_P99_TARGET_MS = 5_000;

const rate = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '-');
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '-');
const seconds = (n: number) => (Number.isFinite(n) ? `${(n / 1000).toFixed(1)} s` : '-');
const count = (n: number) => n.toLocaleString('en-US');

const NODE_SOURCE_NAMES: Record<NodeSource, string> = { hollow: 'hollow nodes', objects: 'Node objects' };

/** "1,000 hollow nodes", "5,000 Node objects": which cluster a throughput run had. */
export function nodesLabel(nodeSource: NodeSource, nodes: number): string {
  return `${count(nodes)} ${NODE_SOURCE_NAMES[nodeSource]}`;
}

/**
 * The throughput targets on hollow nodes (the benchmark), then the same rates asked of
 * the scheduler alone on Node objects (scheduler_perf's setup, which the targets come from).
 */
export function targets(results: SchedulerBenchResults): Target[] {
  const sources: NodeSource[] = ['hollow', 'objects'];
  const ran = sources.filter((source) => source === 'hollow' || results.throughput.some((r) => r.nodeSource === source));
  const rows: Target[] = ran.flatMap((nodeSource) => THROUGHPUT_TARGETS.map(({ nodes, podsPerSecond }) => {
    const run = results.throughput.find((r) => r.nodes.asked === nodes && r.nodeSource === nodeSource);
    const label = `pods scheduled per second, ${nodesLabel(nodeSource, nodes)}`;
    if (!run) return { label, required: `≥ ${podsPerSecond}`, measured: '-', result: 'not run' };
    const measured = run.scheduled.summary.boundPerSecond;
    const short = run.nodes.ready < nodes ? ` (${count(run.nodes.ready)} nodes schedulable)` : '';
    return { label, required: `≥ ${podsPerSecond}`, measured: `${rate(measured)}${short}`, result: measured >= podsPerSecond && short === '' ? 'PASS' : 'MISS' };
  }));
  const density = results.density;
  const label = 'pod startup p99, created → Running (watch)';
  if (!density) rows.push({ label, required: `< ${seconds(STARTUP_P99_TARGET_MS)}`, measured: '-', result: 'not run' });
  else {
    const p99 = density.pods.summary.toRunning.p99Ms;
    const complete = !density.pods.cutShort && density.pods.summary.running === density.pods.summary.created;
    rows.push({ label, required: `< ${seconds(STARTUP_P99_TARGET_MS)}`, measured: seconds(p99), result: complete && p99 < STARTUP_P99_TARGET_MS ? 'PASS' : 'MISS' });
  }
  return rows;
}

export function targetsTable(results: SchedulerBenchResults): Table {
  return { headers: ['Target', 'Required', 'Measured', 'Result'], rows: targets(results).map((t) => [t.label, t.required, t.measured, t.result]) };
}

function attemptsCell(run: ThroughputRun): string {
  if (!run.attempts) return '-';
  return ['scheduled', 'unschedulable', 'error'].map((result) => count(run.attempts!.get(result) ?? 0)).join(' / ');
}

export function throughputTable(results: SchedulerBenchResults): Table {
  return {
    headers: [
      'Nodes',
      'Nodes up in',
      'Anchor: creates/s',
      'Scheduled pods/s',
      'Scheduled/anchor',
      'Creates/s while scheduling',
      'Create → bound p50 ms',
      'p99 ms',
      'Attempts: scheduled / unschedulable / error',
    ],
    rows: results.throughput.map((run) => {
      const { summary } = run.scheduled;
      const anchorRate = run.anchor.summary.createdPerSecond;
      return [
        run.nodes.ready === run.nodes.asked ? nodesLabel(run.nodeSource, run.nodes.asked) : `${count(run.nodes.ready)} of ${nodesLabel(run.nodeSource, run.nodes.asked)}`,
        seconds(run.nodes.ms),
        rate(anchorRate),
        rate(summary.boundPerSecond),
        anchorRate > 0 ? `${(summary.boundPerSecond / anchorRate).toFixed(2)}×` : '-',
        rate(summary.createdPerSecond),
        ms(summary.toBound.p50Ms),
        ms(summary.toBound.p99Ms),
        attemptsCell(run),
      ];
    }),
  };
}

export function densityTable(density: DensityRun): Table {
  const { summary } = density.pods;
  return {
    headers: ['Nodes', 'Pods', 'Asked creates/s', 'Creates/s', 'Create → bound p50 ms', 'p99 ms', 'Create → Running p50 ms', 'p99 ms'],
    rows: [
      [
        density.nodes.ready === density.nodes.asked ? count(density.nodes.asked) : `${count(density.nodes.ready)} of ${count(density.nodes.asked)}`,
        `${count(summary.running)} of ${count(summary.created)} Running`,
        density.perSecond > 0 ? String(density.perSecond) : 'unpaced',
        rate(summary.createdPerSecond),
        ms(summary.toBound.p50Ms),
        ms(summary.toBound.p99Ms),
        ms(summary.toRunning.p50Ms),
        ms(summary.toRunning.p99Ms),
      ],
    ],
  };
}

/** Each process's CPU in each measured step, in percent of one core. */
export function cpuTable(results: SchedulerBenchResults): Table {
  const steps: [string, PodStep][] = [
    ...results.throughput.flatMap((run): [string, PodStep][] => [
      [`anchor, ${nodesLabel(run.nodeSource, run.nodes.asked)}`, run.anchor],
      [`scheduling, ${nodesLabel(run.nodeSource, run.nodes.asked)}`, run.scheduled],
    ]),
    ...(results.density ? [[`density, ${count(results.density.nodes.asked)} nodes`, results.density.pods] as [string, PodStep]] : []),
  ];
  const names = [...new Set(steps.flatMap(([, step]) => step.cpu.map((c) => c.name)))];
  return {
    headers: ['Process', ...steps.map(([label]) => label)],
    rows: names.map((name) => [
      name,
      ...steps.map(([, step]) => {
        const cpu = step.cpu.find((c) => c.name === name);
        return cpu && Number.isFinite(cpu.percentOfCore) ? `${cpu.percentOfCore.toFixed(0)}%` : '-';
      }),
    ]),
  };
}

/** Failed creates, steps cut short, nodes that never became schedulable. */
export function anomalies(results: SchedulerBenchResults): string[] {
  const notes: string[] = [];
  const step = (label: string, s: PodStep, milestone: string) => {
    if (s.outcome.failed > 0) notes.push(`${label}: ${s.outcome.failed} creates failed (${s.outcome.errors[0]})`);
    if (s.outcome.cutShort) notes.push(`${label}: only ${s.outcome.started} creates were started before the time limit`);
    if (s.cutShort) {
      const names = s.stragglers.length > 0 ? `; e.g. ${s.stragglers.join(', ')}` : '';
      notes.push(`${label}: time ran out with ${milestone} (${(s.durationMs / 1000).toFixed(0)} s${names})`);
    }
  };
  for (const run of results.throughput) {
    const at = nodesLabel(run.nodeSource, run.nodes.asked);
    if (run.nodes.ready < run.nodes.asked) {
      notes.push(`${at}: only ${count(run.nodes.ready)} nodes were schedulable (${count(run.nodes.registered)} registered) when time ran out; the pods ran on those`);
    }
    step(`anchor at ${at}`, run.anchor, `${count(run.anchor.summary.created)} created`);
    step(`scheduling at ${at}`, run.scheduled, `${count(run.scheduled.summary.bound)} of ${count(run.scheduled.summary.created)} pods bound`);
  }
  if (results.density) {
    const d = results.density;
    if (d.nodes.ready < d.nodes.asked) notes.push(`density: only ${count(d.nodes.ready)} of ${count(d.nodes.asked)} nodes were schedulable`);
    step('density', d.pods, `${count(d.pods.summary.running)} of ${count(d.pods.summary.created)} pods Running`);
  }
  return notes;
}
