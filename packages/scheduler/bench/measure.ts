// The measured steps of a run, on a started BenchCluster: bringing nodes up, creating pods
// while a watch times them, and what each process spent meanwhile.
import https from 'node:https';
import type { KubeObject } from '@k8ts/api';
import { processCpuMs } from '../../apiserver/bench/process-cpu.ts';
import type { TimeWindow } from '../../apiserver/bench/cpu-profile.ts';
import type { BenchCluster, NodeSource } from './bench-cluster.ts';
import { counterGrowth, sumByLabel } from './metrics-text.ts';
import { NodeReadiness } from './node-readiness.ts';
import { ObjectWatch } from './object-watch.ts';
import { createAll, type CreateOutcome } from './pod-creator.ts';
import { benchNamespace, benchNode, benchPod, podName } from './pod-manifest.ts';
import { PodTimeline, type TimelineSummary } from './pod-timeline.ts';

const POD = { group: '', version: 'v1', kind: 'Pod' };
const NODE = { group: '', version: 'v1', kind: 'Node' };
const NAMESPACE = { group: '', version: 'v1', kind: 'Namespace' };
const PROGRESS_EVERY_MS = 10_000;
const POLL_MS = 50;
const STRAGGLERS_SHOWN = 5;

export type Log = (line: string) => void;

export interface ProcessCpu {
  name: string;
  /** CPU time over the wall time of the step, in percent of one core */
  percentOfCore: number;
}

export interface NodesUp {
  asked: number;
  /** schedulable when the run went on (all of them, unless time ran out) */
  ready: number;
  registered: number;
  ms: number;
}

export interface PodStep {
  summary: TimelineSummary;
  outcome: CreateOutcome;
  /** time ran out before every created pod reached the milestone waited for */
  cutShort: boolean;
  durationMs: number;
  cpu: ProcessCpu[];
  /** the step on the monotonic clock V8's CPU profiles use */
  window: TimeWindow;
  /** a few pods that never reached the milestone waited for */
  stragglers: string[];
}

export interface PodStepPlan {
  namespace: string;
  count: number;
  concurrency: number;
  /** 0: as fast as the apiserver answers */
  perSecond: number;
  /** what the step waits for: every create answered, every pod seen bound, or Running and Ready */
  until: 'created' | 'bound' | 'running';
  timeoutMs: number;
  schedulerName?: string;
}

