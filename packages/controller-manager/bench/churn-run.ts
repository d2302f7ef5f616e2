// One churn run: a cluster of hollow nodes with every controller running, then two measured
// steps on it. The anchor creates the workloads' pods bare and times them to Running/Succeeded
// (nodes, scheduler and apiserver alone); the churn step creates the Deployments,
// StatefulSets and Jobs together and times them to available/ready/complete, while sampling
// the controller-manager's CPU time and resident memory from /proc.
import fs from 'node:fs';
import type { KubeObject } from '@k8ts/api';
import type { ResourceClient } from '@k8ts/client';
import { processCpuMs } from '../../apiserver/bench/process-cpu.ts';
import { BenchCluster } from '../../scheduler/bench/bench-cluster.ts';
import { bringUpNodes, createNamespace, type Log } from '../../scheduler/bench/measure.ts';
import { createAll } from '../../scheduler/bench/pod-creator.ts';
import { anchorPod, anchorPodCount, deployment, job, statefulSet, type ChurnSizes } from './churn-manifests.ts';
import { anchorPodDone, deploymentDone, DoneTracker, jobDone, statefulSetDone } from './churn-progress.ts';

const KINDS = {
  Pod: { group: '', version: 'v1', kind: 'Pod' },
  Deployment: { group: 'apps', version: 'v1', kind: 'Deployment' },
  StatefulSet: { group: 'apps', version: 'v1', kind: 'StatefulSet' },
  Job: { group: 'batch', version: 'v1', kind: 'Job' },
  ServiceAccount: { group: '', version: 'v1', kind: 'ServiceAccount' },
};
const CREATE_CONCURRENCY = 16;
const POLL_MS = 2_000;
const PROGRESS_EVERY_MS = 15_000;
const NODES_TIMEOUT_MS = 300_000;
export const STEP_TIMEOUT_MS = 900_000;

export interface StepResult {
  /** from the first create sent to the last object seen done (or to the timeout) */
  ms: number;
  /** per kind: done / expected, and when its last object was done (ms from the step's start) */
  kinds: { kind: string; done: number; expected: number; finishedMs?: number }[];
  createFailures: string[];
  /** CPU time of the controller-manager over the step, ms */
  controllerManagerCpuMs: number;
  /** CPU time of every process of the cluster over the step, ms, by name */
  cpuMsByProcess: { name: string; ms: number }[];
  /** its resident set, largest sample during the step, bytes */
  controllerManagerPeakRssBytes: number;
  /** its resident set at the step's end, bytes */
  controllerManagerEndRssBytes: number;
  cutShort: boolean;
}

export interface ChurnResults {
  nodesReadyMs: number;
  anchor: StepResult;
  churn: StepResult;
}

/** VmRSS of a process from /proc, bytes; 0 where it cannot be read. */
export function residentBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

interface Tracked {
  kind: keyof typeof KINDS;
  tracker: DoneTracker;
}

