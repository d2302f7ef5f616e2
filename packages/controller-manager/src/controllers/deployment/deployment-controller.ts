// The deployment controller: keeps each Deployment's ReplicaSets — and through them its pods —
// in line with its spec. Keys are "namespace/name". A Deployment is queued when it changes, when
// one of its ReplicaSets changes (found through the ReplicaSet's controller owner reference, or
// for an orphan every Deployment whose selector matches it, so one may adopt it), and, for
// Recreate, when its last pod is gone. The sync reads only the listers (level-based) and, in
// Kubernetes' order: an empty selector is refused; ReplicaSets are claimed; a deleted Deployment
// only gets status; paused ones are scaled but not rolled out; a changed spec.replicas is a
// scaling event; anything else is a rollout step of the Deployment's strategy.
import {
  type Clock,
  type DeletedFinalStateUnknown,
  type EventRecorder,
  type Lister,
  type Logger,
  type RateLimitingQueue,
  type ResourceClient,
  type SharedIndexInformer,
} from '@k8ts/client';
import { labelSelectorFromObject } from '@k8ts/api/selectors/index.ts';
import type { Controller } from '../../controller/context.ts';
import { controllerRefOf } from '../../controller/controller-utils.ts';
import { recheckDeletionTimestamp, replicaSetControllerRefManager } from '../../controller/controller-ref-manager.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';
import { DependentOwners } from '../dependent-owners.ts';
import { hasStatusCause, NAMESPACE_TERMINATING_CAUSE } from '../namespaces.ts';
import { objectKey } from '../object-key.ts';
import { objectOf } from '../tombstone.ts';
import { rolloutRecreate } from './recreate.ts';
import { rolloutRolling } from './rolling.ts';
import { DeploymentSync } from './sync.ts';
import { DEPLOYMENTS, type Deployment, type Pod, type ReplicaSet } from './types.ts';

export const DEPLOYMENT_CONTROLLER = 'deployment-controller';

/** Retries before a failing Deployment is dropped (5 ms doubling: about 82 s in all). */
const MAX_RETRIES = 15;

export interface DeploymentControllerDeps {
  deployments: SharedIndexInformer<Deployment>;
  replicaSets: SharedIndexInformer<ReplicaSet>;
  pods: SharedIndexInformer<Pod>;
  deploymentClient: ResourceClient<Deployment>;
  replicaSetClient: ResourceClient<ReplicaSet>;
  /** events with source component "deployment-controller" */
  recorder: EventRecorder;
  queue: RateLimitingQueue<string>;
  workers: number;
  clock: Clock;
  logger: Logger;
}

export class DeploymentController implements Controller {
  private readonly deployments: Lister<Deployment>;
  private readonly replicaSets: Lister<ReplicaSet>;
  private readonly pods: Lister<Pod>;
  private readonly sync: DeploymentSync;
  /** The Deployment a ReplicaSet belongs to, or that might adopt it. */
  private readonly owners: DependentOwners<Deployment>;

