// The extension points a plugin can implement (framework.PreFilterPlugin, FilterPlugin, ...).
// A plugin is an object with a name and any of these methods; the framework calls them in the
// profile's order. Filter and Score run once per node, so they return plain values: undefined
// for "fits", a number for a score — no objects on the hot path.
import type { LabelSelector } from '@k8ts/api/selectors/index.ts';
import type { NodeInfo, PodInfo, Snapshot } from './node-info.ts';
import type { Pod, PluginStatus } from './types.ts';

/** framework.CycleState: what plugins computed for this pod in this cycle, keyed by plugin. */
export class CycleState {
  private readonly data = new Map<string, unknown>();

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }
}

/** What plugins may ask of the framework (framework.Handle), all of it read-only. */
export interface FrameworkHandle {
  snapshot: Snapshot;
  /** a namespace's labels, for namespaceSelector in pod affinity terms (undefined: unknown) */
  namespaceLabels(namespace: string): Record<string, string> | undefined;
}

export interface PreFilterOutcome {
  /** undefined means success */
  status?: PluginStatus;
  /** PreFilterResult.NodeNames: only these nodes can fit (undefined: all nodes) */
  nodeNames?: Set<string>;
}

export interface Plugin {
  readonly name: string;
}

export interface PreFilterPlugin extends Plugin {
  /** A status with code Skip makes the framework skip this plugin's Filter for the pod. */
  preFilter(state: CycleState, pod: PodInfo, handle: FrameworkHandle): PreFilterOutcome;
}

export interface FilterPlugin extends Plugin {
  /** undefined when the pod fits the node, else the rejection */
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): PluginStatus | undefined;
}

export interface PreScorePlugin extends Plugin {
  /** A status with code Skip makes the framework skip this plugin's Score for the pod. */
  preScore(state: CycleState, pod: PodInfo, nodes: NodeInfo[], handle: FrameworkHandle): PluginStatus | undefined;
}

export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  /** Rescales `scores` (one per node of `nodes`) in place to 0..100. */
  normalizeScore?(state: CycleState, pod: PodInfo, nodes: NodeInfo[], scores: number[]): void;
}

/**
 * Reserve runs once the node is chosen and the pod assumed onto it: the plugin sets aside what
 * it decided (VolumeBinding: the volumes it picked). Unreserve undoes it when a later step fails.
 */
export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): PluginStatus | undefined;
  unreserve(state: CycleState, pod: Pod, nodeName: string): void;
}

/** PreBind runs in the binding cycle, before the Binding is written; it may wait (bounded) for API writes to settle. */
export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: Pod, nodeName: string, signal: AbortSignal): Promise<PluginStatus | undefined>;
}

/** A plugin enabled in a profile, with its score weight. */
export interface PluginEntry {
  plugin: Plugin;
  weight?: number;
}

/** Finds the label selector of the Services / ReplicaSets / StatefulSets selecting a pod (DefaultSelector). */
export type DefaultSelectorFunc = (pod: PodInfo) => LabelSelector | null;

export function isPreFilter(p: Plugin): p is PreFilterPlugin {
  return typeof (p as Partial<PreFilterPlugin>).preFilter === 'function';
}
export function isFilter(p: Plugin): p is FilterPlugin {
  return typeof (p as Partial<FilterPlugin>).filter === 'function';
}
export function isPreScore(p: Plugin): p is PreScorePlugin {
  return typeof (p as Partial<PreScorePlugin>).preScore === 'function';
}
export function isScore(p: Plugin): p is ScorePlugin {
  return typeof (p as Partial<ScorePlugin>).score === 'function';
}
export function isReserve(p: Plugin): p is ReservePlugin {
  return typeof (p as Partial<ReservePlugin>).reserve === 'function';
}
export function isPreBind(p: Plugin): p is PreBindPlugin {
  return typeof (p as Partial<PreBindPlugin>).preBind === 'function';
}

/** framework.MaxNodeScore */
export const MAX_NODE_SCORE = 100;

/**
 * helper.DefaultNormalizeScore: scales scores so the highest becomes 100 (all stay 0 when the
 * highest is 0); `reverse` then turns a high raw score into a low final one.
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: number[]): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(maxPriority);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let score = Math.trunc((maxPriority * scores[i]) / max);
    if (reverse) score = maxPriority - score;
    scores[i] = score;
  }
}
