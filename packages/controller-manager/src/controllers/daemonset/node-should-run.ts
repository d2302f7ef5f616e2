// Which nodes a DaemonSet runs on (NodeShouldRunDaemonPod): the DaemonSet's would-be pod for the
// node must fit its nodeName, its nodeSelector and required node affinity, and tolerate the
// node's NoSchedule and NoExecute taints. Two answers, because taints cut both ways: a node
// with an untolerated NoSchedule taint gets no new daemon pod, but a pod already there keeps
// running (kubectl taint … :NoSchedule evicts nothing); only an untolerated NoExecute taint —
// or a selector/affinity that no longer matches — removes it.
import { nodeSelectorTermMatches } from '@k8ts/api/storage/node-affinity.ts';
import { toleratesTaint } from '@k8ts/api/tolerations.ts';
import { newDaemonPod } from './daemon-pods.ts';
import { daemonPodSpecOf, taintsOf, type DaemonSet, type Node, type Pod, type Taint, type Toleration } from './types.ts';

export interface NodePlacement {
  /** a daemon pod should be created on the node if it has none */
  shouldRun: boolean;
  /** a daemon pod already on the node may stay */
  shouldContinueRunning: boolean;
}

export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): NodePlacement {
  const nodeName = node.metadata.name ?? '';
  const pod = newDaemonPod(ds, nodeName);
  const templateNodeName = daemonPodSpecOf(ds.spec?.template ?? {}).nodeName ?? '';
  if (templateNodeName !== '' && templateNodeName !== nodeName) return { shouldRun: false, shouldContinueRunning: false };
  if (!fitsNodeAffinity(pod, node)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = daemonPodSpecOf(pod).tolerations ?? [];
  const taints = taintsOf(node);
  if (hasUntoleratedTaint(taints, tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')) {
    return { shouldRun: false, shouldContinueRunning: !hasUntoleratedTaint(taints, tolerations, (t) => t.effect === 'NoExecute') };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/**
 * nodeaffinity.GetRequiredNodeAffinity(pod).Match: every nodeSelector label equal, and — when
 * the pod has required node affinity — one of its terms matching.
 */
export function fitsNodeAffinity(pod: Pod, node: Node): boolean {
  const spec = daemonPodSpecOf(pod);
  const labels = node.metadata.labels ?? {};
  for (const [key, value] of Object.entries(spec.nodeSelector ?? {})) {
    if (!Object.hasOwn(labels, key) || labels[key] !== value) return false;
  }
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  const identity = { name: node.metadata.name ?? '', labels };
  return (required.nodeSelectorTerms ?? []).some((term) => nodeSelectorTermMatches(term, identity));
}

/** FindMatchingUntoleratedTaint: whether a taint passing `include` is tolerated by none of `tolerations`. */
function hasUntoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[], include: (taint: Taint) => boolean): boolean {
  return taints.some((taint) => include(taint) && !tolerations.some((t) => toleratesTaint(t, taint)));
}
