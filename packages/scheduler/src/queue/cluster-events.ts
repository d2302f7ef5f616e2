// Cluster events: what changed in the cluster that may make an unschedulable pod schedulable.
// Each plugin registers the events that can change its verdict (kube-scheduler's
// EventsToRegister); when one happens, the pods that plugin rejected leave the unschedulable
// pool and are tried again. A pod rejected for no plugin's reason (an error) is retried on any
// event. The labels are kube-scheduler's, as they show in scheduler_queue_incoming_pods_total.
import type { JsonValue, KubeObject } from '@k8ts/api';

export type EventResource = 'Node' | 'Pod' | 'PodDisruptionBudget' | 'PersistentVolumeClaim' | 'PersistentVolume' | 'StorageClass' | 'WildCard';

export type ActionType =
  | 'Add'
  | 'Delete'
  | 'UpdateNodeAllocatable'
  | 'UpdateNodeLabel'
  | 'UpdateNodeTaint'
  | 'UpdateNodeCondition'
  | 'UpdateNodeAnnotation'
  | 'UpdatePodLabel'
  | 'UpdatePodScaleDown'
  | 'Update'
  | 'All';

export interface ClusterEvent {
  resource: EventResource;
  action: ActionType;
  label: string;
}

export const NODE_ADD: ClusterEvent = { resource: 'Node', action: 'Add', label: 'NodeAdd' };
export const ASSIGNED_POD_ADD: ClusterEvent = { resource: 'Pod', action: 'Add', label: 'AssignedPodAdd' };
export const ASSIGNED_POD_DELETE: ClusterEvent = { resource: 'Pod', action: 'Delete', label: 'AssignedPodDelete' };
export const UNSCHEDULABLE_TIMEOUT: ClusterEvent = { resource: 'WildCard', action: 'All', label: 'UnschedulableTimeout' };

interface EventInterest {
  resource: EventResource;
  actions: readonly ActionType[] | 'All';
}

const NODE_ANY_CHANGE: EventInterest = { resource: 'Node', actions: 'All' };
const POD_ANY_CHANGE: EventInterest = { resource: 'Pod', actions: 'All' };

/** The events each default plugin registers (the filters; score-only plugins never reject). */
export const PLUGIN_EVENTS: Readonly<Record<string, readonly EventInterest[]>> = {
  NodeUnschedulable: [{ resource: 'Node', actions: ['Add', 'UpdateNodeTaint'] }],
  NodeName: [{ resource: 'Node', actions: ['Add'] }],
  TaintToleration: [{ resource: 'Node', actions: ['Add', 'UpdateNodeTaint'] }],
  NodeAffinity: [{ resource: 'Node', actions: ['Add', 'UpdateNodeLabel'] }],
  NodePorts: [
    { resource: 'Pod', actions: ['Delete'] },
    { resource: 'Node', actions: ['Add', 'UpdateNodeAllocatable'] },
  ],
  NodeResourcesFit: [
    { resource: 'Pod', actions: ['Delete', 'UpdatePodScaleDown'] },
    { resource: 'Node', actions: ['Add', 'UpdateNodeAllocatable', 'UpdateNodeTaint', 'UpdateNodeLabel'] },
  ],
  PodTopologySpread: [POD_ANY_CHANGE, { resource: 'Node', actions: ['Add', 'Delete', 'UpdateNodeLabel', 'UpdateNodeTaint'] }],
  InterPodAffinity: [POD_ANY_CHANGE, { resource: 'Node', actions: ['Add', 'UpdateNodeLabel'] }],
  VolumeBinding: [
    { resource: 'StorageClass', actions: ['Add', 'Update'] },
    { resource: 'PersistentVolumeClaim', actions: ['Add', 'Update'] },
    { resource: 'PersistentVolume', actions: ['Add', 'Update'] },
    { resource: 'Node', actions: ['Add', 'UpdateNodeLabel', 'UpdateNodeTaint'] },
  ],
  DefaultPreemption: [{ resource: 'Pod', actions: ['Delete'] }, NODE_ANY_CHANGE],
};

