// kube-scheduler 1.32's default profile: the multiPoint plugins in order, with their default
// score weights (TaintToleration 3; NodeAffinity, PodTopologySpread, InterPodAffinity 2; the
// rest 1). The volume plugins are absent: k8ts has no volume binding yet.
import type { DefaultSelectorFunc, PluginEntry } from '../framework/interfaces.ts';
import { BalancedAllocation } from './balanced-allocation.ts';
import { ImageLocality } from './image-locality.ts';
import { InterPodAffinity } from './inter-pod-affinity.ts';
import { NodeAffinity } from './node-affinity.ts';
import { NodeName } from './node-name.ts';
import { NodePorts } from './node-ports.ts';
import { NodeResourcesFit } from './node-resources-fit.ts';
import { NodeUnschedulable } from './node-unschedulable.ts';
import { PodTopologySpread } from './pod-topology-spread.ts';
import { TaintToleration } from './taint-toleration.ts';

export interface DefaultPluginsOptions {
  /**
   * The selector of the Services, ReplicationControllers, ReplicaSets and StatefulSets that
   * select a pod (helper.DefaultSelector): PodTopologySpread's system default constraints
   * spread such pods over hostnames and zones. Without it they do not apply.
   */
  defaultSpreadSelector?: DefaultSelectorFunc;
}

export function defaultPlugins(options: DefaultPluginsOptions = {}): PluginEntry[] {
  return [
    { plugin: new NodeUnschedulable() },
    { plugin: new NodeName() },
    { plugin: new TaintToleration(), weight: 3 },
    { plugin: new NodeAffinity(), weight: 2 },
    { plugin: new NodePorts() },
    { plugin: new NodeResourcesFit(), weight: 1 },
    { plugin: new PodTopologySpread({ defaultSelector: options.defaultSpreadSelector }), weight: 2 },
    { plugin: new InterPodAffinity(), weight: 2 },
    { plugin: new BalancedAllocation(), weight: 1 },
    { plugin: new ImageLocality(), weight: 1 },
  ];
}
