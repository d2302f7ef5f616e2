// The node controllers' writes to Nodes and Pods (pkg/controller/util/node and
// controller_utils): taint changes sent as a patch of spec.taints guarded by the
// resourceVersion they were computed from (spec.taints has no merge key, so only a full
// replacement can remove one), retried on conflict from a fresh read; and MarkPodsNotReady.
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import { isConflict, isNotFound, type EventRecorder, type ResourceClient } from '@k8ts/client';
import type { Node, Pod, Taint } from './node-types.ts';

/** client-go's retry.DefaultBackoff steps for UpdateTaintBackoff. */
const TAINT_UPDATE_ATTEMPTS = 5;

/**
 * Rewrites the node's taints as `change` says (undefined: nothing to do), starting from
 * `node` as cached and re-reading it after a conflict. Returns false when the node is gone.
 */
export async function updateNodeTaints(
  nodes: ResourceClient<Node>,
  node: Node,
  change: (node: Node) => Taint[] | undefined,
): Promise<boolean> {
  let current = node;
  for (let attempt = 1; ; attempt++) {
    const taints = change(current);
    if (taints === undefined) return true;
    const patch = { metadata: { resourceVersion: current.metadata.resourceVersion ?? '' }, spec: { taints: taints.length > 0 ? taints : null } };
    try {
      await nodes.patch(current.metadata.name!, 'strategic', patch);
      return true;
    } catch (err) {
      if (!isConflict(err) || attempt >= TAINT_UPDATE_ATTEMPTS) throw err;
    }
    try {
      current = await nodes.get(node.metadata.name!);
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }
}

/**
 * MarkPodsNotReady: sets the Ready condition of each pod bound to the node to False (keeping
 * its reason and message, as Kubernetes does) and tells the pod why with a NodeNotReady event.
 */
export async function markPodsNotReady(pods: ResourceClient<Pod>, recorder: EventRecorder, podsOnNode: readonly Pod[], nodeName: string, now: number): Promise<void> {
  const failures: string[] = [];
  for (const cached of podsOnNode) {
    if (cached.spec?.nodeName !== nodeName) continue;
    const ready = cached.status?.conditions?.find((c) => c.type === 'Ready');
    if (!ready || ready.status === 'False') continue;
    const pod = structuredClone(cached);
    const condition = pod.status!.conditions!.find((c) => c.type === 'Ready')!;
    condition.status = 'False';
    condition.lastTransitionTime = formatRfc3339(Math.floor(now / 1000));
    try {
      await pods.namespace(pod.metadata.namespace ?? '').updateStatus(pod);
    } catch (err) {
      // Gone already: nothing left to mark.
      if (isNotFound(err)) continue;
      failures.push(`failed to update status for pod ${pod.metadata.namespace}/${pod.metadata.name}: ${(err as Error).message}`);
      continue;
    }
    recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
  }
  if (failures.length === 1) throw new Error(failures[0]);
  if (failures.length > 1) throw new Error(`[${failures.join(', ')}]`);
}

/** The reference node events are about (a Node is cluster-scoped; its events land in "default"). */
export function nodeReference(node: Node): { apiVersion: string; kind: string; name: string; uid: string } {
  return { apiVersion: 'v1', kind: 'Node', name: node.metadata.name ?? '', uid: node.metadata.uid ?? node.metadata.name ?? '' };
}

/** RecordNodeStatusChange: "Node n1 status is now: NodeNotReady". */
export function recordNodeStatusChange(recorder: EventRecorder, node: Node, status: string): void {
  recorder.event(nodeReference(node), 'Normal', status, `Node ${node.metadata.name} status is now: ${status}`);
}

/** RecordNodeEvent: "Node n1 event: Registered Node n1 in Controller". */
export function recordNodeEvent(recorder: EventRecorder, node: Node, type: 'Normal' | 'Warning', reason: string, event: string): void {
  recorder.event(nodeReference(node), type, reason, `Node ${node.metadata.name} event: ${event}`);
}
