// TaintToleration: Filter rejects nodes with a NoSchedule/NoExecute taint the pod does not
// tolerate; Score prefers nodes with fewer untolerated PreferNoSchedule taints.
import {
  defaultNormalizeScore,
  MAX_NODE_SCORE,
  type CycleState,
  type FilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from '../framework/interfaces.ts';
import type { NodeInfo, PodInfo } from '../framework/node-info.ts';
import { PluginStatus, type Taint, type Toleration } from '../framework/types.ts';
import { PluginNames } from './names.ts';
import { findUntoleratedTaint, tolerationsTolerateTaint } from './taints.ts';

const doNotSchedule = (taint: Taint) => taint.effect === 'NoSchedule' || taint.effect === 'NoExecute';

export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = PluginNames.TaintToleration;

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): PluginStatus | undefined {
    const taint = findUntoleratedTaint(node.node?.spec?.taints, pod.pod.spec.tolerations ?? [], doNotSchedule);
    if (!taint) return undefined;
    return new PluginStatus('UnschedulableAndUnresolvable', [untoleratedTaintReason(taint)], this.name);
  }

  preScore(state: CycleState, pod: PodInfo): PluginStatus | undefined {
    // Only tolerations that can apply to PreferNoSchedule taints matter for scoring.
    const tolerations = (pod.pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    state.write(this.name, tolerations);
    return undefined;
  }

  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    const tolerations = state.read<Toleration[]>(this.name) ?? [];
    let intolerable = 0;
    for (const taint of node.node?.spec?.taints ?? []) {
      if (taint.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, taint)) intolerable++;
    }
    return intolerable;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, _nodes: NodeInfo[], scores: number[]): void {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
  }
}