  constructor(private readonly deps: DeploymentControllerDeps) {
    this.deployments = deps.deployments.lister();
    this.replicaSets = deps.replicaSets.lister();
    this.pods = deps.pods.lister();
    this.owners = new DependentOwners(this.deployments, DEPLOYMENTS.kind);
    this.sync = new DeploymentSync({
      deploymentClient: deps.deploymentClient,
      replicaSetClient: deps.replicaSetClient,
      replicaSets: this.replicaSets,
      recorder: deps.recorder,
      clock: deps.clock,
      logger: deps.logger,
      requeueAfter: (d, ms) => (ms === 0 ? deps.queue.addRateLimited(objectKey(d)) : deps.queue.addAfter(objectKey(d), ms)),
    });
    const enqueue = (d: Deployment): void => deps.queue.add(objectKey(d));
    deps.deployments.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_old, d) => enqueue(d),
      onDelete: (obj) => enqueue(objectOf(obj)),
    });
    deps.replicaSets.addEventHandler({
      onAdd: (rs) => this.replicaSetAdded(rs),
      onUpdate: (old, rs) => this.replicaSetUpdated(old, rs),
      onDelete: (obj) => this.replicaSetDeleted(obj),
    });
    deps.pods.addEventHandler({ onDelete: (obj) => this.podDeleted(obj) });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { deployments, replicaSets, pods, queue, workers, clock, logger } = this.deps;
    logger.info(`Starting controller ${DEPLOYMENT_CONTROLLER}`);
    const synced = [() => deployments.hasSynced(), () => replicaSets.hasSynced(), () => pods.hasSynced()];
    if (!(await waitForNamedCacheSync('deployment', synced, signal, logger, clock))) return;
    await runWorkers(
      {
        controller: DEPLOYMENT_CONTROLLER,
        queue,
        workers,
        maxRetries: MAX_RETRIES,
        sync: async (key) => {
          try {
            await this.syncDeployment(key);
          } catch (err) {
            // Nothing can be created in a namespace being deleted: not worth retrying.
            if (!hasStatusCause(err, NAMESPACE_TERMINATING_CAUSE)) throw err;
          }
        },
        logger,
      },
      signal,
    );
  }

  private replicaSetAdded(rs: ReplicaSet): void {
    // After a restart a ReplicaSet may first show up already being deleted.
    if (rs.metadata.deletionTimestamp) return this.replicaSetDeleted(rs);
    const { controller, adopters } = this.owners.ofAdded(rs);
    for (const d of [controller, ...adopters]) if (d) this.deps.queue.add(objectKey(d));
  }

  private replicaSetUpdated(old: ReplicaSet, rs: ReplicaSet): void {
    // Resyncs repeat the same version: nothing changed.
    if (old.metadata.resourceVersion === rs.metadata.resourceVersion) return;
    const { previous, controller, adopters } = this.owners.ofUpdated(old, rs);
    for (const d of [previous, controller, ...adopters]) if (d) this.deps.queue.add(objectKey(d));
  }

  private replicaSetDeleted(obj: ReplicaSet | DeletedFinalStateUnknown<ReplicaSet>): void {
    const d = this.owners.controllerOf(objectOf(obj));
    if (d) this.deps.queue.add(objectKey(d));
  }

  /** A Recreate Deployment waits for its old pods to be gone; the last one going wakes it. */
  private podDeleted(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = objectOf(obj);
    const podRef = controllerRefOf(pod);
    if (!podRef || podRef.kind !== 'ReplicaSet') return;
    const namespace = pod.metadata.namespace ?? '';
    const rs = this.replicaSets.get(namespace, podRef.name);
    if (!rs || rs.metadata.uid !== podRef.uid) return;
    const d = this.owners.controllerOf(rs);
    if (!d || d.spec.strategy?.type !== 'Recreate') return;
    const owned = this.ownedReplicaSets(d);
    let pods = 0;
    for (const list of this.podsByReplicaSet(d, owned).values()) pods += list.length;
    if (pods === 0) this.deps.queue.add(objectKey(d));
  }

  /** The ReplicaSets the cache says the Deployment controls (no adoption). */
  private ownedReplicaSets(d: Deployment): ReplicaSet[] {
    return this.replicaSets
      .byNamespace(d.metadata.namespace ?? '')
      .list()
      .filter((rs) => controllerRefOf(rs)?.uid === d.metadata.uid);
  }

  /** The Deployment's pods by the uid of their ReplicaSet, finished ones included. */
  private podsByReplicaSet(d: Deployment, rsList: ReplicaSet[]): Map<string, Pod[]> {
    const byUid = new Map<string, Pod[]>(rsList.map((rs) => [rs.metadata.uid ?? '', []]));
    let selector;
    try {
      selector = labelSelectorFromObject(d.spec.selector);
    } catch {
      return byUid;
    }
    for (const pod of this.pods.byNamespace(d.metadata.namespace ?? '').list(selector)) {
      const ref = controllerRefOf(pod);
      if (ref) byUid.get(ref.uid)?.push(pod);
    }
    return byUid;
  }

  /** Adopts matching orphans and releases owned ReplicaSets that no longer match. */
  private async claimReplicaSets(d: Deployment): Promise<ReplicaSet[]> {
    const namespace = d.metadata.namespace ?? '';
    let selector;
    try {
      selector = labelSelectorFromObject(d.spec.selector);
    } catch (err) {
      throw new Error(`deployment ${namespace}/${d.metadata.name} has invalid label selector: ${(err as Error).message}`, { cause: err });
    }
    const client = this.deps.deploymentClient.namespace(namespace);
    const manager = replicaSetControllerRefManager<ReplicaSet>({
      controller: d,
      controllerKind: DEPLOYMENTS,
      selector,
      replicaSets: this.deps.replicaSetClient,
      // Adopting for a Deployment that is already gone would hand the ReplicaSets to the GC.
      canAdopt: recheckDeletionTimestamp(async () => {
        const fresh = await client.get(d.metadata.name!);
        if (fresh.metadata.uid !== d.metadata.uid) {
          throw new Error(`original Deployment ${namespace}/${d.metadata.name} is gone: got uid ${fresh.metadata.uid}, wanted ${d.metadata.uid}`);
        }
        return fresh;
      }),
    });
    return manager.claim(this.replicaSets.byNamespace(namespace).list());
  }

  /** Reconciles one Deployment from the caches. */
  async syncDeployment(key: string): Promise<void> {
    const slash = key.indexOf('/');
    const cached = this.deployments.get(key.slice(0, slash), key.slice(slash + 1));
    if (!cached) return;
    const d = structuredClone(cached);

    const selector = d.spec.selector;
    if (selector && Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) {
      this.deps.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        (d.status ??= {}).observedGeneration = d.metadata.generation;
        await this.sync.updateStatus(d).catch(() => undefined);
      }
      return;
    }

    const rsList = await this.claimReplicaSets(d);
    const podMap = this.podsByReplicaSet(d, rsList);
    if (d.metadata.deletionTimestamp) return this.sync.syncStatusOnly(d, rsList);

    await this.sync.checkPausedConditions(d);
    if (d.spec.paused) return this.sync.sync(d, rsList);

    const { newRS, oldRSs } = await this.sync.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    if (this.sync.isScalingEvent(d, newRS, oldRSs)) return this.sync.sync(d, rsList);

    const strategy = d.spec.strategy?.type ?? 'RollingUpdate';
    if (strategy === 'Recreate') return rolloutRecreate(this.sync, d, rsList, podMap);
    if (strategy === 'RollingUpdate') return rolloutRolling(this.sync, d, rsList);
    throw new Error(`unexpected deployment strategy type: ${strategy}`);
  }
}
