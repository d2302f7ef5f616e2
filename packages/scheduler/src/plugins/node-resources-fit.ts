// NodeResourcesFit: Filter checks the pod's requests (containers, init containers' peak,
// sidecars, overhead) against what the node has left, reporting every shortfall ("Too many
// pods", "Insufficient cpu", ...); Score is the LeastAllocated strategy over cpu and memory.
import type { CycleState, FilterPlugin, PreScorePlugin, ScorePlugin } from '../framework/interfaces.ts';
import { MAX_NODE_SCORE } from '../framework/interfaces.ts';
import type { NodeInfo, PodInfo } from '../framework/node-info.ts';
import { PluginStatus } from '../framework/types.ts';
import { PluginNames } from './names.ts';

export interface ResourceSpec {
  name: string;
  weight: number;
}

/** The default scoring resources (NodeResourcesFitArgs.ScoringStrategy.Resources). */
export const DEFAULT_SCORING_RESOURCES: ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

/** The reasons (in k8s' order) for which the node cannot hold the pod's requests. */
export function insufficientResources(pod: PodInfo, node: NodeInfo): string[] {
  // Runs for every pod on every node examined: plain comparisons, no closures or key sorting
  // unless the pod asks for extended resources.
  const reasons: string[] = [];
  const { allocatable, requested } = node;
  const r = pod.requests;
  if (node.pods.length + 1 > allocatable.allowedPodNumber) reasons.push('Too many pods');
  if (r.milliCpu > 0 && r.milliCpu > allocatable.milliCpu - requested.milliCpu) reasons.push('Insufficient cpu');
  if (r.memory > 0 && r.memory > allocatable.memory - requested.memory) reasons.push('Insufficient memory');
  if (r.ephemeralStorage > 0 && r.ephemeralStorage > allocatable.ephemeralStorage - requested.ephemeralStorage) {
    reasons.push('Insufficient ephemeral-storage');
  }
  const scalarNames = Object.keys(r.scalar);
  if (scalarNames.length === 0) return reasons;
  for (const name of scalarNames.sort()) {
    const wanted = r.scalar[name]!;
    if (wanted === 0) continue;
    if (wanted > (allocatable.scalar[name] ?? 0) - (requested.scalar[name] ?? 0)) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
}

/** One resource's (allocatable, requested-with-this-pod) pair on a node, as the scorers see it. */
export function allocatableAndRequested(
  resource: string,
  pod: PodInfo,
  node: NodeInfo,
  useRequested: boolean,
): { allocatable: number; requested: number } {
  const onNode = useRequested ? node.requested : node.nonZeroRequested;
  const podRequest = useRequested ? pod.requests : pod.nonZeroRequests;
  switch (resource) {
    case 'cpu':
      return { allocatable: node.allocatable.milliCpu, requested: onNode.milliCpu + podRequest.milliCpu };
    case 'memory':
      return { allocatable: node.allocatable.memory, requested: onNode.memory + podRequest.memory };
    case 'ephemeral-storage':
      return { allocatable: node.allocatable.ephemeralStorage, requested: node.requested.ephemeralStorage + pod.requests.ephemeralStorage };
    default: {
      // An extended resource the pod does not ask for does not count for this node.
      const wanted = pod.requests.scalar[resource] ?? 0;
      if (wanted === 0) return { allocatable: 0, requested: 0 };
      return { allocatable: node.allocatable.scalar[resource] ?? 0, requested: (node.requested.scalar[resource] ?? 0) + wanted };
    }
  }
}

/** leastRequestedScore: the share of the resource left free, 0..100. */
function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export class NodeResourcesFit implements FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = PluginNames.NodeResourcesFit;

  constructor(private readonly resources: ResourceSpec[] = DEFAULT_SCORING_RESOURCES) {}

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): PluginStatus | undefined {
    const reasons = insufficientResources(pod, node);
    return reasons.length === 0 ? undefined : new PluginStatus('Unschedulable', reasons, this.name);
  }

  preScore(): PluginStatus | undefined {
    return undefined;
  }

  /** LeastAllocated: the weighted mean of each resource's free share after placing the pod. */
  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    let nodeScore = 0;
    let weightSum = 0;
    for (const resource of this.resources) {
      const { allocatable, requested } = allocatableAndRequested(resource.name, pod, node, false);
      if (allocatable === 0) continue;
      nodeScore += leastRequestedScore(requested, allocatable) * resource.weight;
      weightSum += resource.weight;
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  }
}
