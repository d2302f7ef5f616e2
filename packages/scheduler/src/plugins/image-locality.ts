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

/** What PreScore works out once per pod, for Score to use on every node. */
interface ImageLocalityState {
  totalNodes: number;
  /** the pod's init and app containers' images, normalized */
  images: string[];
}

export class ImageLocality implements PreScorePlugin, ScorePlugin {
  readonly name = PluginNames.ImageLocality;

  preScore(state: CycleState, pod: PodInfo, _nodes: NodeInfo[], handle: FrameworkHandle): PluginStatus | undefined {
    const containers = [...(pod.pod.spec.initContainers ?? []), ...pod.pod.spec.containers];
    const perPod: ImageLocalityState = {
      totalNodes: handle.snapshot.nodeInfoList.length,
      images: containers.map((c) => normalizedImageName(c.image ?? '')),
    };
    state.write(this.name, perPod);
    return undefined;
  }

  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    const { totalNodes, images } = state.read<ImageLocalityState>(this.name)!;
    let sum = 0;
    for (const name of images) {
      const image = node.imageStates.get(name);
      if (image) sum += Math.trunc(image.size * (image.numNodes / totalNodes));
    }
    const maxThreshold = MAX_CONTAINER_THRESHOLD * images.length;
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
