// The ReplicaSet controller: keeps spec.replicas pods running for every ReplicaSet. Keys are
// "namespace/name". A ReplicaSet is queued when it changes and when one of its pods does (found
// through the pod's controller reference, or — for an orphan — every ReplicaSet whose selector
// matches it). The sync is level-based: it claims the namespace's active pods (adopting
// matching orphans, releasing pods that stopped matching), compares their number with
// spec.replicas, creates the missing pods in slow-start batches or deletes the surplus in
// deletion-rank order, and writes status (replicas, fullyLabeledReplicas, readyReplicas,
// availableReplicas, observedGeneration and the ReplicaFailure condition).
// Expectations keep a sync that runs before the informer has seen the pods it just created or
// deleted from acting twice.
import { isDeepStrictEqual } from 'node:util';
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import { labelSelectorFromObject, type LabelSelector } from '@k8ts/api/selectors/index.ts';
import {
  errorMessage,
  isNotFound,
  type Clock,
  type EventRecorder,
  type Lister,
  type Logger,
  type RateLimitingQueue,
  type ResourceClient,
  type SharedIndexInformer,
} from '@k8ts/client';
import type { Controller } from '../../controller/context.ts';
import { podControllerRefManager, recheckDeletionTimestamp } from '../../controller/controller-ref-manager.ts';
import {
  controllerRefOf,
  filterActivePods,
  isPodAvailable,
  isPodReady,
  podKey,
  rankByRelatedPodsOnSameNode,
  slowStartBatch,
  sortForDeletion,
} from '../../controller/controller-utils.ts';
import { UIDTrackingControllerExpectations } from '../../controller/expectations.ts';
import { newControllerRef, PodControl } from '../../controller/pod-control.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';
import type { Pod, ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from '../../controller/workload-types.ts';
import { hasStatusCause, NAMESPACE_TERMINATING_CAUSE } from '../namespaces.ts';
import { objectOf } from '../tombstone.ts';
import { DependentOwners } from '../dependent-owners.ts';
import { objectKey } from '../object-key.ts';
import { OwnedPodHandlers } from '../owned-pod-handlers.ts';

export const REPLICASET_CONTROLLER = 'replicaset-controller';
export const REPLICASET_KIND = { group: 'apps', version: 'v1', kind: 'ReplicaSet' };

/** How many pods one sync creates or deletes at most. */
export const BURST_REPLICAS = 500;
/** The first slow-start batch of creations. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;
/** A status write that conflicts is retried once against a fresh read. */
const STATUS_UPDATE_RETRIES = 1;

export const REPLICA_FAILURE = 'ReplicaFailure';

export interface ReplicaSetControllerDeps {
  replicaSets: SharedIndexInformer<ReplicaSet>;
  pods: SharedIndexInformer<Pod>;
  replicaSetClient: ResourceClient<ReplicaSet>;
  podClient: ResourceClient<Pod>;
  /** source component "replicaset-controller" */
  recorder: EventRecorder;
  queue: RateLimitingQueue<string>;
  /** --concurrent-replicaset-syncs */
  workers: number;
  burstReplicas?: number;
  clock: Clock;
  logger: Logger;
}

export class ReplicaSetController implements Controller {
  readonly expectations: UIDTrackingControllerExpectations;
  private readonly replicaSets: Lister<ReplicaSet>;
  private readonly pods: Lister<Pod>;
  private readonly podControl: PodControl;
  private readonly burstReplicas: number;

  constructor(private readonly deps: ReplicaSetControllerDeps) {
    this.replicaSets = deps.replicaSets.lister();
    this.pods = deps.pods.lister();
    this.expectations = new UIDTrackingControllerExpectations(deps.clock, deps.logger);
    this.podControl = new PodControl({ pods: deps.podClient, recorder: deps.recorder, logger: deps.logger });
    this.burstReplicas = deps.burstReplicas ?? BURST_REPLICAS;
    deps.replicaSets.addEventHandler({
      onAdd: (rs) => this.enqueue(rs),
      onUpdate: (old, cur) => this.updateReplicaSet(old, cur),
      onDelete: (obj) => this.deleteReplicaSet(objectOf(obj)),
    });
    const owners = new DependentOwners(this.replicaSets, REPLICASET_KIND.kind, {
      logger: deps.logger,
      message: 'user error! more than one ReplicaSet is selecting pods with labels',
    });
    new OwnedPodHandlers({ owners, queue: deps.queue, expectations: this.expectations, gracefulDeletion: 'deletion-of-both-states' }).watch(deps.pods);
  }

  async run(signal: AbortSignal): Promise<void> {
    const { replicaSets, pods, queue, workers, clock, logger } = this.deps;
    logger.info(`Starting controller ${REPLICASET_CONTROLLER}`);
    const synced = [() => replicaSets.hasSynced(), () => pods.hasSynced()];
    if (!(await waitForNamedCacheSync('ReplicaSet', synced, signal, logger, clock))) return;
    await runWorkers({ controller: REPLICASET_CONTROLLER, queue, workers, sync: (key) => this.syncReplicaSet(key), logger }, signal);
  }

  /** Brings one ReplicaSet's pods and status in line with its spec. */
  async syncReplicaSet(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const cached = this.replicaSets.get(namespace, name);
    if (!cached) {
      this.deps.logger.info(`ReplicaSet ${key} has been deleted`);
      this.expectations.deleteExpectations(key);
      return;
    }
    const rs = ownerObject(cached);
    const needsSync = this.expectations.satisfiedExpectations(key);
    let selector: LabelSelector | null;
    try {
      selector = labelSelectorFromObject(rs.spec?.selector);
    } catch (err) {
      // A selector the apiserver should have refused: retrying cannot help.
      this.deps.logger.warn(`Error converting pod selector to selector for rs ${key}: ${errorMessage(err)}`);
      return;
    }
    const active = filterActivePods(this.pods.byNamespace(namespace).list());
    const owned = await this.claimPods(rs, selector, active);

    let manageError: unknown;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(owned, rs, key);
      } catch (err) {
        manageError = err;
      }
    }
    const status = calculateStatus(rs, owned, manageError, this.deps.clock.now());
    const updated = await this.updateStatus(rs, status);
    if (manageError !== undefined) throw manageError;
    // Pods that are ready but not yet available become available minReadySeconds later, with
    // no event to wake us: come back then.
    const minReadySeconds = updated.spec?.minReadySeconds ?? 0;
    const replicas = updated.spec?.replicas ?? 1;
    const st = updated.status;
    if (minReadySeconds > 0 && (st?.readyReplicas ?? 0) === replicas && (st?.availableReplicas ?? 0) !== replicas) {
      this.deps.queue.addAfter(key, minReadySeconds * 1000);
    }
  }

  /** The pods the ReplicaSet owns after adopting matching orphans and releasing strays. */
  private async claimPods(rs: ReplicaSet, selector: LabelSelector | null, pods: Pod[]): Promise<Pod[]> {
    const { namespace = '', name = '', uid } = rs.metadata;
    const client = this.deps.replicaSetClient.namespace(namespace);
    const manager = podControllerRefManager<Pod>({
      controller: rs,
      controllerKind: REPLICASET_KIND,
      selector,
      patch: (ns, podName, patch) => this.podControl.patchPod(ns, podName, patch),
      // The cached ReplicaSet may already be deleted or replaced: adopt only for the live one.
      canAdopt: recheckDeletionTimestamp(async () => {
        const fresh = await client.get(name);
        if (fresh.metadata.uid !== uid) {
          throw new Error(`original ReplicaSet ${namespace}/${name} is gone: got uid ${fresh.metadata.uid}, wanted ${uid}`);
        }
        return fresh;
      }),
    });
    return manager.claim(pods);
  }

  /** Creates or deletes pods so that `owned` reaches spec.replicas. */
  private async manageReplicas(owned: Pod[], rs: ReplicaSet, key: string): Promise<void> {
    const { logger } = this.deps;
    const want = rs.spec?.replicas ?? 1;
    const diff = owned.length - want;
    if (diff < 0) {
      const creating = Math.min(-diff, this.burstReplicas);
      // Expect them before creating any: the informer may report a new pod before create() returns.
      this.expectations.expectCreations(key, creating);
      logger.info(`Too few replicas for ReplicaSet ${key}, need ${want}, creating ${creating}`);
      const template = rs.spec?.template ?? {};
      const controllerRef = newControllerRef(rs, REPLICASET_KIND);
      const { successes, error } = await slowStartBatch(creating, SLOW_START_INITIAL_BATCH_SIZE, async () => {
        try {
          await this.podControl.createPods(rs.metadata.namespace ?? '', template, rs, controllerRef);
        } catch (err) {
          // The namespace is going away: nothing more will be created in it, and that is no failure.
          if (hasStatusCause(err, NAMESPACE_TERMINATING_CAUSE)) return;
          throw err;
        }
      });
      // Pods never created (or refused) will never be observed: stop waiting for them.
      const skipped = creating - successes;
      if (skipped > 0) {
        logger.info(`Slow-start failure. Skipping creation of ${skipped} pods, decrementing expectations for ReplicaSet ${key}`);
        for (let i = 0; i < skipped; i++) this.expectations.creationObserved(key);
      }
      if (error !== undefined) throw error;
      return;
    }
    if (diff > 0) {
      const deleting = Math.min(diff, this.burstReplicas);
      logger.info(`Too many replicas for ReplicaSet ${key}, need ${want}, deleting ${deleting}`);
      const victims = this.podsToDelete(owned, this.relatedPods(rs), deleting);
      // Expect them by name: a pod seen going twice (deletionTimestamp, then removal) counts once.
      this.expectations.expectDeletions(key, victims.map(podKey));
      const errors: unknown[] = [];
      await Promise.all(
        victims.map(async (pod) => {
          try {
            await this.podControl.deletePod(rs.metadata.namespace ?? '', pod.metadata.name ?? '', rs);
          } catch (err) {
            // This deletion will never be observed.
            this.expectations.deletionObserved(key, podKey(pod));
            if (!isNotFound(err)) errors.push(err);
          }
        }),
      );
      if (errors.length > 0) throw errors[0];
    }
  }

  /** The `count` pods to delete first: the least established, on the most crowded nodes. */
  private podsToDelete(owned: Pod[], related: Pod[], count: number): Pod[] {
    if (count >= owned.length) return owned;
    return sortForDeletion(rankByRelatedPodsOnSameNode(owned, related), this.deps.clock.now()).slice(0, count);
  }

  /**
   * getIndirectlyRelatedPods: the pods of every ReplicaSet with the same controller (the other
   * revisions of one Deployment), each counted once; none for a ReplicaSet without controller.
   */
  private relatedPods(rs: ReplicaSet): Pod[] {
    const owner = controllerRefOf(rs);
    if (!owner) return [];
    const namespace = rs.metadata.namespace ?? '';
    const seen = new Set<string>();
    const related: Pod[] = [];
    for (const sibling of this.replicaSets.byNamespace(namespace).list()) {
      if (controllerRefOf(sibling)?.uid !== owner.uid) continue;
      let selector: LabelSelector | null;
      try {
        selector = labelSelectorFromObject(sibling.spec?.selector);
      } catch {
        continue;
      }
      for (const pod of this.pods.byNamespace(namespace).list(selector)) {
        const uid = pod.metadata.uid ?? '';
        if (seen.has(uid)) continue;
        seen.add(uid);
        related.push(pod);
      }
    }
    return related;
  }

  /** Writes status through the status subresource when it changed; the ReplicaSet as written. */
  private async updateStatus(rs: ReplicaSet, status: ReplicaSetStatus): Promise<ReplicaSet> {
    const current = rs.status;
    const generation = rs.metadata.generation ?? 0;
    if (
      (current?.replicas ?? 0) === status.replicas &&
      (current?.fullyLabeledReplicas ?? 0) === (status.fullyLabeledReplicas ?? 0) &&
      (current?.readyReplicas ?? 0) === (status.readyReplicas ?? 0) &&
      (current?.availableReplicas ?? 0) === (status.availableReplicas ?? 0) &&
      (current?.observedGeneration ?? 0) === generation &&
      isDeepStrictEqual(current?.conditions ?? [], status.conditions ?? [])
    ) {
      return rs;
    }
    const next: ReplicaSetStatus = { ...status, ...(generation ? { observedGeneration: generation } : {}) };
    const client = this.deps.replicaSetClient.namespace(rs.metadata.namespace ?? '');
    let target = rs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await client.updateStatus({ ...target, status: next });
      } catch (err) {
        if (attempt >= STATUS_UPDATE_RETRIES) throw err;
        // Most likely a conflict: retry on the latest version.
        target = await client.get(rs.metadata.name ?? '');
      }
    }
  }

  private enqueue(rs: ReplicaSet): void {
    this.deps.queue.add(objectKey(rs));
  }

  private updateReplicaSet(old: ReplicaSet, cur: ReplicaSet): void {
    // Deleted and recreated under the same name between two events: forget the old one first.
    if (old.metadata.uid !== cur.metadata.uid) this.deleteReplicaSet(old);
    this.enqueue(cur);
  }

  private deleteReplicaSet(rs: ReplicaSet): void {
    const key = objectKey(rs);
    this.expectations.deleteExpectations(key);
    this.deps.queue.add(key);
  }
}

