// RollingUpdate: grow the new ReplicaSet into the room maxSurge leaves, and shrink the old ones
// as far as maxUnavailable allows — first their pods that are not available anyway (removing
// those costs no availability), then available ones while enough stay available. One step per
// sync; ReplicaSet status changes bring the Deployment back for the next.
import { maxUnavailable } from './fenceposts.ts';
import { activeReplicaSets, availableReplicas, byCreation, newReplicaSetReplicas, specReplicas } from './replica-sets.ts';
import type { DeploymentSync } from './sync.ts';
import { deploymentComplete } from './status.ts';
import { replicasOf, type Deployment, type ReplicaSet } from './types.ts';

/** One sync of a rolling Deployment. */
export async function rolloutRolling(sync: DeploymentSync, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await sync.getAllReplicaSetsAndSyncRevision(d, rsList, true);
  const allRSs = [...oldRSs, newRS!];

  if (await reconcileNewReplicaSet(sync, allRSs, newRS!, d)) return sync.syncRolloutStatus(allRSs, newRS, d);
  if (await reconcileOldReplicaSets(sync, allRSs, activeReplicaSets(oldRSs), newRS!, d)) return sync.syncRolloutStatus(allRSs, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) await sync.cleanupDeployment(oldRSs, d);
  return sync.syncRolloutStatus(allRSs, newRS, d);
}

/** Scales the new ReplicaSet towards spec.replicas (down, if it is above); true when it changed. */
async function reconcileNewReplicaSet(sync: DeploymentSync, allRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (replicasOf(newRS) === replicasOf(d)) return false;
  if (replicasOf(newRS) > replicasOf(d)) return (await sync.scaleReplicaSetAndRecordEvent(newRS, replicasOf(d), d)).scaled;
  return (await sync.scaleReplicaSetAndRecordEvent(newRS, newReplicaSetReplicas(d, allRSs, newRS), d)).scaled;
}

/**
 * How many old replicas may go now: all pods minus the minimum that must stay available minus
 * the new ReplicaSet's pods that are not available yet (they cannot be counted on).
 */
export function maxScaledDown(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): number {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  return specReplicas(allRSs) - minAvailable - newUnavailable;
}

/** The old ReplicaSets' unavailable pods that can go, oldest ReplicaSet first: [rs, newSize]. */
export function planUnhealthyCleanup(oldRSs: ReplicaSet[], maxCleanup: number): [ReplicaSet, number][] {
  const plan: [ReplicaSet, number][] = [];
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= maxCleanup) break;
    const unhealthy = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
    if (replicasOf(rs) === 0 || unhealthy <= 0) continue;
    const count = Math.min(maxCleanup - total, unhealthy);
    plan.push([rs, replicasOf(rs) - count]);
    total += count;
  }
  return plan;
}

/** Old pods that can go while at least spec.replicas - maxUnavailable stay available: [rs, newSize]. */
export function planScaleDown(d: Deployment, allRSs: ReplicaSet[], oldRSs: ReplicaSet[]): [ReplicaSet, number][] {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = availableReplicas(allRSs);
  if (available <= minAvailable) return [];
  const budget = available - minAvailable;
  const plan: [ReplicaSet, number][] = [];
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= budget) break;
    if (replicasOf(rs) === 0) continue;
    const count = Math.min(replicasOf(rs), budget - total);
    plan.push([rs, replicasOf(rs) - count]);
    total += count;
  }
  return plan;
}

/** Scales old ReplicaSets down within maxUnavailable; true when any changed. */
async function reconcileOldReplicaSets(sync: DeploymentSync, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (specReplicas(oldRSs) === 0) return false;
  const budget = maxScaledDown(d, allRSs, newRS);
  if (budget <= 0) return false;
  let scaledDown = 0;
  // Kubernetes logs and swallows failures here: the next sync tries again from fresh state.
  try {
    const current = new Map(oldRSs.map((rs) => [rs.metadata.uid, rs]));
    for (const [rs, size] of planUnhealthyCleanup(oldRSs, budget)) {
      const { rs: updated } = await sync.scaleReplicaSetAndRecordEvent(rs, size, d);
      scaledDown += replicasOf(rs) - size;
      current.set(rs.metadata.uid, updated);
    }
    const remaining = [...current.values()];
    for (const [rs, size] of planScaleDown(d, [...remaining, newRS], remaining)) {
      await sync.scaleReplicaSetAndRecordEvent(rs, size, d);
      scaledDown += replicasOf(rs) - size;
    }
  } catch (err) {
    sync.logger.warn(`deployment-controller: scaling down old replica sets of ${d.metadata.namespace}/${d.metadata.name}: ${(err as Error).message}`);
    return false;
  }
  return scaledDown > 0;
}
