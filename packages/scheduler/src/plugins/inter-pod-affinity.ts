// InterPodAffinity: pods that want (affinity) or refuse (anti-affinity) to share a topology
// domain — a node, a zone — with pods matching a selector. PreFilter counts matching pods per
// (topologyKey, value) once; Filter then checks a node's labels against those counts. Score
// adds preferred-term weights (the pod's and, symmetrically, existing pods') per domain.
import type { CycleState, FilterPlugin, FrameworkHandle, PreFilterOutcome, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../framework/interfaces.ts';
import { MAX_NODE_SCORE } from '../framework/interfaces.ts';
import { affinityTermMatches, type AffinityTerm, type NodeInfo, type PodInfo } from '../framework/node-info.ts';
import { PluginStatus, type Node, type Pod } from '../framework/types.ts';
import { PluginNames } from './names.ts';

export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";

/** The weight an existing pod's required affinity term gives a matching incoming pod (HardPodAffinityWeight). */
export const HARD_POD_AFFINITY_WEIGHT = 1;

/** Counts (or scores) per topology pair: key → value → n. Nested maps so lookups build no strings. */
class TopologyCounts {
  readonly byKey = new Map<string, Map<string, number>>();
  size = 0;

  add(node: Node, topologyKey: string, delta: number): void {
    const labels = node.metadata.labels;
    if (!labels || !Object.hasOwn(labels, topologyKey)) return;
    const value = labels[topologyKey];
    let values = this.byKey.get(topologyKey);
    if (!values) this.byKey.set(topologyKey, (values = new Map()));
    const before = values.get(value);
    const after = (before ?? 0) + delta;
    if (before === undefined) this.size++;
    values.set(value, after);
  }

  get(topologyKey: string, value: string): number {
    return this.byKey.get(topologyKey)?.get(value) ?? 0;
  }
}

interface PreFilterState {
  pod: PodInfo;
  existingAntiAffinityCounts: TopologyCounts;
  affinityCounts: TopologyCounts;
  antiAffinityCounts: TopologyCounts;
}

function matchesAllTerms(terms: AffinityTerm[], pod: Pod, nsLabels: Record<string, string> | undefined): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!affinityTermMatches(t, pod, nsLabels)) return false;
  return true;
}

