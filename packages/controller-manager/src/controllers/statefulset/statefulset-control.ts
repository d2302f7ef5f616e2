// One StatefulSet's reconciliation (stateful_set_control.go), given its pods and revisions:
//  1. revisions: the update revision is a snapshot of the template now (created, or an earlier
//     one renumbered — a rollback), the current one is status.currentRevision's;
//  2. the pods are split into replicas (ordinals in [start, start+replicas)) and condemned
//     (ordinals beyond); missing replicas are planned at the right revision;
//  3. each replica is processed in ordinal order: a finished pod is deleted (and made again on
//     a later sync), a missing one created with its claims, a drifted one repaired. With
//     OrderedReady the loop stops at the first pod it creates or that is not yet Running, Ready
//     and available; with Parallel all go at once;
//  4. condemned pods are deleted highest ordinal first (OrderedReady: one at a time, each only
//     when every other pod is healthy);
//  5. RollingUpdate deletes the highest-ordinal pod at or above the partition that is not at
//     the update revision, one at a time, waiting for each to come back available; OnDelete
//     leaves that to the user;
//  6. status is written when it changed, and revisions beyond revisionHistoryLimit no pod uses
//     are deleted.
import { errorMessage, isConflict, isNotFound, type Clock, type Logger, type ResourceClient } from '@k8ts/client';
import { slowStartBatch } from '../../controller/controller-utils.ts';
import { equalRevision, nextRevision, type ControllerRevision, type RevisionHistory } from '../../controller/history.ts';
import { objectKey } from '../object-key.ts';
import {
  endOrdinal,
  identityMatches,
  isCreated,
  isFailed,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  isUnavailable,
  newVersionedStatefulSetPod,
  ordinalOf,
  podInOrdinalRange,
  podRevision,
  startOrdinal,
  storageMatches,
} from './identity.ts';
import { applyRevision, findEqualRevisions, newRevision, revisionsToTruncate } from './revisions.ts';
import type { StatefulPodControl } from './stateful-pod-control.ts';
import { completeRollingUpdate, countReplicas, inconsistentStatus, toWireStatus, type ComputedStatus } from './status.ts';
import { replicasOf, type Pod, type StatefulSet } from './types.ts';

export interface StatefulSetControlDeps {
  podControl: StatefulPodControl;
  history: RevisionHistory;
  sets: ResourceClient<StatefulSet>;
  clock: Clock;
  logger: Logger;
}

/** A conflicting status write is retried this many times (retry.DefaultRetry's steps). */
const STATUS_RETRIES = 5;

interface Revisions {
  current: ControllerRevision;
  update: ControllerRevision;
  collisionCount: number;
}

export class StatefulSetControl {
  constructor(private readonly deps: StatefulSetControlDeps) {}

