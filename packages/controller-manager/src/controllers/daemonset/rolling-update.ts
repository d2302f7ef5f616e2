// A RollingUpdate DaemonSet's next step (update.go rollingUpdate), as a plan: which old pods to
// delete and on which nodes to start new pods. The core loop (manage-plan.ts) then fills the
// nodes left without a pod, so replacing a pod is "delete old, let manage create new".
//  - Without surge (the default, maxUnavailable 1): old pods that are not available are
//    replaced at once; available old pods are deleted only while fewer than maxUnavailable
//    nodes lack an available pod. A node with a pod of each kind, or none, counts as unavailable.
//  - With maxSurge: a new pod is started beside an old one (at once when the old pod is not
//    available, else on up to maxSurge nodes at a time), and the old pod is deleted when the new
//    one becomes available. Old pods on nodes the DaemonSet no longer wants go only while more
//    pods are available than nodes want them, so the application never drops below 100%.
import { isPodAvailable } from '../../controller/controller-utils.ts';
import { isPodUpdated, templateGenerationOf } from './daemon-pods.ts';
import { nodeShouldRunDaemonPod } from './node-should-run.ts';
import type { DaemonSet, Node, Pod } from './types.ts';
import { surgeCount, unavailableCount } from './update-strategy.ts';

export interface RollingUpdatePlan {
  podsToDelete: string[];
  nodesToCreate: string[];
}

export interface RollingBudget {
  maxSurge: number;
  maxUnavailable: number;
  desiredNumberScheduled: number;
}

/**
 * updatedDesiredNodeCounts: the budget for the nodes that want a daemon pod, and `byNode` with
 * an empty entry for each of those nodes that has none. When the strategy allows neither surge
 * nor unavailability the controller accepts one unavailable node rather than never progressing.
 */
export function rollingBudget(ds: DaemonSet, nodes: readonly Node[], byNode: Map<string, Pod[]>): RollingBudget {
  let desiredNumberScheduled = 0;
  for (const node of nodes) {
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
    desiredNumberScheduled++;
    const name = node.metadata.name ?? '';
    if (!byNode.has(name)) byNode.set(name, []);
  }
  let maxUnavailable: number;
  let maxSurge: number;
  try {
    maxUnavailable = unavailableCount(ds, desiredNumberScheduled);
  } catch (err) {
    throw new Error(`invalid value for MaxUnavailable: ${(err as Error).message}`, { cause: err });
  }
  try {
    maxSurge = surgeCount(ds, desiredNumberScheduled);
  } catch (err) {
    throw new Error(`invalid value for MaxSurge: ${(err as Error).message}`, { cause: err });
  }
  if (desiredNumberScheduled > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable, desiredNumberScheduled };
}

/**
 * findUpdatedPodsOnNode: the node's live new and old pod; undefined when it has more than one of
 * either (the core loop prunes those first).
 */
export function updatedPodsOnNode(ds: DaemonSet, pods: readonly Pod[], hash: string): { newPod?: Pod; oldPod?: Pod } | undefined {
  const generation = templateGenerationOf(ds);
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return undefined;
      newPod = pod;
    } else {
      if (oldPod) return undefined;
      oldPod = pod;
    }
  }
  return { newPod, oldPod };
}

/** The rolling update's next step; `byNode` as groupByNode made it (it gains empty entries). */
export function planRollingUpdate(ds: DaemonSet, nodes: readonly Node[], byNode: Map<string, Pod[]>, hash: string, now: number): RollingUpdatePlan {
  const budget = rollingBudget(ds, nodes, byNode);
  return budget.maxSurge === 0 ? planWithoutSurge(ds, byNode, hash, now, budget) : planWithSurge(ds, nodes, byNode, hash, now, budget);
}

function planWithoutSurge(ds: DaemonSet, byNode: ReadonlyMap<string, Pod[]>, hash: string, now: number, budget: RollingBudget): RollingUpdatePlan {
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  let numUnavailable = 0;
  const replacements: string[] = [];
  const candidates: string[] = [];
  for (const pods of byNode.values()) {
    const found = updatedPodsOnNode(ds, pods, hash);
    if (!found) {
      numUnavailable++;
      continue;
    }
    const { newPod, oldPod } = found;
    if ((!oldPod && !newPod) || (oldPod && newPod)) {
      // The core loop creates or prunes here.
      numUnavailable++;
    } else if (newPod) {
      if (!isPodAvailable(newPod, minReadySeconds, now)) numUnavailable++;
    } else if (oldPod) {
      if (!isPodAvailable(oldPod, minReadySeconds, now)) {
        replacements.push(oldPod.metadata.name ?? '');
        numUnavailable++;
      } else if (numUnavailable < budget.maxUnavailable) {
        candidates.push(oldPod.metadata.name ?? '');
      }
    }
  }
  const remaining = Math.min(Math.max(budget.maxUnavailable - numUnavailable, 0), candidates.length);
  return { podsToDelete: [...replacements, ...candidates.slice(0, remaining)], nodesToCreate: [] };
}

function planWithSurge(
  ds: DaemonSet,
  nodes: readonly Node[],
  byNode: ReadonlyMap<string, Pod[]>,
  hash: string,
  now: number,
  budget: RollingBudget,
): RollingUpdatePlan {
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  const nodesByName = new Map(nodes.map((n) => [n.metadata.name ?? '', n]));
  const shouldRun = (nodeName: string): boolean => {
    const node = nodesByName.get(nodeName);
    if (!node) throw new Error(`couldn't get node for nodeName "${nodeName}": node "${nodeName}" not found`);
    return nodeShouldRunDaemonPod(node, ds).shouldRun;
  };
  const podsToDelete: string[] = [];
  const shouldNotRunPodsToDelete: string[] = [];
  const candidateNewNodes: string[] = [];
  const allowedNewNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const [nodeName, pods] of byNode) {
    const found = updatedPodsOnNode(ds, pods, hash);
    if (!found) {
      numSurge++;
      continue;
    }
    const { newPod, oldPod } = found;
    // Availability counts every node, even those being sunset.
    const counted = oldPod ?? newPod;
    if (counted && isPodAvailable(counted, minReadySeconds, now)) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      if (!isPodAvailable(oldPod, minReadySeconds, now)) {
        if (!shouldRun(nodeName)) podsToDelete.push(oldPod.metadata.name ?? '');
        else allowedNewNodes.push(nodeName);
      } else if (!shouldRun(nodeName)) {
        shouldNotRunPodsToDelete.push(oldPod.metadata.name ?? '');
      } else if (numSurge < budget.maxSurge) {
        candidateNewNodes.push(nodeName);
      }
      continue;
    }
    // Surged already: the old pod goes once the new one is available.
    if (!isPodAvailable(newPod, minReadySeconds, now)) numSurge++;
    else podsToDelete.push(oldPod.metadata.name ?? '');
  }
  const deletable = Math.min(numAvailable - budget.desiredNumberScheduled, shouldNotRunPodsToDelete.length);
  if (deletable > 0) podsToDelete.push(...shouldNotRunPodsToDelete.slice(0, deletable));
  const remainingSurge = Math.min(Math.max(budget.maxSurge - numSurge, 0), candidateNewNodes.length);
  return { podsToDelete, nodesToCreate: [...allowedNewNodes, ...candidateNewNodes.slice(0, remainingSurge)] };
}
