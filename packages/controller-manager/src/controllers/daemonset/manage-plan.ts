// The core loop of the DaemonSet controller as a plan (manage / podsShouldBeOnNode): given the
// nodes and the daemon pods found on each, which nodes need a pod and which pods must go.
//  - a node that should run the daemon and has no pod gets one;
//  - on a node where a pod may stay: failed pods are deleted (with a per-node back-off, and a
//    FailedDaemonPod warning), succeeded ones too (SucceededDaemonPod); of several running pods
//    only the oldest stays — or, with maxSurge, the oldest new one plus, while the new one is
//    not yet available, the oldest old one;
//  - on a node where no pod may stay (selector, affinity or an untolerated NoExecute taint),
//    every pod is deleted;
//  - pods pinned to a node that no longer exists and never bound are deleted (nothing else
//    would: the pod GC only collects pods bound to a vanished node).
import { isPodAvailable, isPodReady } from '../../controller/controller-utils.ts';
import { compareByCreationAndBinding, targetNodeName } from './daemon-pods.ts';
import { failedPodsBackoffKey, type Backoff } from './failed-pods-backoff.ts';
import { nodeShouldRunDaemonPod } from './node-should-run.ts';
import { CONTROLLER_REVISION_HASH_LABEL, type DaemonSet, type Node, type Pod } from './types.ts';
import { allowsSurge } from './update-strategy.ts';

/** Event reasons of the DaemonSet controller. */
export const SELECTING_ALL_REASON = 'SelectingAll';
export const FAILED_DAEMON_POD_REASON = 'FailedDaemonPod';
export const SUCCEEDED_DAEMON_POD_REASON = 'SucceededDaemonPod';

export interface PlanEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface ManagePlan {
  /** node names, one new pod each */
  nodesNeedingDaemonPods: string[];
  /** pod names */
  podsToDelete: string[];
  /** events to record on the DaemonSet */
  events: PlanEvent[];
  /** look again after this long (a failed pod waiting out its back-off), if set */
  requeueAfterMs?: number;
}

/**
 * The DaemonSet's pods grouped by the node they run on or are pinned to (getNodesToDaemonPods).
 * Unless `includeDeletedTerminal`, finished pods already being deleted are left out: only their
 * finalizers or the kubelet keep them, and the controller has nothing more to do with them.
 * Pods naming no node are reported through `unplaceable` and skipped.
 */
export function groupByNode(pods: readonly Pod[], includeDeletedTerminal: boolean, unplaceable?: (pod: Pod, reason: string) => void): Map<string, Pod[]> {
  const byNode = new Map<string, Pod[]>();
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (!includeDeletedTerminal && (phase === 'Succeeded' || phase === 'Failed') && pod.metadata.deletionTimestamp) continue;
    let nodeName: string;
    try {
      nodeName = targetNodeName(pod);
    } catch (err) {
      unplaceable?.(pod, (err as Error).message);
      continue;
    }
    const list = byNode.get(nodeName);
    if (list) list.push(pod);
    else byNode.set(nodeName, [pod]);
  }
  return byNode;
}

/** What manage does this sync, over every node. */
export function planManage(ds: DaemonSet, nodes: readonly Node[], byNode: ReadonlyMap<string, Pod[]>, hash: string, now: number, backoff: Backoff): ManagePlan {
  const plan: ManagePlan = { nodesNeedingDaemonPods: [], podsToDelete: [], events: [] };
  for (const node of nodes) planNode(plan, ds, node, byNode, hash, now, backoff);
  plan.podsToDelete.push(...unscheduledPodsWithoutNode(nodes, byNode));
  return plan;
}

