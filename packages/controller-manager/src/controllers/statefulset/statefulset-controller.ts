// The StatefulSet controller: for each StatefulSet, pods with stable names, storage and order.
// Keys are "namespace/name". A set is queued when it changes and when one of its pods does
// (found through the pod's controller reference, or — for an orphan — every set whose selector
// matches it). The sync is level-based and keeps no expectations: it adopts orphaned
// ControllerRevisions, claims the pods whose names make them members of the set, and hands set,
// pods and revisions to StatefulSetControl (statefulset-control.ts). Creating a pod whose
// creation the cache has not seen yet fails with AlreadyExists and is simply retried.
import { labelSelectorFromObject, type LabelSelector } from '@k8ts/api/selectors/index.ts';
import {
  errorMessage,
  type Clock,
  type EventRecorder,
  type Lister,
  type Logger,
  type RateLimitingQueue,
  type ResourceClient,
  type SharedIndexInformer,
} from '@k8ts/client';
import type { Controller } from '../../controller/context.ts';
import { ownerRefControllerPatch, podControllerRefManager, recheckDeletionTimestamp } from '../../controller/controller-ref-manager.ts';
import { controllerRefOf } from '../../controller/controller-utils.ts';
import { RevisionHistory, type ControllerRevision } from '../../controller/history.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';
import { DependentOwners } from '../dependent-owners.ts';
import { objectKey } from '../object-key.ts';
import { OwnedPodHandlers } from '../owned-pod-handlers.ts';
import { objectOf } from '../tombstone.ts';
import { isMemberOf } from './identity.ts';
import { revisionsOf } from './revisions.ts';
import { StatefulPodControl } from './stateful-pod-control.ts';
import { StatefulSetControl } from './statefulset-control.ts';
import { ownerObject, replicasOf, STATEFUL_SETS, type PersistentVolumeClaim, type Pod, type StatefulSet } from './types.ts';

export const STATEFULSET_CONTROLLER = 'statefulset-controller';

export interface StatefulSetControllerDeps {
  sets: SharedIndexInformer<StatefulSet>;
  pods: SharedIndexInformer<Pod>;
  claims: SharedIndexInformer<PersistentVolumeClaim>;
  revisions: SharedIndexInformer<ControllerRevision>;
  setClient: ResourceClient<StatefulSet>;
  podClient: ResourceClient<Pod>;
  claimClient: ResourceClient<PersistentVolumeClaim>;
  revisionClient: ResourceClient<ControllerRevision>;
  /** source component "statefulset-controller" */
  recorder: EventRecorder;
  queue: RateLimitingQueue<string>;
  /** --concurrent-statefulset-syncs */
  workers: number;
  clock: Clock;
  logger: Logger;
}

export class StatefulSetController implements Controller {
  private readonly sets: Lister<StatefulSet>;
  private readonly pods: Lister<Pod>;
  private readonly revisions: Lister<ControllerRevision>;
  private readonly podControl: StatefulPodControl;
  private readonly control: StatefulSetControl;

  constructor(private readonly deps: StatefulSetControllerDeps) {
    this.sets = deps.sets.lister();
    this.pods = deps.pods.lister();
    this.revisions = deps.revisions.lister();
    this.podControl = new StatefulPodControl({
      pods: deps.podClient,
      claims: deps.claimClient,
      claimLister: deps.claims.lister(),
      recorder: deps.recorder,
      logger: deps.logger,
    });
    this.control = new StatefulSetControl({
      podControl: this.podControl,
      history: new RevisionHistory(deps.revisionClient),
      sets: deps.setClient,
      clock: deps.clock,
      logger: deps.logger,
    });
    deps.sets.addEventHandler({
      onAdd: (set) => this.enqueue(set),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (obj) => this.enqueue(objectOf(obj)),
    });
    // getStatefulSetsForPod warns about overlapping selectors; no expectations are kept.
    const owners = new DependentOwners(this.sets, STATEFUL_SETS.kind, {
      logger: deps.logger,
      message: 'user error: more than one StatefulSet is selecting pods with labels',
    });
    new OwnedPodHandlers({ owners, queue: deps.queue, gracefulDeletion: 'update' }).watch(deps.pods);
  }

