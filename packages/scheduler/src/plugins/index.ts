// kube-scheduler's in-tree plugins of the default profile.
export { PluginNames } from './names.ts';
export { defaultPlugins, type DefaultPluginsOptions } from './default-plugins.ts';
export { prioritySortLess, podPriority, type QueuedPodTimestamp } from './priority-sort.ts';
export { NodeUnschedulable, ERR_REASON_UNSCHEDULABLE } from './node-unschedulable.ts';
export { NodeName, ERR_REASON_NODE_NAME } from './node-name.ts';
export { TaintToleration, untoleratedTaintReason } from './taint-toleration.ts';
export { NodeAffinity, ERR_REASON_NODE_AFFINITY } from './node-affinity.ts';
export { NodePorts, ERR_REASON_NODE_PORTS } from './node-ports.ts';
export { NodeResourcesFit, insufficientResources } from './node-resources-fit.ts';
export { BalancedAllocation } from './balanced-allocation.ts';
export { ImageLocality, computeImageStates, normalizedImageName } from './image-locality.ts';
export { PodTopologySpread, SYSTEM_DEFAULT_CONSTRAINTS, ERR_REASON_CONSTRAINTS_NOT_MATCH, ERR_REASON_NODE_LABEL_NOT_MATCH } from './pod-topology-spread.ts';
export {
  InterPodAffinity,
  ERR_REASON_AFFINITY,
  ERR_REASON_ANTI_AFFINITY,
  ERR_REASON_EXISTING_ANTI_AFFINITY,
} from './inter-pod-affinity.ts';
export { preempt, moreImportantPod, NOT_HELPFUL, NO_VICTIMS } from './default-preemption.ts';
export { toleratesTaint, findUntoleratedTaint } from './taints.ts';
export { nodeSelectorTermsMatch, podRequiredNodeAffinityMatches } from './node-selector.ts';
