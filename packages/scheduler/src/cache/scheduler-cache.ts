// The scheduler's cache (kube-scheduler's internal cache): every node with the pods the
// scheduler believes run on it. Bound pods come from the informer; a pod the scheduler has just
// placed is "assumed" onto its node at once, before the binding is written, so the next cycle
// already counts it. Then:
//   the informer shows the pod bound   → the assumption is confirmed (addPod)
//   the binding failed                 → forgetPod takes it off the node again
//   the binding finished but the pod never showed up → it expires after the TTL, which is 0
//                                        (never) as in kube-scheduler 1.32 (issue #106361)
// NodeInfos carry ever-growing generations; nodes are kept in a most-recently-changed-first
// list, so updateSnapshot walks only the changed ones.
import { nextGeneration, NodeInfo } from '../framework/node-info.ts';
import type { Node, Pod } from '../framework/types.ts';
import { CacheSnapshot } from './cache-snapshot.ts';
import { NodeTree } from './node-tree.ts';

interface PodState {
  pod: Pod;
  assumed: boolean;
  bindingFinished: boolean;
  /** when an assumed pod whose binding finished expires (undefined: never) */
  deadline?: number;
}

/** A node's entry in the recency list (head: most recently changed). */
interface NodeItem {
  name: string;
  info: NodeInfo;
  prev: NodeItem | undefined;
  next: NodeItem | undefined;
}

export interface SchedulerCacheOptions {
  /** how long an assumed pod whose binding finished may stay unconfirmed; 0: forever */
  assumedPodTtlMs?: number;
}