  async run(signal: AbortSignal): Promise<void> {
    const { sets, pods, claims, revisions, queue, workers, clock, logger } = this.deps;
    logger.info(`Starting controller ${STATEFULSET_CONTROLLER}`);
    const synced = [() => sets.hasSynced(), () => pods.hasSynced(), () => claims.hasSynced(), () => revisions.hasSynced()];
    if (!(await waitForNamedCacheSync('stateful set', synced, signal, logger, clock))) return;
    await runWorkers({ controller: STATEFULSET_CONTROLLER, queue, workers, sync: (key) => this.syncStatefulSet(key), logger }, signal);
  }

  /** Brings one StatefulSet's pods, claims, revisions and status in line with its spec. */
  async syncStatefulSet(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const cached = this.sets.get(namespace, name);
    if (!cached) {
      this.deps.logger.info(`StatefulSet has been deleted ${key}`);
      return;
    }
    const set = ownerObject(cached);
    let selector: LabelSelector | null;
    try {
      selector = labelSelectorFromObject(set.spec?.selector);
    } catch (err) {
      // A selector the apiserver should have refused: retrying cannot help.
      this.deps.logger.warn(`error converting StatefulSet ${key} selector: ${errorMessage(err)}`);
      return;
    }
    const canAdopt = this.canAdopt(set);
    const listed = revisionsOf(set, this.revisions.byNamespace(namespace).list(selector));
    const revisions = await this.adoptOrphanRevisions(set, listed, canAdopt);
    const pods = await this.claimPods(set, selector, canAdopt);
    const status = await this.control.updateStatefulSet(set, pods, revisions);
    // Pods become available minReadySeconds after they are ready, with no event to wake us.
    const minReadySeconds = set.spec?.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && status.availableReplicas !== replicasOf(set)) this.deps.queue.addAfter(key, minReadySeconds * 1000);
  }

  /** Re-reads the set (uncached) before adopting anything for it: it may be gone or going. */
  private canAdopt(set: StatefulSet): () => Promise<void> {
    const { namespace = '', name = '', uid } = set.metadata;
    const client = this.deps.setClient.namespace(namespace);
    let checked: Promise<void> | undefined;
    const check = recheckDeletionTimestamp(async () => {
      const fresh = await client.get(name);
      if (fresh.metadata.uid !== uid) throw new Error(`original StatefulSet ${namespace}/${name} is gone: got uid ${fresh.metadata.uid}, wanted ${uid}`);
      return fresh;
    });
    return () => (checked ??= check());
  }

  /**
   * adoptOrphanRevisions: gives the set's orphaned revisions (e.g. after `delete
   * --cascade=orphan`) back to it; the revisions as they now are.
   */
  private async adoptOrphanRevisions(set: StatefulSet, revisions: ControllerRevision[], canAdopt: () => Promise<void>): Promise<ControllerRevision[]> {
    if (revisions.every((r) => controllerRefOf(r))) return revisions;
    try {
      await canAdopt();
    } catch (err) {
      throw new Error(`can't adopt ControllerRevisions: ${errorMessage(err)}`, { cause: err });
    }
    const client = this.deps.revisionClient.namespace(set.metadata.namespace ?? '');
    const adopted: ControllerRevision[] = [];
    for (const revision of revisions) {
      if (controllerRefOf(revision)) adopted.push(revision);
      else adopted.push(await client.patch(revision.metadata.name ?? '', 'strategic', ownerRefControllerPatch(set, STATEFUL_SETS, revision.metadata.uid ?? '')));
    }
    return adopted;
  }

  /** getPodsForStatefulSet: every pod named as a member, adopted or released by the selector. */
  private async claimPods(set: StatefulSet, selector: LabelSelector | null, canAdopt: () => Promise<void>): Promise<Pod[]> {
    const manager = podControllerRefManager<Pod>({
      controller: set,
      controllerKind: STATEFUL_SETS,
      selector,
      patch: (ns, podName, patch) => this.deps.podClient.namespace(ns).patch(podName, 'strategic', patch),
      canAdopt,
    });
    return manager.claim(this.pods.byNamespace(set.metadata.namespace ?? '').list(), (pod) => isMemberOf(set, pod));
  }

  private enqueue(set: StatefulSet): void {
    this.deps.queue.add(objectKey(set));
  }
}
