// The record of one scheduling attempt, kept compact while scheduling (arrays of numbers and
// the statuses filters returned anyway) and turned into per-node objects only when someone
// reads it — the debug endpoint — so explaining costs nothing on the hot path.
import type { NodeInfo } from './node-info.ts';
import type { Explanation, NodeExplanation, PluginStatus } from './types.ts';

export interface ScoreColumn {
  plugin: string;
  weight: number;
  /** per feasible node: Score's result, then the normalized one */
  raw: number[];
  normalized: number[];
}

export class ScheduleExplanation implements Explanation {
  preFilterRejection?: { plugin: string; message: string };
  preFilterNodeNames?: string[];
  skippedScorePlugins: string[] = [];
  selectedNode?: string;
  /** rejected nodes in evaluation order */
  readonly rejected: [NodeInfo, PluginStatus][] = [];
  feasible: NodeInfo[] = [];
  columns: ScoreColumn[] = [];
  totals: number[] = [];
  private built?: NodeExplanation[];

  constructor(
    readonly pod: string,
    readonly numAllNodes: number,
    public numNodesToFind: number,
  ) {}

  get nodes(): NodeExplanation[] {
    if (this.built) return this.built;
    const nodes: NodeExplanation[] = this.rejected.map(([info, status]) => ({
      node: info.name,
      rejectedBy: { plugin: status.plugin, code: status.code, reasons: [...status.reasons] },
    }));
    this.feasible.forEach((info, i) => {
      const scored = this.columns.length > 0 && this.totals.length > 0;
      nodes.push({
        node: info.name,
        ...(scored
          ? {
              scores: this.columns.map((c) => ({
                plugin: c.plugin,
                raw: c.raw[i],
                normalized: c.normalized[i],
                weight: c.weight,
                weighted: c.normalized[i] * c.weight,
              })),
              totalScore: this.totals[i],
            }
          : {}),
      });
    });
    this.built = nodes;
    return nodes;
  }

  toJSON(): Explanation {
    return {
      pod: this.pod,
      numAllNodes: this.numAllNodes,
      numNodesToFind: this.numNodesToFind,
      ...(this.preFilterRejection ? { preFilterRejection: this.preFilterRejection } : {}),
      ...(this.preFilterNodeNames ? { preFilterNodeNames: this.preFilterNodeNames } : {}),
      skippedScorePlugins: this.skippedScorePlugins,
      nodes: this.nodes,
      ...(this.selectedNode ? { selectedNode: this.selectedNode } : {}),
    };
  }
}