function podId(pod: Pod): string {
  return pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`;
}

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeItem>();
  private head: NodeItem | undefined;
  private readonly tree = new NodeTree();
  /** set when nodes joined, left or changed zone: the snapshot's list must be rebuilt */
  private treeChanged = false;
  private readonly podStates = new Map<string, PodState>();
  private readonly assumedPods = new Set<string>();
  private readonly ttlMs: number;

  constructor(options: SchedulerCacheOptions = {}) {
    this.ttlMs = options.assumedPodTtlMs ?? 0;
  }

  nodeCount(): number {
    return this.tree.size;
  }

  podCount(): number {
    return this.podStates.size;
  }

  isAssumed(pod: Pod): boolean {
    return this.assumedPods.has(podId(pod));
  }

  /** Counts the pod on `pod.spec.nodeName` now, before its binding is written. */
  assumePod(pod: Pod): void {
    const id = podId(pod);
    if (this.podStates.has(id)) throw new Error(`pod ${pod.metadata.namespace}/${pod.metadata.name}(${id}) is in the cache, so can't be assumed`);
    this.addPodToNode(pod);
    this.podStates.set(id, { pod, assumed: true, bindingFinished: false });
    this.assumedPods.add(id);
  }

  /** The binding call returned; from now the assumption may expire (if a TTL is set). */
  finishBinding(pod: Pod, now: number): void {
    const state = this.podStates.get(podId(pod));
    if (!state || !state.assumed) return;
    state.bindingFinished = true;
    if (this.ttlMs > 0) state.deadline = now + this.ttlMs;
  }

  /** The binding failed: the assumed pod leaves its node. */
  forgetPod(pod: Pod): void {
    const id = podId(pod);
    const state = this.podStates.get(id);
    if (!state) return;
    if (!state.assumed) throw new Error(`pod ${pod.metadata.namespace}/${pod.metadata.name}(${id}) was not assumed, so can't be forgotten`);
    this.removePodFromNode(state.pod);
    this.podStates.delete(id);
    this.assumedPods.delete(id);
  }

  /** The informer shows a bound pod: confirm the assumption, or add a pod bound by someone else. */
  addPod(pod: Pod): void {
    const id = podId(pod);
    const state = this.podStates.get(id);
    if (state && !state.assumed) {
      this.updatePod(state.pod, pod);
      return;
    }
    if (state) {
      // Bound to a different node than assumed (another scheduler won): follow the API.
      this.removePodFromNode(state.pod);
      this.assumedPods.delete(id);
    }
    this.addPodToNode(pod);
    this.podStates.set(id, { pod, assumed: false, bindingFinished: false });
  }

  updatePod(oldPod: Pod, newPod: Pod): void {
    const id = podId(newPod);
    const state = this.podStates.get(id);
    if (!state || state.assumed) {
      this.addPod(newPod);
      return;
    }
    this.removePodFromNode(state.pod ?? oldPod);
    this.addPodToNode(newPod);
    state.pod = newPod;
  }

  removePod(pod: Pod): void {
    const id = podId(pod);
    const state = this.podStates.get(id);
    if (!state) return;
    this.removePodFromNode(state.pod);
    this.podStates.delete(id);
    this.assumedPods.delete(id);
  }

  addNode(node: Node): void {
    this.updateNode(node);
  }

  updateNode(node: Node): void {
    const name = node.metadata.name!;
    const item = this.itemFor(name);
    item.info.setNode(node);
    this.moveToHead(item);
    if (this.tree.set(name, node.metadata.labels)) this.treeChanged = true;
  }

  /** The node is gone; its NodeInfo stays while pods still point at it (they will be deleted too). */
  removeNode(node: Node): void {
    const name = node.metadata.name!;
    const item = this.nodes.get(name);
    if (!item) return;
    if (this.tree.remove(name)) this.treeChanged = true;
    if (item.info.pods.length === 0) {
      this.unlink(item);
      this.nodes.delete(name);
    } else {
      item.info.node = undefined;
      item.info.generation = nextGeneration();
      this.moveToHead(item);
    }
  }

  /** Drops assumed pods whose binding finished long ago without the informer ever confirming them. */
  cleanupExpiredAssumedPods(now: number): Pod[] {
    const expired: Pod[] = [];
    for (const id of this.assumedPods) {
      const state = this.podStates.get(id)!;
      if (!state.bindingFinished || state.deadline === undefined || now < state.deadline) continue;
      expired.push(state.pod);
    }
    for (const pod of expired) this.forgetPod(pod);
    return expired;
  }

  /**
   * Brings `snapshot` up to date (UpdateSnapshot): clones the NodeInfos changed since its
   * generation, rebuilds the node list only when nodes joined or left, and the affinity lists
   * only when a changed node's membership in them may have changed.
   */
  updateSnapshot(snapshot: CacheSnapshot): void {
    const seen = snapshot.generation;
    let rebuildList = this.treeChanged || snapshot.nodeInfoMap.size !== this.tree.size;
    let rebuildAffinityLists = false;
    for (let item = this.head; item && item.info.generation > seen; item = item.next) {
      snapshot.generation = Math.max(snapshot.generation, item.info.generation);
      if (!item.info.node || !this.tree.has(item.name)) {
        if (snapshot.nodeInfoMap.delete(item.name)) rebuildList = true;
        continue;
      }
      const clone = item.info.clone();
      const previous = snapshot.nodeInfoMap.get(item.name);
      snapshot.nodeInfoMap.set(item.name, clone);
      if (previous === undefined) {
        rebuildList = true;
        continue;
      }
      const position = snapshot.positions.get(item.name);
      if (position !== undefined) snapshot.nodeInfoList[position] = clone;
      if (previous.podsWithAffinity.length > 0 || clone.podsWithAffinity.length > 0) rebuildAffinityLists = true;
    }
    if (rebuildList) {
      for (const name of [...snapshot.nodeInfoMap.keys()]) if (!this.tree.has(name)) snapshot.nodeInfoMap.delete(name);
      snapshot.nodeInfoList = this.tree.list().map((name) => snapshot.nodeInfoMap.get(name)!);
      snapshot.positions.clear();
      snapshot.nodeInfoList.forEach((info, i) => snapshot.positions.set(info.name, i));
      this.treeChanged = false;
      rebuildAffinityLists = true;
    }
    if (rebuildAffinityLists) {
      snapshot.havePodsWithAffinityList = snapshot.nodeInfoList.filter((n) => n.podsWithAffinity.length > 0);
      snapshot.havePodsWithRequiredAntiAffinityList = snapshot.nodeInfoList.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
    }
  }

  private addPodToNode(pod: Pod): void {
    const item = this.itemFor(pod.spec.nodeName!);
    item.info.addPod(pod);
    this.moveToHead(item);
  }

  private removePodFromNode(pod: Pod): void {
    const name = pod.spec.nodeName!;
    const item = this.nodes.get(name);
    if (!item) return;
    item.info.removePod(pod);
    if (item.info.pods.length === 0 && !item.info.node) {
      this.unlink(item);
      this.nodes.delete(name);
      return;
    }
    this.moveToHead(item);
  }

  /** The node's entry; a pod may name a node the cache has not seen yet. */
  private itemFor(name: string): NodeItem {
    let item = this.nodes.get(name);
    if (!item) {
      item = { name, info: new NodeInfo(), prev: undefined, next: undefined };
      this.nodes.set(name, item);
    }
    return item;
  }

  private moveToHead(item: NodeItem): void {
    if (this.head === item) return;
    this.unlink(item);
    item.next = this.head;
    if (this.head) this.head.prev = item;
    this.head = item;
  }

  private unlink(item: NodeItem): void {
    if (item.prev) item.prev.next = item.next;
    if (item.next) item.next.prev = item.prev;
    if (this.head === item) this.head = item.next;
    item.prev = undefined;
    item.next = undefined;
  }
}
