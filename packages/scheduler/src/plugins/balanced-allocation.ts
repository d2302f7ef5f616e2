// NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory would be used in equal
// shares after placing the pod — 100 × (1 − standard deviation of the used fractions).
import type { CycleState, PreScorePlugin, ScorePlugin } from '../framework/interfaces.ts';
import { MAX_NODE_SCORE } from '../framework/interfaces.ts';
import type { NodeInfo, PodInfo } from '../framework/node-info.ts';
import { PluginStatus } from '../framework/types.ts';
import { PluginNames } from './names.ts';
import { allocatableAndRequested, DEFAULT_SCORING_RESOURCES, type ResourceSpec } from './node-resources-fit.ts';

export class BalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = PluginNames.NodeResourcesBalancedAllocation;

  constructor(private readonly resources: ResourceSpec[] = DEFAULT_SCORING_RESOURCES) {}

  /** A pod that requests none of the resources cannot unbalance a node: skip scoring. */
  preScore(_state: CycleState, pod: PodInfo): PluginStatus | undefined {
    const r = pod.requests;
    const requestsSome = this.resources.some((res) => {
      if (res.name === 'cpu') return r.milliCpu > 0;
      if (res.name === 'memory') return r.memory > 0;
      if (res.name === 'ephemeral-storage') return r.ephemeralStorage > 0;
      return (r.scalar[res.name] ?? 0) > 0;
    });
    return requestsSome ? undefined : new PluginStatus('Skip', [], this.name);
  }

  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    let count = 0;
    let total = 0;
    let first = 0;
    let second = 0;
    const fractions: number[] = [];
    for (const resource of this.resources) {
      const { allocatable, requested } = allocatableAndRequested(resource.name, pod, node, true);
      if (allocatable === 0) continue;
      const fraction = Math.min(requested / allocatable, 1);
      if (count === 0) first = fraction;
      else if (count === 1) second = fraction;
      if (this.resources.length > 2) fractions.push(fraction);
      total += fraction;
      count++;
    }
    let std = 0;
    if (count === 2) {
      std = Math.abs((first - second) / 2);
    } else if (count > 2) {
      const mean = total / count;
      let sum = 0;
      for (const f of fractions) sum += (f - mean) * (f - mean);
      std = Math.sqrt(sum / count);
    }
    return Math.trunc((1 - std) * MAX_NODE_SCORE);
  }
}
