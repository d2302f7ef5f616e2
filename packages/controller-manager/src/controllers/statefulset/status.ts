// A StatefulSet's status as the controller computes it: how many of its pods exist, are ready,
// available, at the current revision and at the update revision; a finished rolling update
// makes the update revision current. `kubectl rollout status statefulset/x` reads exactly
// these fields.
import type { ControllerRevision } from '../../controller/history.ts';
import { isCreated, isRunningAndAvailable, isRunningAndReady, isTerminating, podRevision } from './identity.ts';
import type { Pod, StatefulSet, StatefulSetStatus } from './types.ts';

/** The counters of computeReplicaStatus, summed over the pods the controller knows. */
export interface ReplicaCounts {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
}

/**
 * computeReplicaStatus over `pods` (planned pods not yet created count for nothing; a
 * terminating pod still counts as a replica and as ready, but at no revision).
 */
export function countReplicas(
  pods: readonly Pod[],
  minReadySeconds: number,
  currentRevision: ControllerRevision,
  updateRevision: ControllerRevision,
  now: number,
): ReplicaCounts {
  const counts: ReplicaCounts = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const pod of pods) {
    if (isCreated(pod)) counts.replicas++;
    if (isRunningAndReady(pod)) {
      counts.readyReplicas++;
      if (isRunningAndAvailable(pod, minReadySeconds, now)) counts.availableReplicas++;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      const revision = podRevision(pod);
      if (revision === currentRevision.metadata.name) counts.currentReplicas++;
      if (revision === updateRevision.metadata.name) counts.updatedReplicas++;
    }
  }
  return counts;
}

/** The status fields a sync determines, the counters to be filled in from the pods. */
export interface ComputedStatus extends ReplicaCounts {
  observedGeneration: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
}

/**
 * completeRollingUpdate: once every replica is updated and ready, the update revision becomes
 * the current one.
 */
export function completeRollingUpdate(set: StatefulSet, status: ComputedStatus): void {
  const type = set.spec?.updateStrategy?.type ?? 'RollingUpdate';
  if (type === 'RollingUpdate' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

/** inconsistentStatus: whether the set's stored status differs from the computed one. */
export function inconsistentStatus(set: StatefulSet, status: ComputedStatus): boolean {
  const stored = set.status;
  return (
    status.observedGeneration > (stored?.observedGeneration ?? 0) ||
    status.replicas !== (stored?.replicas ?? 0) ||
    status.currentReplicas !== (stored?.currentReplicas ?? 0) ||
    status.readyReplicas !== (stored?.readyReplicas ?? 0) ||
    status.updatedReplicas !== (stored?.updatedReplicas ?? 0) ||
    status.currentRevision !== (stored?.currentRevision ?? '') ||
    status.availableReplicas !== (stored?.availableReplicas ?? 0) ||
    status.updateRevision !== (stored?.updateRevision ?? '')
  );
}

/**
 * The status as the API serves it: zero counters omitted, replicas and collisionCount always
 * present, the revisions when known.
 */
export function toWireStatus(status: ComputedStatus): StatefulSetStatus {
  return {
    ...(status.observedGeneration ? { observedGeneration: status.observedGeneration } : {}),
    replicas: status.replicas,
    ...(status.readyReplicas ? { readyReplicas: status.readyReplicas } : {}),
    ...(status.currentReplicas ? { currentReplicas: status.currentReplicas } : {}),
    ...(status.updatedReplicas ? { updatedReplicas: status.updatedReplicas } : {}),
    ...(status.currentRevision ? { currentRevision: status.currentRevision } : {}),
    ...(status.updateRevision ? { updateRevision: status.updateRevision } : {}),
    collisionCount: status.collisionCount,
    ...(status.availableReplicas ? { availableReplicas: status.availableReplicas } : {}),
  };
}