export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = PluginNames.InterPodAffinity;
  private readonly preFilterKey = `PreFilter${this.name}`;
  private readonly preScoreKey = `PreScore${this.name}`;

  constructor(private readonly hardPodAffinityWeight = HARD_POD_AFFINITY_WEIGHT) {}

  preFilter(state: CycleState, pod: PodInfo, handle: FrameworkHandle): PreFilterOutcome {
    const { snapshot } = handle;
    const incoming = pod.pod;
    const incomingNsLabels = handle.namespaceLabels(incoming.metadata.namespace ?? '');
    const s: PreFilterState = {
      pod,
      existingAntiAffinityCounts: new TopologyCounts(),
      affinityCounts: new TopologyCounts(),
      antiAffinityCounts: new TopologyCounts(),
    };
    // Existing pods whose required anti-affinity the incoming pod would violate.
    for (const info of snapshot.havePodsWithRequiredAntiAffinityList) {
      if (!info.node) continue;
      for (const existing of info.podsWithRequiredAntiAffinity) {
        for (const term of existing.requiredAntiAffinityTerms) {
          if (affinityTermMatches(term, incoming, incomingNsLabels)) s.existingAntiAffinityCounts.add(info.node, term.topologyKey, 1);
        }
      }
    }
    // Existing pods the incoming pod's required terms select.
    if (pod.requiredAffinityTerms.length > 0 || pod.requiredAntiAffinityTerms.length > 0) {
      for (const info of snapshot.nodeInfoList) {
        if (!info.node) continue;
        for (const existing of info.pods) {
          const nsLabels = handle.namespaceLabels(existing.pod.metadata.namespace ?? '');
          // Affinity counts a pod only when it matches every term.
          if (matchesAllTerms(pod.requiredAffinityTerms, existing.pod, nsLabels)) {
            for (const t of pod.requiredAffinityTerms) s.affinityCounts.add(info.node, t.topologyKey, 1);
          }
          for (const t of pod.requiredAntiAffinityTerms) {
            if (affinityTermMatches(t, existing.pod, nsLabels)) s.antiAffinityCounts.add(info.node, t.topologyKey, 1);
          }
        }
      }
    }
    if (s.existingAntiAffinityCounts.size === 0 && pod.requiredAffinityTerms.length === 0 && pod.requiredAntiAffinityTerms.length === 0) {
      return { status: new PluginStatus('Skip', [], this.name) };
    }
    state.write(this.preFilterKey, s);
    return {};
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): PluginStatus | undefined {
    const s = state.read<PreFilterState>(this.preFilterKey);
    if (!s || !node.node) return undefined;
    const labels = node.node.metadata.labels ?? {};
    if (!this.satisfiesPodAffinity(s, labels)) return new PluginStatus('UnschedulableAndUnresolvable', [ERR_REASON_AFFINITY], this.name);
    if (s.antiAffinityCounts.size > 0) {
      for (const term of s.pod.requiredAntiAffinityTerms) {
        if (Object.hasOwn(labels, term.topologyKey) && s.antiAffinityCounts.get(term.topologyKey, labels[term.topologyKey]) > 0) {
          return new PluginStatus('Unschedulable', [ERR_REASON_ANTI_AFFINITY], this.name);
        }
      }
    }
    if (s.existingAntiAffinityCounts.size > 0) {
      for (const key of Object.keys(labels)) {
        if (s.existingAntiAffinityCounts.get(key, labels[key]) > 0) {
          return new PluginStatus('Unschedulable', [ERR_REASON_EXISTING_ANTI_AFFINITY], this.name);
        }
      }
    }
    return undefined;
  }

  private satisfiesPodAffinity(s: PreFilterState, labels: Record<string, string>): boolean {
    let podsExist = true;
    for (const term of s.pod.requiredAffinityTerms) {
      // Every topology label a term names must be on the node.
      if (!Object.hasOwn(labels, term.topologyKey)) return false;
      if (s.affinityCounts.get(term.topologyKey, labels[term.topologyKey]) <= 0) podsExist = false;
    }
    if (podsExist) return true;
    // The first pod of a group with affinity to itself: allowed anywhere while no pod matches
    // yet, so such a group can start at all.
    return s.affinityCounts.size === 0 && matchesAllTerms(s.pod.requiredAffinityTerms, s.pod.pod, undefined);
  }

  preScore(state: CycleState, pod: PodInfo, nodes: NodeInfo[], handle: FrameworkHandle): PluginStatus | undefined {
    if (nodes.length === 0) return undefined;
    const hasConstraints = pod.preferredAffinityTerms.length > 0 || pod.preferredAntiAffinityTerms.length > 0;
    // Without preferences of its own, only existing pods with affinity can score the pod.
    const candidates = hasConstraints ? handle.snapshot.nodeInfoList : handle.snapshot.havePodsWithAffinityList;
    const incomingNsLabels = handle.namespaceLabels(pod.pod.metadata.namespace ?? '');
    const scores = new TopologyCounts();
    const addIf = (term: AffinityTerm, weight: number, target: Pod, nsLabels: Record<string, string> | undefined, node: Node) => {
      if (affinityTermMatches(term, target, nsLabels)) scores.add(node, term.topologyKey, weight);
    };
    for (const info of candidates) {
      const node = info.node;
      if (!node || Object.keys(node.metadata.labels ?? {}).length === 0) continue;
      for (const existing of hasConstraints ? info.pods : info.podsWithAffinity) {
        const existingNsLabels = handle.namespaceLabels(existing.pod.metadata.namespace ?? '');
        for (const t of pod.preferredAffinityTerms) addIf(t, t.weight, existing.pod, existingNsLabels, node);
        for (const t of pod.preferredAntiAffinityTerms) addIf(t, -t.weight, existing.pod, existingNsLabels, node);
        if (this.hardPodAffinityWeight > 0) {
          for (const t of existing.requiredAffinityTerms) addIf(t, this.hardPodAffinityWeight, pod.pod, incomingNsLabels, node);
        }
        for (const t of existing.preferredAffinityTerms) addIf(t, t.weight, pod.pod, incomingNsLabels, node);
        for (const t of existing.preferredAntiAffinityTerms) addIf(t, -t.weight, pod.pod, incomingNsLabels, node);
      }
    }
    if (scores.size === 0) return new PluginStatus('Skip', [], this.name);
    state.write(this.preScoreKey, scores);
    return undefined;
  }

  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    const scores = state.read<TopologyCounts>(this.preScoreKey);
    const labels = node.node?.metadata.labels;
    if (!scores || !labels) return 0;
    let score = 0;
    for (const [key, values] of scores.byKey) {
      if (Object.hasOwn(labels, key)) score += values.get(labels[key]) ?? 0;
    }
    return score;
  }

  /** Min-max scaling to 0..100 (all 0 when every node scored the same). */
  normalizeScore(state: CycleState, _pod: PodInfo, _nodes: NodeInfo[], scores: number[]): void {
    if (!state.read<TopologyCounts>(this.preScoreKey)) return;
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      if (s > max) max = s;
      if (s < min) min = s;
    }
    const diff = max - min;
    for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[i] - min) / diff)) : 0;
  }
}
