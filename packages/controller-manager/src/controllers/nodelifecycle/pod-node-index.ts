// Pods by the node they are bound to: the informer index kube-controller-manager shares
// between its node controllers (controller.AddPodNodeNameIndexer), so "the pods on node n"
// is a lookup rather than a scan of every pod in the cluster.
import type { SharedIndexInformer } from '@k8ts/client';
import type { Pod } from './node-types.ts';

export const POD_NODE_NAME_INDEX = 'spec.nodeName';

/** Adds the index unless another controller already did (it must run before the informer starts). */
export function ensurePodNodeNameIndex(pods: SharedIndexInformer<Pod>): void {
  if (POD_NODE_NAME_INDEX in pods.getIndexer().getIndexers()) return;
  pods.addIndexers({ [POD_NODE_NAME_INDEX]: (pod) => (pod.spec?.nodeName ? [pod.spec.nodeName] : []) });
}

export function podsOnNode(pods: SharedIndexInformer<Pod>, nodeName: string): Pod[] {
  return pods.getIndexer().byIndex(POD_NODE_NAME_INDEX, nodeName);
}
