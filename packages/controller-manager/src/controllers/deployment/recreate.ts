// Recreate: scale every old ReplicaSet to 0, wait until none of their pods is left running,
// and only then create (or scale up) the new ReplicaSet — old and new never run side by side.
import { activeReplicaSets, actualReplicas } from './replica-sets.ts';
import type { DeploymentSync } from './sync.ts';
import { deploymentComplete } from './status.ts';
import { replicasOf, type Deployment, type Pod, type ReplicaSet } from './types.ts';

/** One sync of a Recreate Deployment; `podsByReplicaSet` maps ReplicaSet uid → its pods. */
export async function rolloutRecreate(sync: DeploymentSync, d: Deployment, rsList: ReplicaSet[], podsByReplicaSet: Map<string, Pod[]>): Promise<void> {
  // No new ReplicaSet yet: creating it now would scale up before the old ones are down.
  let { newRS, oldRSs } = await sync.getAllReplicaSetsAndSyncRevision(d, rsList, false);
  let allRSs = [...oldRSs, newRS];

  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs)) {
    if ((await sync.scaleReplicaSetAndRecordEvent(rs, 0, d)).scaled) scaledDown = true;
  }
  if (scaledDown) return sync.syncRolloutStatus(allRSs, newRS, d);
  if (oldPodsRunning(newRS, oldRSs, podsByReplicaSet)) return sync.syncRolloutStatus(allRSs, newRS, d);

  if (newRS === undefined) {
    ({ newRS, oldRSs } = await sync.getAllReplicaSetsAndSyncRevision(d, rsList, true));
    allRSs = [...oldRSs, newRS];
  }
  await sync.scaleReplicaSetAndRecordEvent(newRS!, replicasOf(d), d);
  if (deploymentComplete(d, d.status ?? {})) await sync.cleanupDeployment(oldRSs, d);
  return sync.syncRolloutStatus(allRSs, newRS, d);
}

/**
 * Whether an old ReplicaSet still reports pods, or any pod not of the new ReplicaSet has not
 * finished (Unknown counts as running: it may well be).
 */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], podsByReplicaSet: Map<string, Pod[]>): boolean {
  if (actualReplicas(oldRSs) > 0) return true;
  for (const [uid, pods] of podsByReplicaSet) {
    if (newRS !== undefined && newRS.metadata.uid === uid) continue;
    if (pods.some((pod) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed')) return true;
  }
  return false;
}