/**
 * calculateStatus: the ReplicaSet's status given the pods it owns, at `now`. A failed create or
 * delete sets the ReplicaFailure condition (kept while failures go on, with its first message);
 * a sync without failure removes it.
 */
export function calculateStatus(rs: ReplicaSet, owned: readonly Pod[], manageError: unknown, now: number): ReplicaSetStatus {
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of owned) {
    if (Object.entries(templateLabels).every(([k, v]) => pod.metadata.labels?.[k] === v)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
  }
  let conditions = [...(rs.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === REPLICA_FAILURE);
  if (manageError !== undefined && !failure) {
    const diff = owned.length - (rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const condition: ReplicaSetCondition = {
      type: REPLICA_FAILURE,
      status: 'True',
      lastTransitionTime: formatRfc3339(Math.floor(now / 1000)),
      ...(reason ? { reason } : {}),
      message: errorMessage(manageError),
    };
    conditions.push(condition);
  } else if (manageError === undefined && failure) {
    conditions = conditions.filter((c) => c.type !== REPLICA_FAILURE);
  }
  // Zero counts are omitted, as the API serves them.
  return {
    replicas: owned.length,
    ...(fullyLabeled ? { fullyLabeledReplicas: fullyLabeled } : {}),
    ...(ready ? { readyReplicas: ready } : {}),
    ...(available ? { availableReplicas: available } : {}),
    ...(rs.status?.observedGeneration ? { observedGeneration: rs.status.observedGeneration } : {}),
    ...(conditions.length > 0 ? { conditions } : {}),
  };
}

/** The cached ReplicaSet, naming its own type (events and owner references need it). */
function ownerObject(rs: ReplicaSet): ReplicaSet {
  return { ...rs, apiVersion: 'apps/v1', kind: 'ReplicaSet' };
}
