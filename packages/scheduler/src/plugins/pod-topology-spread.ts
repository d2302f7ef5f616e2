// PodTopologySpread: keeps matching pods evenly spread over topology domains (nodes, zones).
// Filter enforces DoNotSchedule constraints — placing the pod must not make its domain exceed
// the least-loaded domain by more than maxSkew. Score favours less-loaded domains for
// ScheduleAnyway constraints, and for pods with none, the system defaults (hostname maxSkew 3,
// zone maxSkew 5) over the pods of the same Service/ReplicaSet/StatefulSet.
import { matchesLabels, labelSelectorFromObject, type LabelSelector } from '@k8ts/api/selectors/index.ts';
import type {
  CycleState,
  DefaultSelectorFunc,
  FilterPlugin,
  FrameworkHandle,
  PreFilterOutcome,
  PreFilterPlugin,
  PreScorePlugin,
  ScorePlugin,
} from '../framework/interfaces.ts';
import { MAX_NODE_SCORE } from '../framework/interfaces.ts';
import type { NodeInfo, PodInfo } from '../framework/node-info.ts';
import { PluginStatus, type Node, type Pod, type Taint, type TopologySpreadConstraint } from '../framework/types.ts';
import { PluginNames } from './names.ts';
import { podRequiredNodeAffinityMatches } from './node-selector.ts';
import { findUntoleratedTaint } from './taints.ts';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** The constraints kube-scheduler applies to pods that declare none (defaultingType: System). */
export const SYSTEM_DEFAULT_CONSTRAINTS: TopologySpreadConstraint[] = [
  { maxSkew: 3, topologyKey: HOSTNAME_LABEL, whenUnsatisfiable: 'ScheduleAnyway' },
  { maxSkew: 5, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
];

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector | null;
  minDomains: number;
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
}

interface FilterState {
  constraints: Constraint[];
  /** per constraint: topology value → matching pods */
  counts: Map<string, number>[];
  /** per constraint: the smallest count over its domains (Infinity when it has none) */
  minCounts: number[];
}

interface ScoreState {
  constraints: Constraint[];
  ignoredNodes: Set<string>;
  /** per constraint (unused for hostname ones, counted per node): topology value → matching pods */
  counts: Map<string, number>[];
  weights: number[];
}

/** countPodsMatchSelector: live pods of the namespace that the selector matches (an empty selector counts none). */
function countMatching(pods: readonly PodInfo[], selector: LabelSelector | null, namespace: string): number {
  if (selector === null || selector.length === 0) return 0;
  let count = 0;
  for (const p of pods) {
    if (p.pod.metadata.deletionTimestamp || (p.pod.metadata.namespace ?? '') !== namespace) continue;
    if (matchesLabels(selector, p.pod.metadata.labels)) count++;
  }
  return count;
}

function hasAllTopologyKeys(node: Node, constraints: readonly Constraint[]): boolean {
  const labels = node.metadata.labels ?? {};
  for (const c of constraints) if (!Object.hasOwn(labels, c.topologyKey)) return false;
  return true;
}

const doNotSchedule = (taint: Taint) => taint.effect === 'NoSchedule' || taint.effect === 'NoExecute';

/** matchNodeInclusionPolicies: whether this node's domain counts for the constraint. */
function nodeIncluded(c: Constraint, pod: Pod, node: Node): boolean {
  if (c.honorNodeAffinity && !podRequiredNodeAffinityMatches(pod, node)) return false;
  if (c.honorNodeTaints && findUntoleratedTaint(node.spec?.taints, pod.spec.tolerations ?? [], doNotSchedule)) return false;
  return true;
}

export interface PodTopologySpreadOptions {
  defaultSelector?: DefaultSelectorFunc;
  /** default: SYSTEM_DEFAULT_CONSTRAINTS */
  defaultConstraints?: TopologySpreadConstraint[];
}