function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Polls `done` until it holds (true) or time runs out (false); throws what `failed` reports. */
async function waitUntil(done: () => boolean, timeoutMs: number, failed: () => string | undefined = () => undefined): Promise<boolean> {
  const start = performance.now();
  while (!done()) {
    const problem = failed();
    if (problem) throw new Error(problem);
    if (performance.now() - start > timeoutMs) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return true;
}

/** Starts `count` nodes and waits until they can all take pods (or time runs out). */
export async function bringUpNodes(cluster: BenchCluster, source: NodeSource, count: number, timeoutMs: number, log: Log): Promise<NodesUp> {
  const nodes = new NodeReadiness();
  const watch = new ObjectWatch<KubeObject>(cluster.client.forKind(NODE), (node, type) => nodes.observe(node, type));
  await watch.start();
  const start = performance.now();
  try {
    let exited: () => string | undefined = () => undefined;
    if (source === 'hollow') {
      const hollow = cluster.startHollowNodes(count, 'hollow-node-');
      exited = () => (hollow.running ? undefined : `k8ts hollow-nodes exited:\n${hollow.logTail()}`);
    } else {
      const nowIso = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const outcome = await createAll(
        { count, concurrency: 32, perSecond: 0, deadlineMs: timeoutMs },
        {
          create: async (i) => void (await cluster.client.forKind(NODE).create(benchNode(`node-${String(i).padStart(5, '0')}`, nowIso))),
          now: () => performance.now(),
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        },
      );
      if (outcome.failed > 0) throw new Error(`${outcome.failed} of ${count} nodes could not be created: ${outcome.errors.join('; ')}`);
    }
    const progress = () => log(`  ${nodes.ready}/${count} nodes schedulable (${nodes.registered} registered) after ${((performance.now() - start) / 1000).toFixed(0)} s`);
    const ticker = setInterval(progress, PROGRESS_EVERY_MS);
    try {
      await waitUntil(() => nodes.ready >= count, timeoutMs, exited);
    } finally {
      clearInterval(ticker);
    }
    progress();
    return { asked: count, ready: nodes.ready, registered: nodes.registered, ms: performance.now() - start };
  } finally {
    await watch.stop();
  }
}

export async function createNamespace(cluster: BenchCluster, name: string): Promise<void> {
  await cluster.client.forKind(NAMESPACE).create(benchNamespace(name));
}

/** Creates pods as planned while a watch of their namespace times each one. */
export async function createPods(cluster: BenchCluster, plan: PodStepPlan, log: Log): Promise<PodStep> {
  const timeline = new PodTimeline();
  const pods = cluster.client.forKind<KubeObject>(POD).namespace(plan.namespace);
  const watch = new ObjectWatch<KubeObject>(pods, (pod) => timeline.observe(pod, performance.now()));
  await watch.start();
  const processes = cluster.processes();
  const cpuBefore = processes.map((p) => processCpuMs(p.pid));
  const selfBefore = process.cpuUsage();
  const startUs = monotonicUs();
  const start = performance.now();
  let outcome: CreateOutcome | undefined;
  let reached: boolean;
  const progress = () => {
    const created = outcome ? outcome.started - outcome.failed : 'creating';
    log(`  ${plan.namespace}: ${created} created, ${timeline.bound} bound, ${timeline.running} running after ${((performance.now() - start) / 1000).toFixed(0)} s`);
  };
  const ticker = setInterval(progress, PROGRESS_EVERY_MS);
  try {
    outcome = await createAll(
      { count: plan.count, concurrency: plan.concurrency, perSecond: plan.perSecond, deadlineMs: plan.timeoutMs },
      {
        create: async (index) => {
          const name = podName(index);
          timeline.sent(name, performance.now());
          try {
            await pods.create(benchPod(plan.namespace, index, plan.schedulerName));
          } catch (err) {
            timeline.failed(name);
            throw err;
          }
          timeline.acknowledged(name, performance.now());
        },
        now: () => performance.now(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      },
    );
    const created = outcome.started - outcome.failed;
    const count = { created: () => created, bound: () => timeline.bound, running: () => timeline.running }[plan.until];
    reached = await waitUntil(() => count() >= created, Math.max(0, plan.timeoutMs - (performance.now() - start)));
    progress();
  } finally {
    clearInterval(ticker);
    await watch.stop();
  }
  const durationMs = performance.now() - start;
  const endUs = monotonicUs();
  const self = process.cpuUsage(selfBefore);
  const cpu: ProcessCpu[] = processes.map((p, i) => {
    const after = processCpuMs(p.pid);
    const before = cpuBefore[i];
    return { name: p.name, percentOfCore: after === undefined || before === undefined ? Number.NaN : ((after - before) / durationMs) * 100 };
  });
  cpu.push({ name: 'bench (load generator + watch)', percentOfCore: ((self.user + self.system) / 1000 / durationMs) * 100 });
  const stragglers = plan.until === 'created' ? [] : timeline.stragglers(plan.until, STRAGGLERS_SHOWN);
  return { summary: timeline.summary(), outcome, cutShort: !reached, durationMs, cpu, window: { startUs, endUs }, stragglers };
}

/** The scheduler's attempts by result (scheduled, unschedulable, error) from its /metrics; undefined if it cannot be read. */
export async function scheduleAttempts(cluster: BenchCluster): Promise<Map<string, number> | undefined> {
  try {
    const text = await httpsGetText(`${cluster.schedulerUrl}/metrics`);
    return sumByLabel(text, 'scheduler_schedule_attempts_total', 'result');
  } catch {
    return undefined;
  }
}

export function attemptsDuring(before: Map<string, number> | undefined, after: Map<string, number> | undefined): Map<string, number> | undefined {
  return before && after ? counterGrowth(before, after) : undefined;
}

/** The scheduler serves /metrics over HTTPS with a self-signed certificate and no authentication (as k8ts runs it). */
function httpsGetText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { rejectUnauthorized: false, timeout: 10_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => (response.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`GET ${url}: ${response.statusCode}`))));
      response.once('error', reject);
    });
    request.once('timeout', () => request.destroy(new Error(`GET ${url}: timed out`)));
    request.once('error', reject);
  });
}
