// NodeAffinity: Filter enforces spec.nodeSelector and required node affinity; PreFilter turns
// matchFields on metadata.name (how DaemonSet pods pin their node) into the only nodes worth
// filtering; Score sums the weights of the preferred terms a node matches.
import {
  defaultNormalizeScore,
  MAX_NODE_SCORE,
  type CycleState,
  type FilterPlugin,
  type PreFilterOutcome,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from '../framework/interfaces.ts';
import type { NodeInfo, PodInfo } from '../framework/node-info.ts';
import { PluginStatus, type NodeSelectorTerm } from '../framework/types.ts';
import { PluginNames } from './names.ts';
import { nodeSelectorTermMatches, podRequiredNodeAffinityMatches } from './node-selector.ts';

export const ERR_REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = PluginNames.NodeAffinity;
  private readonly rejection = new PluginStatus('UnschedulableAndUnresolvable', [ERR_REASON_NODE_AFFINITY], this.name);

  preFilter(_state: CycleState, pod: PodInfo): PreFilterOutcome {
    const required = pod.pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!required && !pod.pod.spec.nodeSelector) return { status: new PluginStatus('Skip', [], this.name) };
    const terms = required?.nodeSelectorTerms ?? [];
    if (terms.length === 0) return {};
    // Terms are ORed: only when every term pins node names is the search narrowed.
    let nodeNames: Set<string> | undefined;
    for (const term of terms) {
      let termNames: Set<string> | undefined;
      for (const field of term.matchFields ?? []) {
        if (field.key !== 'metadata.name' || field.operator !== 'In') continue;
        const values = new Set(field.values ?? []);
        termNames = termNames ? new Set([...termNames].filter((n) => values.has(n))) : values;
      }
      if (!termNames) return {};
      nodeNames = new Set([...(nodeNames ?? []), ...termNames]);
    }
    if (nodeNames && nodeNames.size === 0) {
      return { status: new PluginStatus('UnschedulableAndUnresolvable', [ERR_REASON_CONFLICT], this.name) };
    }
    return { nodeNames };
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): PluginStatus | undefined {
    return node.node && podRequiredNodeAffinityMatches(pod.pod, node.node) ? undefined : this.rejection;
  }

  preScore(state: CycleState, pod: PodInfo): PluginStatus | undefined {
    const preferred = (pod.pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).filter(
      // A zero weight or an empty preference can never change a score.
      (t) => t.weight !== 0 && ((t.preference.matchExpressions?.length ?? 0) > 0 || (t.preference.matchFields?.length ?? 0) > 0),
    );
    if (preferred.length === 0) return new PluginStatus('Skip', [], this.name);
    state.write(this.name, preferred);
    return undefined;
  }

  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    const preferred = state.read<{ weight: number; preference: NodeSelectorTerm }[]>(this.name) ?? [];
    let score = 0;
    for (const term of preferred) if (node.node && nodeSelectorTermMatches(term.preference, node.node)) score += term.weight;
    return score;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, _nodes: NodeInfo[], scores: number[]): void {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
  }
}
