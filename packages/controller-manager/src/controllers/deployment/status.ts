// A Deployment's status, computed from its ReplicaSets: the counters `kubectl get deploy` shows
// (READY, UP-TO-DATE, AVAILABLE), the Available condition, and — during a rollout — the
// Progressing condition that reports progress, success, or a missed progress deadline.
import {
  AVAILABLE,
  fromReplicaSetCondition,
  getCondition,
  MINIMUM_REPLICAS_AVAILABLE,
  MINIMUM_REPLICAS_UNAVAILABLE,
  newCondition,
  NEW_RS_AVAILABLE_REASON,
  PROGRESSING,
  removeCondition,
  REPLICA_FAILURE,
  REPLICA_SET_UPDATED_REASON,
  setCondition,
  TIMED_OUT_REASON,
} from './conditions.ts';
import { maxUnavailable } from './fenceposts.ts';
import { actualReplicas, availableReplicas, readyReplicas, semanticEqual, specReplicas } from './replica-sets.ts';
import { replicasOf, type Deployment, type DeploymentCondition, type DeploymentStatus, type ReplicaSet } from './types.ts';

/** progressDeadlineSeconds of math.MaxInt32 means "no deadline". */
const NO_DEADLINE = 2147483647;
/** revisionHistoryLimit of math.MaxInt32 means "keep everything". */
const KEEP_ALL_REVISIONS = 2147483647;

export function hasProgressDeadline(d: Deployment): boolean {
  return d.spec.progressDeadlineSeconds !== undefined && d.spec.progressDeadlineSeconds !== NO_DEADLINE;
}

export function hasRevisionHistoryLimit(d: Deployment): boolean {
  return d.spec.revisionHistoryLimit !== undefined && d.spec.revisionHistoryLimit !== KEEP_ALL_REVISIONS;
}

/** Drops zero counters, as the apiserver's JSON does, so statuses compare as they will be stored. */
function compact(status: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {};
  for (const [key, value] of Object.entries(status) as [keyof DeploymentStatus, unknown][]) {
    if (value === undefined || value === 0 || (Array.isArray(value) && value.length === 0)) continue;
    (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  return semanticEqual(compact(a ?? {}), compact(b ?? {}));
}

/** calculateStatus: counters from the ReplicaSets, conditions carried over, Available recomputed. */
export function calculateStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, now: string): DeploymentStatus {
  const available = availableReplicas(allRSs);
  const total = specReplicas(allRSs);
  const status: DeploymentStatus = compact({
    observedGeneration: d.metadata.generation,
    replicas: actualReplicas(allRSs),
    updatedReplicas: actualReplicas([newRS]),
    readyReplicas: readyReplicas(allRSs),
    availableReplicas: available,
    // More available than asked for happens while scaling down: that is not "unavailable".
    unavailableReplicas: Math.max(total - available, 0),
    collisionCount: d.status?.collisionCount,
  });
  status.conditions = (d.status?.conditions ?? []).map((c) => ({ ...c }));
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition(AVAILABLE, 'True', MINIMUM_REPLICAS_AVAILABLE, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition(AVAILABLE, 'False', MINIMUM_REPLICAS_UNAVAILABLE, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** Every desired replica updated and available, nothing else running, and this generation seen. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const replicas = replicasOf(d);
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** Progress since the last status: more updated, ready or available pods, or fewer old ones. */
export function deploymentProgressing(d: Deployment, status: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/**
 * Whether the rollout missed its deadline: no progress reported for progressDeadlineSeconds
 * since the Progressing condition was last updated. A completed rollout never times out.
 */
export function deploymentTimedOut(d: Deployment, status: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getCondition(status, PROGRESSING);
  if (!condition) return false;
  if (condition.reason === NEW_RS_AVAILABLE_REASON) return false;
  if (condition.reason === TIMED_OUT_REASON) return true;
  const from = Date.parse(condition.lastUpdateTime ?? '');
  return from + d.spec.progressDeadlineSeconds! * 1000 < nowMs;
}

/**
 * syncRolloutStatus's status: calculateStatus plus the Progressing condition (successfully
 * progressed / progressing / timed out) and the ReplicaFailure condition passed up from the
 * ReplicaSets (the new one's first).
 */
export function rolloutStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, nowMs: number, now: string): DeploymentStatus {
  const status = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(status, PROGRESSING);
  const current = getCondition(d.status, PROGRESSING);
  // A finished rollout being resynced: nothing to estimate.
  const alreadyComplete = (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === NEW_RS_AVAILABLE_REASON;
  if (hasProgressDeadline(d) && !alreadyComplete) {
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, status)) {
      setCondition(status, newCondition(PROGRESSING, 'True', NEW_RS_AVAILABLE_REASON, `${subject} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, status)) {
      // Progress refreshes lastUpdateTime even when the reason stays, which restarts the deadline.
      const condition = newCondition(PROGRESSING, 'True', REPLICA_SET_UPDATED_REASON, `${subject} is progressing.`, now);
      if (current) {
        if (current.status === 'True') condition.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, PROGRESSING);
      }
      setCondition(status, condition);
    } else if (deploymentTimedOut(d, status, nowMs)) {
      setCondition(status, newCondition(PROGRESSING, 'False', TIMED_OUT_REASON, `${subject} has timed out progressing.`, now));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(status, failure);
  else removeCondition(status, REPLICA_FAILURE);
  return status;
}

function replicaFailure(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentCondition | undefined {
  for (const rs of [newRS, ...allRSs]) {
    const failure = rs?.status?.conditions?.find((c) => c.type === REPLICA_FAILURE);
    if (failure) return fromReplicaSetCondition(failure);
  }
  return undefined;
}

/**
 * requeueStuckDeployment: how long until a rollout that shows no progress should be looked at
 * again to check its deadline (ms; 0 = now), or undefined when it need not be.
 */
export function progressCheckDelay(d: Deployment, status: DeploymentStatus, nowMs: number): number | undefined {
  const current = getCondition(d.status, PROGRESSING);
  if (!hasProgressDeadline(d) || !current) return undefined;
  if (deploymentComplete(d, status) || current.reason === TIMED_OUT_REASON) return undefined;
  const after = Date.parse(current.lastUpdateTime ?? '') + d.spec.progressDeadlineSeconds! * 1000 - nowMs;
  // Under a second: check now (rate-limited). Otherwise a second late, to be safely past it.
  return after < 1000 ? 0 : after + 1000;
}
