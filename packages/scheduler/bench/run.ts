// One bench run: a fresh cluster per throughput node count and one for density, each stopped
// (by PID) before the next starts — also on failure, SIGINT or SIGTERM. Their directories (logs,
// profiles) are removed at the end unless asked to keep them or the run failed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { summarizeProfile, type CpuProfile, type ProfileSummary } from '../../apiserver/bench/cpu-profile.ts';
import { findMainThreadProfile } from '../../apiserver/bench/profile-report.ts';
import { REPO_ROOT } from '../../store/test/support/binaries.ts';
import { BenchCluster, type NodeSource } from './bench-cluster.ts';
import { attemptsDuring, bringUpNodes, createNamespace, createPods, scheduleAttempts, type Log, type NodesUp, type PodStep } from './measure.ts';
import { UNSERVED_SCHEDULER } from './pod-manifest.ts';
import type { SchedulerBenchSizes } from './sizes.ts';

/** Functions kept per profiled process. */
const PROFILE_TOP = 12;

export interface ThroughputRun {
  /** hollow nodes run the pods; Node objects only hold them */
  nodeSource: NodeSource;
  nodes: NodesUp;
  /** the same pods created with a scheduler name nobody serves: the apiserver's create rate alone */
  anchor: PodStep;
  scheduled: PodStep;
  /** the scheduler's own count of attempts by result during the scheduled step, when /metrics answered */
  attempts: Map<string, number> | undefined;
  /** the scheduled step's CPU profile per process, when profiled */
  profiles: Map<string, ProfileSummary>;
}

export interface DensityRun {
  nodes: NodesUp;
  podsPerNode: number;
  perSecond: number;
  pods: PodStep;
}

export interface SchedulerBenchResults {
  throughput: ThroughputRun[];
  density?: DensityRun;
}

export interface RunOptions {
  sizes: SchedulerBenchSizes;
  nodeSources: NodeSource[];
  throughput: boolean;
  density: boolean;
  profile: boolean;
  keepLogs: boolean;
  log: Log;
}