  /**
   * UpdateStatefulSet: reconciles `set` given its `pods` and its `revisions` (sorted), writes
   * its status, trims its history; the status computed, or throws what went wrong.
   */
  async updateStatefulSet(set: StatefulSet, pods: Pod[], revisions: ControllerRevision[]): Promise<ComputedStatus> {
    const errors: unknown[] = [];
    let found: Revisions | undefined;
    let status: ComputedStatus | undefined;
    try {
      found = await this.revisions(set, revisions);
      const result = await this.syncPods(set, found, pods);
      status = result.status;
      if (result.error !== undefined) errors.push(result.error);
      await this.updateStatus(set, status).catch((err: unknown) => errors.push(err));
    } catch (err) {
      errors.push(err);
    }
    try {
      for (const old of revisionsToTruncate(set, pods, revisions, found?.current, found?.update)) await this.deps.history.delete(old);
    } catch (err) {
      errors.push(err);
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new Error(`[${errors.map(errorMessage).join(', ')}]`);
    return status!;
  }

  /** getStatefulSetRevisions. */
  private async revisions(set: StatefulSet, revisions: ControllerRevision[]): Promise<Revisions> {
    const collisionCount = { value: set.status?.collisionCount ?? 0 };
    let update = newRevision(set, nextRevision(revisions), collisionCount.value);
    const equal = findEqualRevisions(revisions, update);
    const latest = revisions[revisions.length - 1];
    const newestEqual = equal[equal.length - 1];
    if (latest && newestEqual && equalRevision(latest, newestEqual)) {
      // The template has not changed since the last revision.
      update = latest;
    } else if (newestEqual) {
      // Back to an earlier template (a rollback): that revision becomes the newest again.
      update = await this.deps.history.updateRevisionNumber(newestEqual, update.revision);
    } else {
      update = await this.deps.history.create(set, update, collisionCount);
    }
    const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;
    return { current, update, collisionCount: collisionCount.value };
  }

  /** updateStatefulSet: creates, repairs and deletes pods; the status to record, and the first failure. */
  private async syncPods(set: StatefulSet, revisions: Revisions, pods: Pod[]): Promise<{ status: ComputedStatus; error?: unknown }> {
    const { current, update } = revisions;
    const now = this.deps.clock.now();
    const minReadySeconds = set.spec?.minReadySeconds ?? 0;
    const currentSet = applyRevision(set, current);
    const updateSet = applyRevision(set, update);
    const [currentName, updateName] = [current.metadata.name ?? '', update.metadata.name ?? ''];
    const status: ComputedStatus = {
      observedGeneration: set.metadata.generation ?? 0,
      currentRevision: currentName,
      updateRevision: updateName,
      collisionCount: revisions.collisionCount,
      ...countReplicas(pods, minReadySeconds, current, update, now),
    };

    const start = startOrdinal(set);
    const replicas: Pod[] = new Array<Pod>(replicasOf(set));
    const condemned: Pod[] = [];
    for (const pod of pods) {
      if (podInOrdinalRange(pod, set)) replicas[ordinalOf(pod) - start] = pod;
      else if (ordinalOf(pod) >= 0) condemned.push(pod);
    }
    for (let ordinal = start; ordinal <= endOrdinal(set); ordinal++) {
      replicas[ordinal - start] ??= newVersionedStatefulSetPod(currentSet, updateSet, currentName, updateName, ordinal);
    }
    condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
    // The first pod not serving: the lowest replica, else the lowest condemned pod.
    const firstUnavailable =
      replicas.find((pod) => isUnavailable(pod, minReadySeconds, now)) ?? [...condemned].reverse().find((pod) => isUnavailable(pod, minReadySeconds, now));
    const recount = (): ComputedStatus => Object.assign(status, countReplicas([...replicas, ...condemned], minReadySeconds, current, update, now));

    // A set being deleted only has its status recorded.
    if (set.metadata.deletionTimestamp) return { status };

    const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
    try {
      if (await runForAll(replicas.length, (i) => this.processReplica(set, updateSet, monotonic, replicas, i, now), monotonic)) return { status: recount() };
      const fixClaims = async (i: number): Promise<boolean> => {
        const { podControl } = this.deps;
        if (!podControl.claimsMatchRetentionPolicy(updateSet, condemned[i]!)) await podControl.updateClaimsForRetentionPolicy(updateSet, condemned[i]!);
        return false;
      };
      if (await runForAll(condemned.length, fixClaims, monotonic)) return { status: recount() };
      const processCondemned = (i: number): Promise<boolean> => this.processCondemned(set, firstUnavailable, monotonic, condemned[i]!, now);
      if (await runForAll(condemned.length, processCondemned, monotonic)) return { status: recount() };
    } catch (error) {
      return { status: recount(), error };
    }
    recount();

    // OnDelete: pods are updated when the user deletes them.
    if (set.spec?.updateStrategy?.type === 'OnDelete') return { status };

    const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    for (let target = replicas.length - 1; target >= partition; target--) {
      const pod = replicas[target]!;
      if (podRevision(pod) !== updateName && !isTerminating(pod)) {
        this.deps.logger.info(`Pod ${pod.metadata.name} of StatefulSet ${objectKey(set)} is terminating for update`);
        let error: unknown;
        try {
          await this.deps.podControl.deleteStatefulPod(set, pod);
        } catch (err) {
          if (!isNotFound(err)) error = err;
        }
        if (error === undefined) status.currentReplicas--;
        return { status, error };
      }
      // Wait for the updated pod to serve before taking down the next one.
      if (isUnavailable(pod, minReadySeconds, now)) return { status };
    }
    return { status };
  }

  /** processReplica: true when this sync should go no further (OrderedReady). */
  private async processReplica(set: StatefulSet, updateSet: StatefulSet, monotonic: boolean, replicas: Pod[], i: number, now: number): Promise<boolean> {
    const { podControl } = this.deps;
    const pod = replicas[i]!;
    // A finished pod (Failed, or Succeeded — an evicted pod's phase follows its exit code) is
    // deleted; the next sync, after it is gone, makes a new one with the same name.
    if (isFailed(pod) || isSucceeded(pod)) {
      if (!pod.metadata.deletionTimestamp) await podControl.deleteStatefulPod(set, pod);
      return true;
    }
    if (!isCreated(pod)) {
      // Its claim still belongs to the pod scaled away before: wait for the garbage collector.
      if (podControl.podClaimIsStale(set, pod)) return true;
      await podControl.createStatefulPod(set, pod);
      if (monotonic) return true;
    }
    // A pending pod may be waiting for a claim someone deleted.
    if (isPending(pod)) await podControl.createMissingClaims(set, pod);
    // OrderedReady: every pod waits until its predecessors are Running, Ready and available.
    if (monotonic && isUnavailable(pod, set.spec?.minReadySeconds ?? 0, now)) return true;
    if (identityMatches(set, pod) && storageMatches(set, pod) && podControl.claimsMatchRetentionPolicy(updateSet, pod)) return false;
    await podControl.updateStatefulPod(updateSet, pod);
    return false;
  }

  /** processCondemned: deletes one pod beyond the replicas; true when this sync should go no further. */
  private async processCondemned(set: StatefulSet, firstUnavailable: Pod | undefined, monotonic: boolean, pod: Pod, now: number): Promise<boolean> {
    // OrderedReady waits for a terminating pod to be gone before the next.
    if (isTerminating(pod)) return monotonic;
    // OrderedReady scales down only while everything else serves (the one unhealthy pod may go).
    const serving = isRunningAndReady(pod) && isRunningAndAvailable(pod, set.spec?.minReadySeconds ?? 0, now);
    if (monotonic && pod !== firstUnavailable && !serving) return true;
    this.deps.logger.info(`Pod ${pod.metadata.name} of StatefulSet ${objectKey(set)} is terminating for scale down`);
    await this.deps.podControl.deleteStatefulPod(set, pod);
    return true;
  }

  /** updateStatefulSetStatus: writes the status when it differs from the stored one. */
  private async updateStatus(set: StatefulSet, status: ComputedStatus): Promise<void> {
    completeRollingUpdate(set, status);
    if (!inconsistentStatus(set, status)) return;
    const client = this.deps.sets.namespace(set.metadata.namespace ?? '');
    let target = set;
    for (let attempt = 0; ; attempt++) {
      try {
        await client.updateStatus({ ...target, status: toWireStatus(status) });
        return;
      } catch (err) {
        if (!isConflict(err) || attempt >= STATUS_RETRIES - 1) throw err;
        target = await client.get(set.metadata.name ?? '');
      }
    }
  }
}

/**
 * runForAll: OrderedReady runs `fn` over the pods in order, stopping when it asks to; Parallel
 * runs it over all of them in slow-start batches (1, 2, 4, …), stopping only on a failure.
 * True when the sync should go no further; throws the (first) failure.
 */
async function runForAll(count: number, fn: (i: number) => Promise<boolean>, monotonic: boolean): Promise<boolean> {
  if (monotonic) {
    for (let i = 0; i < count; i++) if (await fn(i)) return true;
    return false;
  }
  let next = 0;
  const { error } = await slowStartBatch(count, 1, async () => {
    await fn(next++);
  });
  if (error !== undefined) throw error;
  return false;
}
