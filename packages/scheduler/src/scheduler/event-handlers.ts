// How informer events reach the queue and the cache (kube-scheduler's eventhandlers.go):
//   pods without a node that a profile here serves  → the scheduling queue
//   pods with a node (bound)                         → the cache; their arrival, change or
//                                                      departure may help unschedulable pods
//   nodes                                            → the cache; node events may help too
// A pod that gets bound leaves the queue and enters the cache in one update.
import { DeletedFinalStateUnknown, type SharedIndexInformer } from '@k8ts/client';
import type { SchedulerCache } from '../cache/scheduler-cache.ts';
import type { Node, Pod } from '../framework/types.ts';
import { ASSIGNED_POD_ADD, ASSIGNED_POD_DELETE, assignedPodUpdateEvents, NODE_ADD, nodeUpdateEvents } from '../queue/cluster-events.ts';
import type { SchedulingQueue } from '../queue/scheduling-queue.ts';

export interface EventHandlerTargets {
  queue: SchedulingQueue<Pod>;
  cache: SchedulerCache;
  /** whether a profile of this scheduler serves the pod's spec.schedulerName */
  responsibleFor(pod: Pod): boolean;
}

function isAssigned(pod: Pod): boolean {
  return Boolean(pod.spec?.nodeName);
}

function unwrap<T>(obj: T | DeletedFinalStateUnknown<T>): T {
  return obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
}

/**
 * A newly bound pod can only help pods whose affinity or spreading counts other pods
 * (getUnschedulablePodsWithMatchingAffinityTerm, broadened to topology spread).
 */
function countsOtherPods(pod: Pod): boolean {
  const affinity = pod.spec.affinity;
  return Boolean(affinity?.podAffinity || affinity?.podAntiAffinity || (pod.spec.topologySpreadConstraints ?? []).length > 0);
}

export function addPodEventHandlers(informer: SharedIndexInformer<Pod>, { queue, cache, responsibleFor }: EventHandlerTargets): void {
  const addAssigned = (pod: Pod): void => {
    cache.addPod(pod);
    queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_ADD, countsOtherPods);
  };
  informer.addEventHandler({
    onAdd: (pod) => {
      if (isAssigned(pod)) addAssigned(pod);
      else if (responsibleFor(pod)) queue.add(pod);
    },
    onUpdate: (oldPod, newPod) => {
      if (oldPod.metadata.resourceVersion === newPod.metadata.resourceVersion && oldPod.metadata.resourceVersion !== undefined) return;
      if (isAssigned(newPod)) {
        if (!isAssigned(oldPod)) {
          if (responsibleFor(oldPod)) queue.delete(oldPod);
          addAssigned(newPod);
          return;
        }
        cache.updatePod(oldPod, newPod);
        for (const event of assignedPodUpdateEvents(oldPod, newPod)) {
          queue.moveAllToActiveOrBackoffQueue(event, event.action === 'UpdatePodLabel' ? countsOtherPods : undefined);
        }
        return;
      }
      // A pod assumed but not yet bound keeps changing (its status patch): leave it be.
      if (!responsibleFor(newPod) || cache.isAssumed(newPod)) return;
      queue.update(oldPod, newPod);
    },
    onDelete: (obj) => {
      const pod = unwrap(obj);
      if (isAssigned(pod)) {
        cache.removePod(pod);
        queue.deleteNominatedPodIfExists(pod);
        queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_DELETE);
      } else {
        queue.delete(pod);
      }
    },
  });
}

export function addNodeEventHandlers(informer: SharedIndexInformer<Node>, { queue, cache }: Pick<EventHandlerTargets, 'queue' | 'cache'>): void {
  informer.addEventHandler({
    onAdd: (node) => {
      cache.addNode(node);
      queue.moveAllToActiveOrBackoffQueue(NODE_ADD);
    },
    onUpdate: (oldNode, newNode) => {
      cache.updateNode(newNode);
      for (const event of nodeUpdateEvents(oldNode, newNode)) queue.moveAllToActiveOrBackoffQueue(event);
    },
    onDelete: (obj) => cache.removeNode(unwrap(obj)),
  });
}