export async function runSchedulerBench(options: RunOptions): Promise<SchedulerBenchResults> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-bench-scheduler-'));
  const live = new Set<BenchCluster>();
  let keep = options.keepLogs;
  const interrupted = (signal: NodeJS.Signals) => {
    options.log(`${signal}: stopping the bench cluster`);
    void Promise.all([...live].map((cluster) => cluster.stop())).finally(() => {
      if (keep) options.log(`logs kept in ${root}`);
      else fs.rmSync(root, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const withCluster = async <T>(name: string, nodeSource: NodeSource, body: (cluster: BenchCluster, profileDirectory?: string) => Promise<T>): Promise<T> => {
    const directory = path.join(root, name);
    fs.mkdirSync(directory);
    const profileDirectory = options.profile ? path.join(directory, 'profiles') : undefined;
    if (profileDirectory) fs.mkdirSync(profileDirectory);
    options.log(`${name}: starting store, apiserver, controller-manager and scheduler (logs in ${directory})`);
    const cluster = await BenchCluster.start({ directory, nodeSource, ...(profileDirectory ? { profileDirectory } : {}) });
    live.add(cluster);
    try {
      return await body(cluster, profileDirectory);
    } catch (err) {
      throw new Error(`${name}: ${(err as Error).message}\nlogs: ${directory}`, { cause: err });
    } finally {
      live.delete(cluster);
      await cluster.stop();
    }
  };
  try {
    const results: SchedulerBenchResults = { throughput: [] };
    if (options.throughput) {
      for (const nodeSource of options.nodeSources) {
        for (const nodeCount of options.sizes.throughputNodes) {
          const name = `throughput-${nodeSource}-${nodeCount}`;
          results.throughput.push(await withCluster(name, nodeSource, (cluster, profiles) => throughputRun(cluster, nodeSource, nodeCount, options, profiles)));
        }
      }
    }
    if (options.density) {
      if (!options.nodeSources.includes('hollow')) options.log('density: skipped, it needs hollow nodes to run the pods');
      else results.density = await withCluster('density', 'hollow', (cluster) => densityRun(cluster, options));
    }
    return results;
  } catch (err) {
    // The logs say why: keep them.
    keep = true;
    throw err;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    if (keep) options.log(`logs kept in ${root}`);
    else fs.rmSync(root, { recursive: true, force: true });
  }
}

async function throughputRun(
  cluster: BenchCluster,
  nodeSource: NodeSource,
  nodeCount: number,
  options: RunOptions,
  profileDirectory: string | undefined,
): Promise<ThroughputRun> {
  const { sizes } = options;
  const log: Log = (line) => options.log(`[${nodeSource === 'hollow' ? 'hollow nodes' : 'Node objects'}] ${line}`);
  log(`throughput at ${nodeCount} nodes: bringing the nodes up`);
  const nodes = await bringUpNodes(cluster, nodeSource, nodeCount, sizes.nodesReadyTimeoutMs, log);
  const step = { count: sizes.throughputPods, concurrency: sizes.createConcurrency, perSecond: 0, timeoutMs: sizes.podsTimeoutMs };
  // The anchor first, on the quiet cluster (only the nodes' heartbeats), and its pods are left
  // where they are: deleting 10,000 pods takes longer than creating them, and pods for another
  // scheduler cost the scheduler and the nodes nothing but an informer entry. Measured after the
  // scheduled step instead, the anchor would share the apiserver with the kubelets' status
  // writes still catching up.
  log(`throughput at ${nodeCount} nodes: anchor, ${sizes.throughputPods} pods for a scheduler nobody runs`);
  await createNamespace(cluster, 'bench-anchor');
  const anchor = await createPods(cluster, { ...step, namespace: 'bench-anchor', until: 'created', schedulerName: UNSERVED_SCHEDULER }, log);
  log(`throughput at ${nodeCount} nodes: ${sizes.throughputPods} pods for the scheduler`);
  await createNamespace(cluster, 'bench-scheduled');
  const before = await scheduleAttempts(cluster);
  const scheduled = await createPods(cluster, { ...step, namespace: 'bench-scheduled', until: 'bound' }, log);
  const attempts = attemptsDuring(before, await scheduleAttempts(cluster));
  const pids = new Map(cluster.processes().map((p) => [p.name, p.pid]));
  const profiles = new Map<string, ProfileSummary>();
  if (profileDirectory) {
    // Profiles are written when the processes exit.
    await cluster.stop();
    for (const name of ['apiserver', 'scheduler']) {
      const file = findMainThreadProfile(profileDirectory, pids.get(name)!);
      if (!file) throw new Error(`no CPU profile of the ${name} (pid ${pids.get(name)}) in ${profileDirectory}`);
      const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
      profiles.set(name, summarizeProfile(profile, scheduled.window, { top: PROFILE_TOP, sourceRoot: REPO_ROOT }));
    }
  }
  return { nodeSource, nodes, anchor, scheduled, attempts, profiles };
}

async function densityRun(cluster: BenchCluster, options: RunOptions): Promise<DensityRun> {
  const { sizes, log } = options;
  log(`density: bringing ${sizes.densityNodes} hollow nodes up`);
  const nodes = await bringUpNodes(cluster, 'hollow', sizes.densityNodes, sizes.nodesReadyTimeoutMs, log);
  const count = sizes.densityNodes * sizes.densityPodsPerNode;
  log(`density: ${count} pods (${sizes.densityPodsPerNode} per node), ${sizes.densityPerSecond > 0 ? `${sizes.densityPerSecond} created per second` : 'as fast as accepted'}`);
  await createNamespace(cluster, 'bench-density');
  const pods = await createPods(
    cluster,
    { namespace: 'bench-density', count, concurrency: sizes.createConcurrency, perSecond: sizes.densityPerSecond, until: 'running', timeoutMs: sizes.podsTimeoutMs },
    log,
  );
  return { nodes, podsPerNode: sizes.densityPodsPerNode, perSecond: sizes.densityPerSecond, pods };
}