export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = PluginNames.PodTopologySpread;
  private readonly preFilterKey = `PreFilter${this.name}`;
  private readonly preScoreKey = `PreScore${this.name}`;
  private readonly defaultSelector?: DefaultSelectorFunc;
  private readonly defaultConstraints: TopologySpreadConstraint[];
  /** system defaulting relaxes "every node needs every topology label" for scoring */
  private readonly systemDefaulted: boolean;

  constructor(options: PodTopologySpreadOptions = {}) {
    this.defaultSelector = options.defaultSelector;
    this.defaultConstraints = options.defaultConstraints ?? SYSTEM_DEFAULT_CONSTRAINTS;
    this.systemDefaulted = options.defaultConstraints === undefined;
  }

  /** The pod's constraints of one kind, with matchLabelKeys folded into the selector; else the defaults. */
  private constraints(pod: PodInfo, kind: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
    const own = pod.pod.spec.topologySpreadConstraints ?? [];
    const labels = pod.pod.metadata.labels ?? {};
    const build = (c: TopologySpreadConstraint, selector: LabelSelector | null): Constraint => ({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector,
      minDomains: c.minDomains ?? 1,
      honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorNodeTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
    });
    if (own.length > 0) {
      return own
        .filter((c) => c.whenUnsatisfiable === kind)
        .map((c) => {
          let selector = labelSelectorFromObject(c.labelSelector);
          const extra = (c.matchLabelKeys ?? []).filter((k) => Object.hasOwn(labels, k));
          if (selector !== null && extra.length > 0) {
            selector = [...selector, ...extra.map((key) => ({ key, operator: 'In' as const, values: [labels[key]] }))];
          }
          return build(c, selector);
        });
    }
    const selector = this.defaultSelector?.(pod) ?? null;
    if (selector === null || selector.length === 0) return [];
    return this.defaultConstraints.filter((c) => c.whenUnsatisfiable === kind).map((c) => build(c, selector));
  }

  preFilter(state: CycleState, pod: PodInfo, handle: FrameworkHandle): PreFilterOutcome {
    const constraints = this.constraints(pod, 'DoNotSchedule');
    if (constraints.length === 0) return { status: new PluginStatus('Skip', [], this.name) };
    const namespace = pod.pod.metadata.namespace ?? '';
    const counts = constraints.map(() => new Map<string, number>());
    for (const info of handle.snapshot.nodeInfoList) {
      const node = info.node;
      if (!node || !hasAllTopologyKeys(node, constraints)) continue;
      constraints.forEach((c, i) => {
        if (!nodeIncluded(c, pod.pod, node)) return;
        const value = node.metadata.labels![c.topologyKey];
        counts[i].set(value, (counts[i].get(value) ?? 0) + countMatching(info.pods, c.selector, namespace));
      });
    }
    const minCounts = counts.map((m) => {
      let min = Infinity;
      for (const n of m.values()) if (n < min) min = n;
      return min;
    });
    state.write(this.preFilterKey, { constraints, counts, minCounts } satisfies FilterState);
    return {};
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): PluginStatus | undefined {
    const s = state.read<FilterState>(this.preFilterKey);
    if (!s || !node.node) return undefined;
    const labels = node.node.metadata.labels ?? {};
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      if (!Object.hasOwn(labels, c.topologyKey)) return new PluginStatus('UnschedulableAndUnresolvable', [ERR_REASON_NODE_LABEL_NOT_MATCH], this.name);
      // Fewer domains than minDomains: the global minimum is taken as 0.
      const min = s.counts[i].size < c.minDomains ? 0 : s.minCounts[i];
      // An empty selector matches the pod itself (Selector.Matches), though it counts no pods.
      const selfMatch = c.selector !== null && matchesLabels(c.selector, pod.pod.metadata.labels) ? 1 : 0;
      const skew = (s.counts[i].get(labels[c.topologyKey]) ?? 0) + selfMatch - min;
      if (skew > c.maxSkew) return new PluginStatus('Unschedulable', [ERR_REASON_CONSTRAINTS_NOT_MATCH], this.name);
    }
    return undefined;
  }

  preScore(state: CycleState, pod: PodInfo, nodes: NodeInfo[], handle: FrameworkHandle): PluginStatus | undefined {
    const constraints = this.constraints(pod, 'ScheduleAnyway');
    if (constraints.length === 0) return new PluginStatus('Skip', [], this.name);
    // System defaults still spread by hostname on nodes without a zone label.
    const requireAllTopologies = (pod.pod.spec.topologySpreadConstraints ?? []).length > 0 || !this.systemDefaulted;
    const s: ScoreState = { constraints, ignoredNodes: new Set(), counts: constraints.map(() => new Map()), weights: [] };
    const domains = constraints.map(() => 0);
    for (const info of nodes) {
      const node = info.node!;
      if (requireAllTopologies && !hasAllTopologyKeys(node, constraints)) {
        s.ignoredNodes.add(info.name);
        continue;
      }
      constraints.forEach((c, i) => {
        if (c.topologyKey === HOSTNAME_LABEL) return;
        const value = node.metadata.labels?.[c.topologyKey] ?? '';
        if (!s.counts[i].has(value)) {
          s.counts[i].set(value, 0);
          domains[i]++;
        }
      });
    }
    s.weights = constraints.map((c, i) => Math.log((c.topologyKey === HOSTNAME_LABEL ? nodes.length - s.ignoredNodes.size : domains[i]) + 2));
    const namespace = pod.pod.metadata.namespace ?? '';
    for (const info of handle.snapshot.nodeInfoList) {
      const node = info.node;
      if (!node || (requireAllTopologies && !hasAllTopologyKeys(node, constraints))) continue;
      constraints.forEach((c, i) => {
        if (c.topologyKey === HOSTNAME_LABEL || !nodeIncluded(c, pod.pod, node)) return;
        const value = node.metadata.labels?.[c.topologyKey] ?? '';
        const current = s.counts[i].get(value);
        // Only domains some candidate node is in matter.
        if (current === undefined) return;
        s.counts[i].set(value, current + countMatching(info.pods, c.selector, namespace));
      });
    }
    state.write(this.preScoreKey, s);
    return undefined;
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const s = state.read<ScoreState>(this.preScoreKey);
    if (!s || s.ignoredNodes.has(node.name)) return 0;
    const labels = node.node?.metadata.labels ?? {};
    let score = 0;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      if (!Object.hasOwn(labels, c.topologyKey)) continue;
      const count =
        c.topologyKey === HOSTNAME_LABEL
          ? countMatching(node.pods, c.selector, pod.pod.metadata.namespace ?? '')
          : (s.counts[i].get(labels[c.topologyKey]) ?? 0);
      score += count * s.weights[i] + (c.maxSkew - 1);
    }
    return Math.round(score);
  }

  /** Fewer matching pods is better: 100 × (max + min − score) / max; ignored nodes get 0. */
  normalizeScore(state: CycleState, _pod: PodInfo, nodes: NodeInfo[], scores: number[]): void {
    const s = state.read<ScoreState>(this.preScoreKey);
    if (!s) return;
    let min = Infinity;
    let max = 0;
    for (let i = 0; i < scores.length; i++) {
      if (s.ignoredNodes.has(nodes[i].name)) continue;
      if (scores[i] < min) min = scores[i];
      if (scores[i] > max) max = scores[i];
    }
    for (let i = 0; i < scores.length; i++) {
      if (s.ignoredNodes.has(nodes[i].name)) scores[i] = 0;
      else if (max === 0) scores[i] = MAX_NODE_SCORE;
      else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i])) / max);
    }
  }
}