/** Whether `event` may make a pod that `plugins` rejected schedulable. */
export function eventMayHelp(event: ClusterEvent, plugins: ReadonlySet<string>, registry: Readonly<Record<string, readonly EventInterest[]>> = PLUGIN_EVENTS): boolean {
  if (event.resource === 'WildCard' || plugins.size === 0) return true;
  for (const plugin of plugins) {
    // A plugin that registered nothing is conservative: any event may help.
    const interests = registry[plugin];
    if (interests === undefined) return true;
    for (const interest of interests) {
      if (interest.resource !== event.resource && interest.resource !== 'WildCard') continue;
      if (interest.actions === 'All' || event.action === 'All' || interest.actions.includes(event.action)) return true;
    }
  }
  return false;
}

function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

type Fields = Record<string, JsonValue | undefined>;

/** The events a node update amounts to (nodeSchedulingPropertiesChange); empty when nothing relevant changed. */
export function nodeUpdateEvents(oldNode: KubeObject, newNode: KubeObject): ClusterEvent[] {
  const oldSpec = (oldNode.spec ?? {}) as Fields;
  const newSpec = (newNode.spec ?? {}) as Fields;
  const oldStatus = (oldNode.status ?? {}) as Fields;
  const newStatus = (newNode.status ?? {}) as Fields;
  const events: ClusterEvent[] = [];
  if (Boolean(oldSpec.unschedulable) !== Boolean(newSpec.unschedulable)) {
    events.push({ resource: 'Node', action: 'UpdateNodeTaint', label: 'NodeSpecUnschedulableChange' });
  }
  if (!jsonEqual(oldStatus.allocatable, newStatus.allocatable)) events.push({ resource: 'Node', action: 'UpdateNodeAllocatable', label: 'NodeAllocatableChange' });
  if (!jsonEqual(oldNode.metadata?.labels, newNode.metadata?.labels)) events.push({ resource: 'Node', action: 'UpdateNodeLabel', label: 'NodeLabelChange' });
  if (!jsonEqual(oldSpec.taints, newSpec.taints)) events.push({ resource: 'Node', action: 'UpdateNodeTaint', label: 'NodeTaintChange' });
  if (!jsonEqual(conditionStates(oldStatus.conditions), conditionStates(newStatus.conditions))) {
    events.push({ resource: 'Node', action: 'UpdateNodeCondition', label: 'NodeConditionChange' });
  }
  if (!jsonEqual(oldNode.metadata?.annotations, newNode.metadata?.annotations)) {
    events.push({ resource: 'Node', action: 'UpdateNodeAnnotation', label: 'NodeAnnotationChange' });
  }
  return events;
}

/** Conditions by type and status only: heartbeat times change every few seconds and mean nothing here. */
function conditionStates(conditions: JsonValue | undefined): JsonValue {
  if (!Array.isArray(conditions)) return [];
  return conditions.map((c) => {
    const condition = (c ?? {}) as Fields;
    return `${String(condition.type)}=${String(condition.status)}`;
  });
}

/** The events an update of an assigned (bound) pod amounts to. */
export function assignedPodUpdateEvents(oldPod: KubeObject, newPod: KubeObject): ClusterEvent[] {
  const events: ClusterEvent[] = [];
  if (!jsonEqual(oldPod.metadata?.labels, newPod.metadata?.labels)) events.push({ resource: 'Pod', action: 'UpdatePodLabel', label: 'AssignedPodUpdate' });
  if (!jsonEqual(containerRequests(oldPod), containerRequests(newPod))) events.push({ resource: 'Pod', action: 'UpdatePodScaleDown', label: 'AssignedPodUpdate' });
  return events;
}

function containerRequests(pod: KubeObject): JsonValue {
  const containers = ((pod.spec ?? {}) as Fields).containers;
  if (!Array.isArray(containers)) return [];
  return containers.map((c) => ((((c ?? {}) as Fields).resources ?? {}) as Fields).requests ?? null);
}
