// kube-scheduler 1.32's default profile: the multiPoint plugins in order, with their default
// score weights (TaintToleration 3; NodeAffinity, PodTopologySpread, InterPodAffinity 2; the
// rest 1). Of the volume plugins only VolumeBinding exists; it needs the scheduler's storage
// informers, so a profile built without them (unit tests) leaves it out.
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
import { VolumeBinding, type VolumeBindingDeps } from './volume-binding.ts';

export interface DefaultPluginsOptions {
  /**
   * The selector of the Services, ReplicationControllers, ReplicaSets and StatefulSets that
   * select a pod (helper.DefaultSelector): PodTopologySpread's system default constraints
   * spread such pods over hostnames and zones. Without it they do not apply.
   */
  defaultSpreadSelector?: DefaultSelectorFunc;
  /** the claims, volumes and classes VolumeBinding reads and the clients it binds with */
  volumeBinding?: VolumeBindingDeps;
}

export function defaultPlugins(options: DefaultPluginsOptions = {}): PluginEntry[] {
  return [
    { plugin: new NodeUnschedulable() },
    { plugin: new NodeName() },
    { plugin: new TaintToleration(), weight: 3 },
    { plugin: new NodeAffinity(), weight: 2 },
    { plugin: new NodePorts() },
    { plugin: new NodeResourcesFit(), weight: 1 },
    ...(options.volumeBinding ? [{ plugin: new VolumeBinding(options.volumeBinding) }] : []),
    { plugin: new PodTopologySpread({ defaultSelector: options.defaultSpreadSelector }), weight: 2 },
    { plugin: new InterPodAffinity(), weight: 2 },
    { plugin: new BalancedAllocation(), weight: 1 },
    { plugin: new ImageLocality(), weight: 1 },
  ];
}
