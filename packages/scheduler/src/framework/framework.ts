// One scheduling profile (frameworkImpl) and the algorithm it runs for a pod (schedulePod):
// PreFilter → Filter over the nodes, round robin from where the last pod stopped, until enough
// feasible nodes are found → PreScore → Score → NormalizeScore → weights → the best node, ties
// broken at random. Pure: the snapshot, the start index and the randomness come from the caller.
import { defaultPlugins, type DefaultPluginsOptions } from '../plugins/default-plugins.ts';
import { preempt } from '../plugins/default-preemption.ts';
import { ScheduleExplanation } from './explanation.ts';
import { numFeasibleNodesToFind, selectHostIndex } from './feasible-nodes.ts';
import { FitError } from './fit-error.ts';
import {
  CycleState,
  isFilter,
  isPreFilter,
  isPreScore,
  isPreBind,
  isReserve,
  isScore,
  type FilterPlugin,
  type PreBindPlugin,
  type ReservePlugin,
  type FrameworkHandle,
  type PluginEntry,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from './interfaces.ts';
import { newPodInfo, type NodeInfo, type PodInfo, type Snapshot } from './node-info.ts';
import { PluginStatus, type Diagnosis, type Pod, type PodDisruptionBudget, type PreemptionResult, type ScheduleResult } from './types.ts';

export interface FrameworkConfig extends DefaultPluginsOptions {
  /** spec.schedulerName this profile serves */
  schedulerName?: string;
  /** the enabled plugins in extension-point order, with score weights; default: the 1.32 default profile */
  plugins?: PluginEntry[];
  /** 0 (the default) = adaptive (see numFeasibleNodesToFind) */
  percentageOfNodesToScore?: number;
  /** the queue's backoff bounds, carried with the profile (KubeSchedulerConfiguration defaults: 1 s, 10 s) */
  podInitialBackoffSeconds?: number;
  podMaxBackoffSeconds?: number;
  /** namespace labels for pod affinity namespaceSelectors */
  namespaceLabels?: (namespace: string) => Record<string, string> | undefined;
}

export interface ScheduleOptions {
  /** where the round-robin filter pass starts (the previous result's nextStartIndex) */
  startIndex: number;
  random: () => number;
}

/** The outcome of PreFilter for one pod. */
export interface PreFilterRun {
  state: CycleState;
  /** set when a PreFilter plugin rejected the pod */
  rejection?: PluginStatus;
  /** only these nodes can fit (undefined: all) and the plugins that narrowed them */
  nodeNames?: Set<string>;
  narrowedBy: string[];
  /** plugins whose Filter has nothing to do for this pod */
  skipped: Set<string>;
}

interface ScorePluginEntry {
  plugin: ScorePlugin;
  weight: number;
}

export class Framework {
  readonly schedulerName: string;
  readonly percentageOfNodesToScore: number;
  readonly podInitialBackoffSeconds: number;
  readonly podMaxBackoffSeconds: number;
  readonly preFilterPlugins: PreFilterPlugin[];
  readonly filterPlugins: FilterPlugin[];
  readonly preScorePlugins: PreScorePlugin[];
  readonly scorePlugins: ScorePluginEntry[];
  readonly reservePlugins: ReservePlugin[];
  readonly preBindPlugins: PreBindPlugin[];
  private readonly namespaceLabels: (namespace: string) => Record<string, string> | undefined;

  constructor(config: FrameworkConfig = {}) {
    this.schedulerName = config.schedulerName ?? 'default-scheduler';
    this.percentageOfNodesToScore = config.percentageOfNodesToScore ?? 0;
    this.podInitialBackoffSeconds = config.podInitialBackoffSeconds ?? 1;
    this.podMaxBackoffSeconds = config.podMaxBackoffSeconds ?? 10;
    this.namespaceLabels = config.namespaceLabels ?? (() => undefined);
    const entries = config.plugins ?? defaultPlugins(config);
    const plugins = entries.map((e) => e.plugin);
    this.preFilterPlugins = plugins.filter(isPreFilter);
    this.filterPlugins = plugins.filter(isFilter);
    this.preScorePlugins = plugins.filter(isPreScore);
    this.scorePlugins = entries.filter((e) => isScore(e.plugin)).map((e) => ({ plugin: e.plugin as ScorePlugin, weight: e.weight ?? 1 }));
    this.reservePlugins = plugins.filter(isReserve);
    this.preBindPlugins = plugins.filter(isPreBind);
  }

  handle(snapshot: Snapshot): FrameworkHandle {
    return { snapshot, namespaceLabels: this.namespaceLabels };
  }

  /** RunPreFilterPlugins: the first rejection stops it; node-name results are intersected. */
  runPreFilter(podInfo: PodInfo, snapshot: Snapshot): PreFilterRun {
    const run: PreFilterRun = { state: new CycleState(), narrowedBy: [], skipped: new Set() };
    const handle = this.handle(snapshot);
    for (const plugin of this.preFilterPlugins) {
      const outcome = plugin.preFilter(run.state, podInfo, handle);
      const status = outcome.status;
      if (status?.code === 'Skip') {
        run.skipped.add(plugin.name);
        continue;
      }
      if (status && !status.isSuccess()) {
        run.rejection = status.withPlugin(plugin.name);
        return run;
      }
      if (outcome.nodeNames) {
        run.narrowedBy.push(plugin.name);
        run.nodeNames = run.nodeNames ? new Set([...run.nodeNames].filter((n) => outcome.nodeNames!.has(n))) : outcome.nodeNames;
        if (run.nodeNames.size === 0) {
          const message =
            run.narrowedBy.length === 1
              ? `node(s) didn't satisfy plugin ${run.narrowedBy[0]}`
              : `node(s) didn't satisfy plugin(s) [${run.narrowedBy.join(' ')}] simultaneously`;
          run.rejection = new PluginStatus('UnschedulableAndUnresolvable', [message], plugin.name);
          return run;
        }
      }
    }
    return run;
  }

  /** RunFilterPlugins: the first plugin that rejects the node decides; undefined when it fits. */
  runFilters(state: CycleState, podInfo: PodInfo, node: NodeInfo, skipped: ReadonlySet<string>): PluginStatus | undefined {
    for (const plugin of this.filterPlugins) {
      if (skipped.size > 0 && skipped.has(plugin.name)) continue;
      const status = plugin.filter(state, podInfo, node);
      if (status && !status.isSuccess()) return status.plugin ? status : status.withPlugin(plugin.name);
    }
    return undefined;
  }

  schedulePod(pod: Pod, snapshot: Snapshot, opts: ScheduleOptions): ScheduleResult {
    const allNodes = snapshot.nodeInfoList;
    const podName = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
    const diagnosis: Diagnosis = { nodeToStatus: new Map(), unschedulablePlugins: new Set(), pendingPlugins: new Set() };
    const startIndex = allNodes.length === 0 ? 0 : opts.startIndex % allNodes.length;
    const explanation = new ScheduleExplanation(podName, allNodes.length, 0);
    const unschedulable = (nextStartIndex: number): ScheduleResult => ({
      kind: 'unschedulable',
      fitError: new FitError(pod, allNodes.length, diagnosis),
      explanation,
      nextStartIndex,
    });
    if (allNodes.length === 0) return unschedulable(0);

    const podInfo = newPodInfo(pod);
    const pre = this.runPreFilter(podInfo, snapshot);
    if (pre.rejection) {
      // Every node shares the PreFilter status, so preemption sees why each one failed.
      diagnosis.absentNodesStatus = pre.rejection;
      diagnosis.preFilterMsg = pre.rejection.message();
      this.recordRejection(diagnosis, pre.rejection);
      explanation.preFilterRejection = { plugin: pre.rejection.plugin, message: pre.rejection.message() };
      return unschedulable(startIndex);
    }

    // A pod nominated by an earlier preemption tries its nominated node first.
    const nominated = pod.status?.nominatedNodeName ? snapshot.get(pod.status.nominatedNodeName) : undefined;
    if (nominated && (!pre.nodeNames || pre.nodeNames.has(nominated.name))) {
      explanation.numNodesToFind = 1;
      if (!this.runFilters(pre.state, podInfo, nominated, pre.skipped)) {
        explanation.feasible = [nominated];
        explanation.selectedNode = nominated.name;
        return { kind: 'scheduled', suggestedHost: nominated.name, evaluatedNodes: 1, feasibleNodes: 1, explanation, nextStartIndex: startIndex, state: pre.state };
      }
    }

    let nodes = allNodes;
    let nodesStart = startIndex;
    if (pre.nodeNames) {
      nodes = [];
      for (const name of pre.nodeNames) {
        const info = snapshot.get(name);
        if (info) nodes.push(info);
      }
      nodesStart = 0;
      diagnosis.absentNodesStatus = new PluginStatus('UnschedulableAndUnresolvable', [
        `node(s) didn't satisfy plugin(s) [${[...pre.narrowedBy].sort().join(' ')}]`,
      ]);
      explanation.preFilterNodeNames = nodes.map((n) => n.name);
    }

    const numNodesToFind = numFeasibleNodesToFind(this.percentageOfNodesToScore, nodes.length);
    explanation.numNodesToFind = numNodesToFind;
    const feasible: NodeInfo[] = [];
    let processed = 0;
    for (let i = 0; i < nodes.length && feasible.length < numNodesToFind; i++) {
      const node = nodes[(nodesStart + i) % nodes.length];
      processed++;
      const status = this.runFilters(pre.state, podInfo, node, pre.skipped);
      if (!status) {
        feasible.push(node);
      } else {
        diagnosis.nodeToStatus.set(node.name, status);
        this.recordRejection(diagnosis, status);
        explanation.rejected.push([node, status]);
      }
    }
    // The narrowed list is not the node list: the round robin only advances over all nodes.
    const nextStartIndex = pre.nodeNames ? startIndex : (startIndex + processed) % allNodes.length;
    explanation.feasible = feasible;
    if (feasible.length === 0) return unschedulable(nextStartIndex);

    let selected = 0;
    if (feasible.length > 1) {
      const totals = this.prioritizeNodes(pre.state, podInfo, feasible, snapshot, explanation);
      selected = selectHostIndex(totals, opts.random);
    }
    const host = feasible[selected].name;
    explanation.selectedNode = host;
    return {
      kind: 'scheduled',
      suggestedHost: host,
      evaluatedNodes: feasible.length + diagnosis.nodeToStatus.size,
      feasibleNodes: feasible.length,
      explanation,
      nextStartIndex,
      state: pre.state,
    };
  }

  /** PreScore, Score, NormalizeScore and weights: one total per feasible node. */
  prioritizeNodes(state: CycleState, podInfo: PodInfo, nodes: NodeInfo[], snapshot: Snapshot, explanation?: ScheduleExplanation): number[] {
    const totals = new Array<number>(nodes.length).fill(0);
    if (this.scorePlugins.length === 0) {
      totals.fill(1);
      return totals;
    }
    const handle = this.handle(snapshot);
    const skipped = new Set<string>();
    for (const plugin of this.preScorePlugins) {
      const status = plugin.preScore(state, podInfo, nodes, handle);
      if (status?.code === 'Skip') skipped.add(plugin.name);
    }
    for (const { plugin, weight } of this.scorePlugins) {
      if (skipped.has(plugin.name)) continue;
      const raw = new Array<number>(nodes.length);
      for (let i = 0; i < nodes.length; i++) raw[i] = plugin.score(state, podInfo, nodes[i]);
      const normalized = explanation ? raw.slice() : raw;
      plugin.normalizeScore?.(state, podInfo, nodes, normalized);
      for (let i = 0; i < nodes.length; i++) totals[i] += normalized[i] * weight;
      explanation?.columns.push({ plugin: plugin.name, weight, raw, normalized });
    }
    if (explanation) {
      explanation.skippedScorePlugins = [...skipped];
      explanation.totals = totals;
    }
    return totals;
  }

  /** RunReservePluginsReserve: the first failure unreserves every Reserve plugin (in reverse) and is returned. */
  runReserve(state: CycleState, pod: Pod, nodeName: string): PluginStatus | undefined {
    for (const plugin of this.reservePlugins) {
      const status = plugin.reserve(state, pod, nodeName);
      if (status && !status.isSuccess()) {
        this.runUnreserve(state, pod, nodeName);
        return status.withPlugin(plugin.name);
      }
    }
    return undefined;
  }

  /** RunReservePluginsUnreserve, in reverse order. */
  runUnreserve(state: CycleState, pod: Pod, nodeName: string): void {
    for (const plugin of [...this.reservePlugins].reverse()) plugin.unreserve(state, pod, nodeName);
  }

  /** RunPreBindPlugins: in order; the first failure is returned. */
  async runPreBind(state: CycleState, pod: Pod, nodeName: string, signal: AbortSignal): Promise<PluginStatus | undefined> {
    for (const plugin of this.preBindPlugins) {
      const status = await plugin.preBind(state, pod, nodeName, signal);
      if (status && !status.isSuccess()) return status.withPlugin(plugin.name);
    }
    return undefined;
  }

  /**
   * DefaultPreemption (PostFilter) for a pod schedulePod found unschedulable: the node where
   * evicting the fewest, least important pods lets it fit, and those victims.
   */
  preempt(
    pod: Pod,
    snapshot: Snapshot,
    diagnosis: Diagnosis,
    pdbs: PodDisruptionBudget[],
    opts: { random?: () => number } = {},
  ): PreemptionResult {
    return preempt(this, pod, snapshot, diagnosis, pdbs, opts);
  }

  private recordRejection(diagnosis: Diagnosis, status: PluginStatus): void {
    if (!status.plugin) return;
    if (status.code === 'Pending') diagnosis.pendingPlugins.add(status.plugin);
    else diagnosis.unschedulablePlugins.add(status.plugin);
  }
}
