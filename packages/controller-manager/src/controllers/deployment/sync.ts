// The writes of one Deployment sync, shared by the rolling and recreate strategies: finding or
// creating the new ReplicaSet (named <deployment>-<pod-template-hash>, revision = highest old
// revision + 1), resizing ReplicaSets with a ScalingReplicaSet event, proportional scaling,
// trimming history to revisionHistoryLimit, and writing status. `d` is the sync's private copy
// of the Deployment; like Kubernetes, the steps record their changes in it as they go.
import { isAlreadyExists, isNotFound, type Clock, type EventRecorder, type Lister, type Logger, type ResourceClient } from '@k8ts/client';
import { computeHash, controllerRefOf } from '../../controller/controller-utils.ts';
import { newControllerRef } from '../../controller/pod-control.ts';
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import { hasStatusCause, NAMESPACE_TERMINATING_CAUSE } from '../namespaces.ts';
import {
  DESIRED_REPLICAS_ANNOTATION,
  intAnnotation,
  maxRevision,
  REVISION_ANNOTATION,
  replicasAnnotationsNeedUpdate,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './annotations.ts';
import {
  FAILED_RS_CREATE_REASON,
  FOUND_NEW_RS_REASON,
  getCondition,
  newCondition,
  NEW_REPLICA_SET_REASON,
  PAUSED_DEPLOY_REASON,
  PROGRESSING,
  RESUMED_DEPLOY_REASON,
  setCondition,
  TIMED_OUT_REASON,
} from './conditions.ts';
import { isRollingUpdate, maxSurge } from './fenceposts.ts';
import { activeReplicaSets, byRevision, equalIgnoreHash, findActiveOrLatest, findNewReplicaSet, findOldReplicaSets, isSaturated, newReplicaSetReplicas } from './replica-sets.ts';
import { planProportionalScaling } from './scaling.ts';
import { calculateStatus, hasProgressDeadline, hasRevisionHistoryLimit, progressCheckDelay, rolloutStatus, statusEqual } from './status.ts';
import { DEPLOYMENTS, POD_TEMPLATE_HASH_LABEL, replicasOf, templateOf, type Deployment, type ReplicaSet } from './types.ts';

export interface DeploymentSyncDeps {
  deploymentClient: ResourceClient<Deployment>;
  replicaSetClient: ResourceClient<ReplicaSet>;
  replicaSets: Lister<ReplicaSet>;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
  /** queues the Deployment again after `ms` (0: now, rate-limited) — progress-deadline checks */
  requeueAfter(d: Deployment, ms: number): void;
}

export interface ReplicaSets {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

export class DeploymentSync {
  readonly logger: Logger;

  constructor(private readonly deps: DeploymentSyncDeps) {
    this.logger = deps.logger;
  }

  private now(): string {
    return formatRfc3339(Math.floor(this.deps.clock.now() / 1000));
  }

  /** Writes d's status (and, as deployments/status allows, its annotations). */
  async updateStatus(d: Deployment): Promise<void> {
    const updated = await this.deps.deploymentClient.namespace(d.metadata.namespace ?? '').updateStatus(d);
    // Later writes of this sync then do not conflict with our own.
    d.metadata.resourceVersion = updated.metadata.resourceVersion;
  }

  /**
   * The new ReplicaSet (created when `create` and missing) with its revision brought up to date,
   * and the old ones. The Deployment's revision annotation follows the new ReplicaSet's.
   */
  async getAllReplicaSetsAndSyncRevision(d: Deployment, rsList: ReplicaSet[], create: boolean): Promise<ReplicaSets> {
    const oldRSs = findOldReplicaSets(d, rsList);
    const newRS = await this.getNewReplicaSet(d, rsList, oldRSs, create);
    return { newRS, oldRSs };
  }

  private async getNewReplicaSet(d: Deployment, rsList: ReplicaSet[], oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const existing = findNewReplicaSet(d, rsList);
    const newRevision = maxRevision(oldRSs) + 1;
    const namespace = d.metadata.namespace ?? '';

    if (existing) {
      const copy = structuredClone(existing);
      const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      const minReadySeconds = d.spec.minReadySeconds ?? 0;
      if (annotationsChanged || (copy.spec?.minReadySeconds ?? 0) !== minReadySeconds) {
        copy.spec = { ...copy.spec, minReadySeconds };
        return this.deps.replicaSetClient.namespace(namespace).update(copy);
      }
      let needsUpdate = setDeploymentRevision(d, copy.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
      // Progress is measured from the first time the controller noticed this ReplicaSet.
      if (hasProgressDeadline(d) && !getCondition(d.status, PROGRESSING)) {
        setCondition((d.status ??= {}), newCondition(PROGRESSING, 'True', FOUND_NEW_RS_REASON, `Found new replica set "${copy.metadata.name}"`, this.now()));
        needsUpdate = true;
      }
      if (needsUpdate) await this.updateStatus(d);
      return copy;
    }
    if (!create) return undefined;

    const hash = computeHash(d.spec.template, d.status?.collisionCount);
    const labels = { ...d.spec.template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const template = { ...structuredClone(d.spec.template), metadata: { ...structuredClone(d.spec.template.metadata), labels } };
    const selector = structuredClone(d.spec.selector ?? {});
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const fresh: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      // A name that follows from the template makes creation idempotent.
      metadata: { name: `${d.metadata.name}-${hash}`, namespace, ownerReferences: [newControllerRef(d, DEPLOYMENTS)], labels: { ...labels } },
      spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
    };
    const replicas = newReplicaSetReplicas(d, [...oldRSs, fresh], fresh);
    fresh.spec!.replicas = replicas;
    setNewReplicaSetAnnotations(d, fresh, newRevision, false);

    let created: ReplicaSet;
    let alreadyExists = false;
    try {
      created = await this.deps.replicaSetClient.namespace(namespace).create(fresh);
    } catch (err) {
      if (isAlreadyExists(err)) {
        // A slow cache, or a hash collision with someone else's ReplicaSet of the same name.
        const found = this.deps.replicaSets.get(namespace, fresh.metadata.name!);
        if (!found) throw err;
        const ref = controllerRefOf(found);
        if (ref?.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, templateOf(found))) {
          created = found;
          alreadyExists = true;
        } else {
          // Bumping collisionCount changes the hash, and so the name, on the next try.
          const status = (d.status ??= {});
          const before = status.collisionCount ?? 0;
          status.collisionCount = before + 1;
          await this.updateStatus(d);
          this.logger.info(`Found a hash collision for deployment ${namespace}/${d.metadata.name} - bumping collisionCount (${before}->${before + 1}) to resolve it`);
          throw err;
        }
      } else if (hasStatusCause(err, NAMESPACE_TERMINATING_CAUSE)) {
        throw err;
      } else {
        const message = `Failed to create new replica set "${fresh.metadata.name}": ${(err as Error).message}`;
        if (hasProgressDeadline(d)) {
          setCondition((d.status ??= {}), newCondition(PROGRESSING, 'False', FAILED_RS_CREATE_REASON, message, this.now()));
          // The failure to report matters more than whether reporting it worked.
          await this.updateStatus(d).catch(() => undefined);
        }
        this.deps.recorder.event(d, 'Warning', FAILED_RS_CREATE_REASON, message);
        throw err;
      }
    }
    if (!alreadyExists && replicas > 0) {
      this.deps.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
    }
    let needsUpdate = setDeploymentRevision(d, String(newRevision));
    if (!alreadyExists && hasProgressDeadline(d)) {
      setCondition((d.status ??= {}), newCondition(PROGRESSING, 'True', NEW_REPLICA_SET_REASON, `Created new replica set "${created.metadata.name}"`, this.now()));
      needsUpdate = true;
    }
    if (needsUpdate) await this.updateStatus(d);
    return created;
  }

  /**
   * Resizes `rs` (recording desired/max replicas) and reports a ScalingReplicaSet event when its
   * size changed. Returns the ReplicaSet as written.
   */
  async scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (replicasOf(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale, d, replicasOf(rs) < newScale ? 'up' : 'down');
  }

  async scaleReplicaSet(rs: ReplicaSet, newScale: number, d: Deployment, operation: string): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const oldScale = replicasOf(rs);
    const sizeChanged = oldScale !== newScale;
    const max = replicasOf(d) + maxSurge(d);
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, replicasOf(d), max)) return { scaled: false, rs };
    const copy = structuredClone(rs);
    copy.spec = { ...copy.spec, replicas: newScale };
    setReplicasAnnotations(copy, replicasOf(d), max);
    const updated = await this.deps.replicaSetClient.namespace(copy.metadata.namespace ?? '').update(copy);
    if (sizeChanged) {
      this.deps.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${updated.metadata.name} from ${oldScale} to ${newScale}`);
    }
    return { scaled: sizeChanged, rs: updated };
  }

  /**
   * Scaling (not rolling out): one active ReplicaSet gets the whole count; a saturated new one
   * means the old ones go to 0; otherwise a rolling Deployment spreads the change proportionally.
   */
  async scale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
    const only = findActiveOrLatest(newRS, oldRSs);
    if (only) {
      if (replicasOf(only) === replicasOf(d)) return;
      await this.scaleReplicaSetAndRecordEvent(only, replicasOf(d), d);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const old of activeReplicaSets(oldRSs)) await this.scaleReplicaSetAndRecordEvent(old, 0, d);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const plan = planProportionalScaling(d, newRS, oldRSs);
    for (const { rs, replicas } of plan.sizes) await this.scaleReplicaSet(rs, replicas, d, plan.operation);
  }

  /** Whether spec.replicas differs from what an active ReplicaSet was last sized for. */
  isScalingEvent(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): boolean {
    return activeReplicaSets([...oldRSs, newRS]).some((rs) => {
      const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
      return desired !== undefined && desired !== replicasOf(d);
    });
  }

  /** Scaling and paused Deployments: resize, trim history while paused, write status. */
  async sync(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    await this.scale(d, newRS, oldRSs);
    if (d.spec.paused) await this.cleanupDeployment(oldRSs, d);
    await this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }

  /** A Deployment being deleted: only its status is kept current. */
  async syncStatusOnly(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    await this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }

  /**
   * Paused and resumed get a Progressing condition of status Unknown, so that time spent paused
   * never counts against the progress deadline. A deadline already missed stays reported.
   */
  async checkPausedConditions(d: Deployment): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const current = getCondition(d.status, PROGRESSING);
    if (current?.reason === TIMED_OUT_REASON) return;
    const pausedReported = current?.reason === PAUSED_DEPLOY_REASON;
    if (d.spec.paused && !pausedReported) {
      setCondition((d.status ??= {}), newCondition(PROGRESSING, 'Unknown', PAUSED_DEPLOY_REASON, 'Deployment is paused', this.now()));
    } else if (!d.spec.paused && pausedReported) {
      setCondition((d.status ??= {}), newCondition(PROGRESSING, 'Unknown', RESUMED_DEPLOY_REASON, 'Deployment is resumed', this.now()));
    } else {
      return;
    }
    await this.updateStatus(d);
  }

  /**
   * Deletes the oldest old ReplicaSets beyond revisionHistoryLimit — only those with no replicas,
   * none wanted, and whose controller has seen their latest spec.
   */
  async cleanupDeployment(oldRSs: ReplicaSet[], d: Deployment): Promise<void> {
    if (!hasRevisionHistoryLimit(d)) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
    const excess = cleanable.length - d.spec.revisionHistoryLimit!;
    for (const rs of cleanable.slice(0, Math.max(excess, 0))) {
      const busy = (rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0);
      if (busy) continue;
      try {
        await this.deps.replicaSetClient.namespace(rs.metadata.namespace ?? '').delete(rs.metadata.name!);
      } catch (err) {
        // Stop at the first failure rather than hammer an apiserver that may be overloaded.
        if (!isNotFound(err)) throw err;
      }
    }
  }

  /** Writes the status computed from the ReplicaSets when it differs. */
  async syncDeploymentStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
    const status = calculateStatus(allRSs, newRS, d, this.now());
    if (statusEqual(d.status, status)) return;
    d.status = status;
    await this.updateStatus(d);
  }

  /** Like syncDeploymentStatus, with rollout progress; a stalled rollout is queued for its deadline check. */
  async syncRolloutStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
    const nowMs = this.deps.clock.now();
    const status = rolloutStatus(allRSs, newRS, d, nowMs, this.now());
    if (statusEqual(d.status, status)) {
      const delay = progressCheckDelay(d, status, nowMs);
      if (delay !== undefined) this.deps.requeueAfter(d, delay);
      return;
    }
    d.status = status;
    await this.updateStatus(d);
  }
}