async function waitForServiceAccount(cluster: BenchCluster, namespace: string): Promise<void> {
  const accounts = cluster.client.forKind(KINDS.ServiceAccount).namespace(namespace);
  for (let i = 0; i < 300; i++) {
    if ((await accounts.list()).items.some((sa) => sa.metadata.name === 'default')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the ServiceAccount "default" of namespace ${namespace} did not appear in 30 s: is the serviceaccount controller running?`);
}

/** Creates `count` objects of each kind (interleaved, all together) and waits until every one is done. */
async function measureStep(
  cluster: BenchCluster,
  name: string,
  namespace: string,
  plan: { kind: keyof typeof KINDS; count: number; make: (i: number) => object; isDone: (o: never) => boolean }[],
  log: Log,
): Promise<StepResult> {
  await createNamespace(cluster, namespace);
  await waitForServiceAccount(cluster, namespace);
  const controllerManager = cluster.component('controller-manager')!;
  const clients = new Map<string, ResourceClient<KubeObject>>(plan.map((p) => [p.kind, cluster.client.forKind(KINDS[p.kind]).namespace(namespace)]));
  const tracked: Tracked[] = plan.map((p) => ({ kind: p.kind, tracker: new DoneTracker(p.count, p.isDone as never) }));
  // round-robin over the kinds, so they are created together rather than one kind after another
  const order = plan.flatMap((p, k) => Array.from({ length: p.count }, (_, i) => ({ k, i, at: i / p.count }))).sort((a, b) => a.at - b.at || a.k - b.k);

  const cpuBefore = processCpuMs(controllerManager.pid) ?? 0;
  const processes = cluster.processes();
  const allBefore = processes.map((p) => processCpuMs(p.pid) ?? 0);
  let peakRss = residentBytes(controllerManager.pid);
  const start = performance.now();
  const creating = createAll(
    { count: order.length, concurrency: CREATE_CONCURRENCY, perSecond: 0, deadlineMs: STEP_TIMEOUT_MS },
    {
      create: async (n) => {
        const { k, i } = order[n]!;
        await clients.get(plan[k]!.kind)!.create(plan[k]!.make(i) as KubeObject);
      },
      now: () => performance.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    },
  );
  let lastProgress = start;
  let cutShort = false;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const at = performance.now() - start;
    for (const { kind, tracker } of tracked) tracker.observe((await clients.get(kind)!.list()).items, at);
    peakRss = Math.max(peakRss, residentBytes(controllerManager.pid));
    if (tracked.every((t) => t.tracker.complete)) break;
    if (!controllerManager.running) throw new Error(`the controller-manager exited during the ${name} step:\n${controllerManager.logTail()}`);
    if (performance.now() - lastProgress > PROGRESS_EVERY_MS) {
      lastProgress = performance.now();
      log(`  ${name} after ${(at / 1000).toFixed(0)} s: ${tracked.map((t) => `${t.tracker.done}/${t.tracker.expected} ${t.kind}s`).join(', ')}`);
    }
    if (at > STEP_TIMEOUT_MS) {
      cutShort = true;
      break;
    }
  }
  const outcome = await creating;
  const finishedAt = Math.max(...tracked.map((t) => t.tracker.finishedAtMs ?? performance.now() - start));
  return {
    ms: finishedAt,
    kinds: tracked.map(({ kind, tracker }) => ({ kind, done: tracker.done, expected: tracker.expected, finishedMs: tracker.finishedAtMs })),
    createFailures: outcome.errors,
    controllerManagerCpuMs: (processCpuMs(controllerManager.pid) ?? 0) - cpuBefore,
    cpuMsByProcess: processes.map((p, i) => ({ name: p.name, ms: (processCpuMs(p.pid) ?? allBefore[i]!) - allBefore[i]! })),
    controllerManagerPeakRssBytes: peakRss,
    controllerManagerEndRssBytes: residentBytes(controllerManager.pid),
    cutShort,
  };
}

export async function runChurn(sizes: ChurnSizes, directory: string, log: Log): Promise<ChurnResults> {
  const cluster = await BenchCluster.start({ directory, nodeSource: 'hollow', controllers: '*' });
  try {
    log(`bringing up ${sizes.nodes} hollow nodes`);
    const nodes = await bringUpNodes(cluster, 'hollow', sizes.nodes, NODES_TIMEOUT_MS, log);
    if (nodes.ready < sizes.nodes) throw new Error(`only ${nodes.ready} of ${sizes.nodes} nodes became schedulable in ${NODES_TIMEOUT_MS / 60_000} min`);
    const anchorCount = anchorPodCount(sizes);
    log(`anchor: ${anchorCount} bare pods`);
    const anchor = await measureStep(cluster, 'anchor', 'churn-anchor', [{ kind: 'Pod', count: anchorCount, make: (i) => anchorPod('churn-anchor', i, sizes), isDone: anchorPodDone }], log);
    log(`anchor: done in ${(anchor.ms / 1000).toFixed(1)} s`);
    log(`churn: ${sizes.deployments} Deployments, ${sizes.statefulSets} StatefulSets, ${sizes.jobs} Jobs`);
    const churn = await measureStep(
      cluster,
      'churn',
      'churn',
      [
        { kind: 'Deployment', count: sizes.deployments, make: (i) => deployment('churn', i), isDone: deploymentDone },
        { kind: 'StatefulSet', count: sizes.statefulSets, make: (i) => statefulSet('churn', i), isDone: statefulSetDone },
        { kind: 'Job', count: sizes.jobs, make: (i) => job('churn', i), isDone: jobDone },
      ],
      log,
    );
    log(`churn: done in ${(churn.ms / 1000).toFixed(1)} s`);
    return { nodesReadyMs: nodes.ms, anchor, churn };
  } finally {
    await cluster.stop();
  }
}
