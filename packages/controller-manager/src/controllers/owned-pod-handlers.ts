// The pod event handlers the ReplicaSet, DaemonSet and StatefulSet controllers share
// (kube-controller-manager's addPod/updatePod/deletePod of each): a pod's owner is queued when
// the pod comes, changes or goes; an orphan's possible adopters when it comes or its labels
// change; the owner that lost a pod to a new controller reference too. Observed creations and
// deletions settle the owner's expectations, and a pod that just became ready queues its owner
// again for when it becomes available.
import { isDeepStrictEqual } from 'node:util';
import type { DeletedFinalStateUnknown, RateLimitingQueue, SharedIndexInformer } from '@k8ts/client';
import { isPodReady } from '../controller/controller-utils.ts';
import type { Pod } from '../controller/workload-types.ts';
import type { DependentOwners, SelectingOwner } from './dependent-owners.ts';
import { objectKey } from './object-key.ts';
import { objectOf } from './tombstone.ts';

/** ControllerExpectations and UIDTrackingControllerExpectations both fit. */
export interface PodExpectations {
  creationObserved(ownerKey: string): void;
  deletionObserved(ownerKey: string, podKey: string): void;
}

/**
 * What an update that starts a pod's graceful deletion is. 'deletion': the pod's deletion,
 * observed now rather than after the grace period (DaemonSets); 'deletion-of-both-states': the
 * same, and the old state's too when the labels changed with it (ReplicaSets); 'update': an
 * ordinary update (StatefulSets, which keep no expectations).
 */
export type GracefulDeletionUpdate = 'deletion' | 'deletion-of-both-states' | 'update';

export interface OwnedPodHandlerOptions<O extends SelectingOwner> {
  owners: DependentOwners<O>;
  /** Where owner keys go (only adding is needed). */
  queue: Pick<RateLimitingQueue<string>, 'add' | 'addAfter'>;
  expectations?: PodExpectations;
  gracefulDeletion: GracefulDeletionUpdate;
}

type MinReadyOwner = SelectingOwner & { spec?: { minReadySeconds?: number } };

export class OwnedPodHandlers<O extends MinReadyOwner> {
  constructor(private readonly options: OwnedPodHandlerOptions<O>) {}

  /** Registers the handlers on the pod informer. */
  watch(pods: SharedIndexInformer<Pod>): void {
    pods.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (obj) => this.deletePod(obj),
    });
  }

  addPod(pod: Pod): void {
    // Seen for the first time already being deleted (e.g. after a relist): a deletion to count.
    if (pod.metadata.deletionTimestamp) {
      this.deletePod(pod);
      return;
    }
    const { controller, adopters } = this.options.owners.ofAdded(pod);
    if (controller) {
      this.options.expectations?.creationObserved(objectKey(controller));
      this.enqueue(controller);
    }
    // An orphan: whoever could adopt it should look (no creation is observed: nobody waits for orphans).
    for (const owner of adopters) this.enqueue(owner);
  }

  updatePod(old: Pod, cur: Pod): void {
    // A resync of an unchanged pod.
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const { gracefulDeletion } = this.options;
    if (cur.metadata.deletionTimestamp && gracefulDeletion !== 'update') {
      this.deletePod(cur);
      const relabelled = !isDeepStrictEqual(old.metadata.labels ?? {}, cur.metadata.labels ?? {});
      if (gracefulDeletion === 'deletion-of-both-states' && relabelled) this.deletePod(old);
      return;
    }
    const { previous, controller, adopters } = this.options.owners.ofUpdated(old, cur);
    if (previous) this.enqueue(previous);
    if (controller) {
      this.enqueue(controller);
      // Ready now: available minReadySeconds later; look again then (plus a second of slack).
      const minReadySeconds = controller.spec?.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReadySeconds > 0) this.options.queue.addAfter(objectKey(controller), minReadySeconds * 1000 + 1000);
    }
    for (const owner of adopters) this.enqueue(owner);
  }

  deletePod(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = objectOf(obj);
    const owner = this.options.owners.controllerOf(pod);
    if (!owner) return;
    this.options.expectations?.deletionObserved(objectKey(owner), objectKey(pod));
    this.enqueue(owner);
  }

  private enqueue(owner: O): void {
    this.options.queue.add(objectKey(owner));
  }
}