function planNode(plan: ManagePlan, ds: DaemonSet, node: Node, byNode: ReadonlyMap<string, Pod[]>, hash: string, now: number, backoff: Backoff): void {
  const nodeName = node.metadata.name ?? '';
  const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
  const daemonPods = byNode.get(nodeName);
  if (shouldRun && !daemonPods) {
    plan.nodesNeedingDaemonPods.push(nodeName);
    return;
  }
  if (shouldContinueRunning) {
    const running = keepRunningPods(plan, ds, nodeName, daemonPods ?? [], now, backoff);
    pruneRunningPods(plan, ds, nodeName, shouldRun, running, hash, now);
    return;
  }
  if (daemonPods) {
    for (const pod of daemonPods) if (!pod.metadata.deletionTimestamp) plan.podsToDelete.push(pod.metadata.name ?? '');
  }
}

/** Plans the deletion of finished pods; the pods still running. */
function keepRunningPods(plan: ManagePlan, ds: DaemonSet, nodeName: string, pods: readonly Pod[], now: number, backoff: Backoff): Pod[] {
  const running: Pod[] = [];
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const podName = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
    const phase = pod.status?.phase;
    if (phase === 'Failed') {
      // A kubelet that keeps rejecting the pod must not make us delete and recreate it in a hot loop.
      const key = failedPodsBackoffKey(ds.metadata.uid ?? '', nodeName);
      if (backoff.isInBackOffSinceUpdate(key, now)) {
        const delay = backoff.get(key);
        plan.requeueAfterMs = plan.requeueAfterMs === undefined ? delay : Math.min(plan.requeueAfterMs, delay);
        continue;
      }
      backoff.next(key, now);
      plan.events.push({ type: 'Warning', reason: FAILED_DAEMON_POD_REASON, message: `Found failed daemon pod ${podName} on node ${nodeName}, will try to kill it` });
      plan.podsToDelete.push(pod.metadata.name ?? '');
    } else if (phase === 'Succeeded') {
      plan.events.push({ type: 'Normal', reason: SUCCEEDED_DAEMON_POD_REASON, message: `Found succeeded daemon pod ${podName} on node ${nodeName}, will try to delete it` });
      plan.podsToDelete.push(pod.metadata.name ?? '');
    } else {
      running.push(pod);
    }
  }
  return running;
}

/** At most one running pod per node — or, while surging, one new and one still-needed old pod. */
function pruneRunningPods(plan: ManagePlan, ds: DaemonSet, nodeName: string, shouldRun: boolean, running: Pod[], hash: string, now: number): void {
  const sorted = [...running].sort(compareByCreationAndBinding);
  if (!allowsSurge(ds)) {
    for (const pod of sorted.slice(1)) plan.podsToDelete.push(pod.metadata.name ?? '');
    return;
  }
  if (sorted.length <= 1) {
    // Surging needs at least one live pod on the node.
    if (sorted.length === 0 && shouldRun) plan.nodesNeedingDaemonPods.push(nodeName);
    return;
  }
  let oldestNew: Pod | undefined;
  let oldestOld: Pod | undefined;
  for (const pod of sorted) {
    const isNew = pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash;
    if (isNew && !oldestNew) oldestNew = pod;
    else if (!isNew && !oldestOld) oldestOld = pod;
    else plan.podsToDelete.push(pod.metadata.name ?? '');
  }
  if (!oldestNew || !oldestOld) return;
  // The old pod goes once it stops being ready, or once the new one is available.
  if (!isPodReady(oldestOld) || isPodAvailable(oldestNew, ds.spec?.minReadySeconds ?? 0, now)) {
    plan.podsToDelete.push(oldestOld.metadata.name ?? '');
  }
}

/** getUnscheduledPodsWithoutNode: never-bound pods pinned to nodes that are gone. */
export function unscheduledPodsWithoutNode(nodes: readonly Node[], byNode: ReadonlyMap<string, Pod[]>): string[] {
  const existing = new Set(nodes.map((n) => n.metadata.name ?? ''));
  const result: string[] = [];
  for (const [nodeName, pods] of byNode) {
    if (existing.has(nodeName)) continue;
    for (const pod of pods) if (!pod.spec?.nodeName) result.push(pod.metadata.name ?? '');
  }
  return result;
}
