// ImageLocality: prefers nodes that already hold the pod's images, weighting each image by its
// size and by how many nodes have it (an image everywhere says little about this node).
import type { CycleState, ScorePlugin, FrameworkHandle, PreScorePlugin } from '../framework/interfaces.ts';
import { MAX_NODE_SCORE } from '../framework/interfaces.ts';
import type { NodeInfo, PodInfo } from '../framework/node-info.ts';
import type { PluginStatus } from '../framework/types.ts';
import { PluginNames } from './names.ts';

const MB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MB;
const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** An image reference without tag or digest means ":latest". */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

export class ImageLocality implements PreScorePlugin, ScorePlugin {
  readonly name = PluginNames.ImageLocality;

  preScore(state: CycleState, _pod: PodInfo, _nodes: NodeInfo[], handle: FrameworkHandle): PluginStatus | undefined {
    state.write(this.name, handle.snapshot.nodeInfoList.length);
    return undefined;
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const totalNodes = state.read<number>(this.name) ?? 1;
    const containers = [...(pod.pod.spec.initContainers ?? []), ...pod.pod.spec.containers];
    let sum = 0;
    for (const c of containers) {
      const image = node.imageStates.get(normalizedImageName(c.image ?? ''));
      if (image) sum += Math.trunc(image.size * (image.numNodes / totalNodes));
    }
    const maxThreshold = MAX_CONTAINER_THRESHOLD * containers.length;
    const clamped = Math.min(Math.max(sum, MIN_THRESHOLD), maxThreshold);
    return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
  }
}

/** Fills every NodeInfo's imageStates from its node's status.images (what the scheduler cache keeps). */
export function computeImageStates(nodes: readonly NodeInfo[]): void {
  const nodesWithImage = new Map<string, number>();
  for (const info of nodes) {
    for (const image of info.node?.status?.images ?? []) {
      for (const name of image.names ?? []) nodesWithImage.set(name, (nodesWithImage.get(name) ?? 0) + 1);
    }
  }
  for (const info of nodes) {
    const states = new Map<string, { size: number; numNodes: number }>();
    for (const image of info.node?.status?.images ?? []) {
      for (const name of image.names ?? []) states.set(name, { size: image.sizeBytes ?? 0, numNodes: nodesWithImage.get(name) ?? 1 });
    }
    info.imageStates = states;
  }
}
