// The DaemonSet controller: one pod of each DaemonSet on every node that should run it. Keys
// are "namespace/name". A DaemonSet is queued when it changes, when one of its pods or
// ControllerRevisions changes (found through the controller reference, or — for an orphan —
// every DaemonSet whose selector matches it), and when a node appears or changes in a way that
// flips whether a DaemonSet should run there (labels, taints, conditions).
// The sync is level-based, in Kubernetes' order: an empty selector is refused with a
// SelectingAll warning; a DaemonSet being deleted is left to the garbage collector; the current
// ControllerRevision is found or made; then — unless earlier creations/deletions are still
// unobserved (expectations) — the core loop puts a pod on each node lacking one and removes
// pods from nodes that should not have them, a RollingUpdate DaemonSet replaces old pods within
// its budget, old revisions are pruned; last, status is written. The pods the controller
// creates are pinned to their node by required node affinity and bound by the scheduler.
import { isDeepStrictEqual } from 'node:util';
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
  type Timer,
} from '@k8ts/client';
import type { Controller } from '../../controller/context.ts';
import { podControllerRefManager, recheckDeletionTimestamp } from '../../controller/controller-ref-manager.ts';
import { ControllerExpectations } from '../../controller/expectations.ts';
import { newControllerRef, PodControl } from '../../controller/pod-control.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';
import { hasStatusCause, NAMESPACE_TERMINATING_CAUSE } from '../namespaces.ts';
import { daemonPodTemplate, pinToNode } from './daemon-pods.ts';
import { DaemonSetEventHandlers } from './event-handlers.ts';
import { Backoff } from './failed-pods-backoff.ts';
import { groupByNode, planManage, SELECTING_ALL_REASON } from './manage-plan.ts';
import { revisionHash } from './revisions.ts';
import { RevisionSync, type DaemonSetHistory } from './revision-sync.ts';
import { planRollingUpdate } from './rolling-update.ts';
import { calculateCounts, nextStatus, statusUpToDate } from './status.ts';
import { DAEMON_SETS, type ControllerRevision, type DaemonSet, type Node, type Pod } from './types.ts';

export const DAEMONSET_CONTROLLER = 'daemonset-controller';

/** How many pods one sync creates or deletes at most (too many at once can overload the registry). */
export const BURST_REPLICAS = 250;
/** The first slow-start batch of creations. */
const SLOW_START_INITIAL_BATCH_SIZE = 1;
/** A status write that fails is retried once against a fresh read. */
const STATUS_UPDATE_RETRIES = 1;
/** How often stale failed-pod back-offs are forgotten. */
const BACKOFF_GC_INTERVAL_MS = 60_000;

export interface DaemonSetControllerDeps {
  daemonSets: SharedIndexInformer<DaemonSet>;
  revisions: SharedIndexInformer<ControllerRevision>;
  pods: SharedIndexInformer<Pod>;
  nodes: SharedIndexInformer<Node>;
  daemonSetClient: ResourceClient<DaemonSet>;
  revisionClient: ResourceClient<ControllerRevision>;
  podClient: ResourceClient<Pod>;
  /** source component "daemonset-controller" */
  recorder: EventRecorder;
  queue: RateLimitingQueue<string>;
  /** --concurrent-daemonset-syncs */
  workers: number;
  burstReplicas?: number;
  clock: Clock;
  logger: Logger;
}

export class DaemonSetController implements Controller {
  readonly expectations: ControllerExpectations;
  private readonly daemonSets: Lister<DaemonSet>;
  private readonly pods: Lister<Pod>;
  private readonly nodes: Lister<Node>;
  private readonly podControl: PodControl;
  private readonly revisionSync: RevisionSync;
  private readonly failedPodsBackoff = new Backoff();
  private readonly burstReplicas: number;

  constructor(private readonly deps: DaemonSetControllerDeps) {
    this.daemonSets = deps.daemonSets.lister();
    this.pods = deps.pods.lister();
    this.nodes = deps.nodes.lister();
    this.expectations = new ControllerExpectations(deps.clock, deps.logger);
    this.podControl = new PodControl({ pods: deps.podClient, recorder: deps.recorder, logger: deps.logger });
    this.revisionSync = new RevisionSync({
      revisions: deps.revisions.lister(),
      revisionClient: deps.revisionClient,
      daemonSetClient: deps.daemonSetClient,
      podClient: deps.podClient,
      logger: deps.logger,
    });
    this.burstReplicas = deps.burstReplicas ?? BURST_REPLICAS;
    new DaemonSetEventHandlers({ ...deps, expectations: this.expectations });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { daemonSets, revisions, pods, nodes, queue, workers, clock, logger } = this.deps;
    logger.info('Starting daemon sets controller');
    const synced = [() => pods.hasSynced(), () => nodes.hasSynced(), () => revisions.hasSynced(), () => daemonSets.hasSynced()];
    if (!(await waitForNamedCacheSync('daemon sets', synced, signal, logger, clock))) return;
    let gcTimer: Timer | undefined;
    const scheduleGc = (): void => {
      gcTimer = clock.setTimer(BACKOFF_GC_INTERVAL_MS, () => {
        this.failedPodsBackoff.gc(clock.now());
        scheduleGc();
      });
    };
    scheduleGc();
    try {
      await runWorkers({ controller: DAEMONSET_CONTROLLER, queue, workers, sync: (key) => this.syncDaemonSet(key), logger }, signal);
    } finally {
      gcTimer?.cancel();
      logger.info('Shutting down daemon sets controller');
    }
  }

  /** Brings one DaemonSet's pods, revisions and status in line with its spec and the nodes. */
  async syncDaemonSet(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const cached = this.daemonSets.get(namespace, name);
    if (!cached) {
      this.deps.logger.info(`Daemon set has been deleted: ${key}`);
      this.expectations.deleteExpectations(key);
      return;
    }
    const ds = ownerObject(cached);
    const nodes = this.nodes.list();
    if (isDeepStrictEqual(ds.spec?.selector, {})) {
      this.deps.recorder.event(ds, 'Warning', SELECTING_ALL_REASON, 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    let selector: LabelSelector | null;
    try {
      selector = labelSelectorFromObject(ds.spec?.selector);
    } catch (err) {
      // A selector the apiserver should have refused: retrying cannot help.
      this.deps.logger.warn(`Error converting selector of daemon set ${key}: ${errorMessage(err)}`);
      return;
    }
    // Being deleted: its revisions may already be gone or orphaned, so nothing can be reliably computed.
    if (ds.metadata.deletionTimestamp) return;
    const sync = new DaemonSetSync(this, ds, key, selector);
    let history: DaemonSetHistory;
    try {
      history = await this.revisionSync.construct(ds, selector, sync.canAdopt, () => sync.daemonPods());
    } catch (err) {
      throw new Error(`failed to construct revisions of DaemonSet: ${errorMessage(err)}`, { cause: err });
    }
    const hash = revisionHash(history.current);
    if (!this.expectations.satisfiedExpectations(key)) {
      // Only status: observedGeneration stays, as this generation was not acted on.
      await this.updateStatus(sync, nodes, hash, false);
      return;
    }
    let syncError: unknown;
    try {
      await this.manage(sync, nodes, hash);
      if (this.expectations.satisfiedExpectations(key) && ds.spec?.updateStrategy?.type === 'RollingUpdate') {
        const plan = planRollingUpdate(ds, nodes, groupByNode(await sync.daemonPods(), false), hash, this.deps.clock.now());
        await this.syncNodes(ds, key, plan.podsToDelete, plan.nodesToCreate, hash);
      }
      try {
        await this.revisionSync.cleanup(ds, history.old, await sync.daemonPods());
      } catch (err) {
        throw new Error(`failed to clean up revisions of DaemonSet: ${errorMessage(err)}`, { cause: err });
      }
    } catch (err) {
      syncError = err;
    }
    try {
      await this.updateStatus(sync, nodes, hash, true);
    } catch (statusError) {
      if (syncError === undefined) throw statusError;
      this.deps.logger.warn(`Failed to update status of daemon set ${key}: ${errorMessage(statusError)}`);
    }
    if (syncError !== undefined) throw syncError;
  }

  /** The core loop: a pod for each node lacking one, none where none belongs. */
  private async manage(sync: DaemonSetSync, nodes: Node[], hash: string): Promise<void> {
    const { ds, key } = sync;
    let byNode: Map<string, Pod[]>;
    try {
      byNode = groupByNode(await sync.daemonPods(), false);
    } catch (err) {
      throw new Error(`couldn't get node to daemon pod mapping for daemon set "${ds.metadata.name}": ${errorMessage(err)}`, { cause: err });
    }
    const plan = planManage(ds, nodes, byNode, hash, this.deps.clock.now(), this.failedPodsBackoff);
    for (const event of plan.events) this.deps.recorder.event(ds, event.type, event.reason, event.message);
    if (plan.requeueAfterMs !== undefined) this.deps.queue.addAfter(key, plan.requeueAfterMs);
    await this.syncNodes(ds, key, plan.podsToDelete, plan.nodesNeedingDaemonPods, hash);
  }

  /**
   * syncNodes: deletes `podsToDelete` and creates a pod pinned to each of `nodesNeedingPods`
   * (at most burstReplicas of each), creations in slow-start batches. Expectations are set
   * first, since the informer may report a pod before the request returns.
   */
  private async syncNodes(ds: DaemonSet, key: string, podsToDelete: string[], nodesNeedingPods: string[], hash: string): Promise<void> {
    const { logger } = this.deps;
    const namespace = ds.metadata.namespace ?? '';
    const creating = nodesNeedingPods.slice(0, this.burstReplicas);
    const deleting = podsToDelete.slice(0, this.burstReplicas);
    this.expectations.setExpectations(key, creating.length, deleting.length);
    const errors: unknown[] = [];
    if (creating.length > 0) {
      logger.info(`Nodes needing daemon pods for daemon set ${key}: [${creating.join(' ')}], creating ${creating.length}`);
      const template = daemonPodTemplate(ds, hash);
      const controllerRef = newControllerRef(ds, DAEMON_SETS);
      let attempted = 0;
      await slowStartCreations(creating.length, async () => {
        const nodeName = creating[attempted++]!;
        try {
          await this.podControl.createPods(namespace, pinToNode(template, nodeName), ds, controllerRef);
        } catch (err) {
          // The namespace is going away: nothing more will be created in it, and that is no failure.
          if (hasStatusCause(err, NAMESPACE_TERMINATING_CAUSE)) return;
          logger.info(`Failed creation, decrementing expectations for daemon set ${key}`);
          this.expectations.creationObserved(key);
          errors.push(err);
          throw err;
        }
      });
      const skipped = creating.length - attempted;
      if (skipped > 0) {
        logger.info(`Slow-start failure. Skipping creation of ${skipped} pods, decrementing expectations for daemon set ${key}`);
        this.expectations.lowerExpectations(key, skipped, 0);
      }
    }
    await Promise.all(
      deleting.map(async (podName) => {
        try {
          await this.podControl.deletePod(namespace, podName, ds);
        } catch (err) {
          // This deletion will never be observed.
          this.expectations.deletionObserved(key);
          if (!isNotFound(err)) errors.push(err);
        }
      }),
    );
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new Error(`[${errors.map(errorMessage).join(', ')}]`);
  }

  /** updateDaemonSetStatus: writes the counts when they changed, through the status subresource. */
  private async updateStatus(sync: DaemonSetSync, nodes: Node[], hash: string, observeGeneration: boolean): Promise<void> {
    const { ds, key } = sync;
    const now = this.deps.clock.now();
    const counts = calculateCounts(ds, nodes, groupByNode(await sync.daemonPods(), false), hash, now);
    if (!statusUpToDate(ds, counts)) {
      const client = this.deps.daemonSetClient.namespace(ds.metadata.namespace ?? '');
      let target = ds;
      for (let attempt = 0; ; attempt++) {
        try {
          const observedGeneration = observeGeneration ? ds.metadata.generation ?? 0 : undefined;
          await client.updateStatus({ ...target, status: nextStatus(target.status, counts, observedGeneration) });
          break;
        } catch (err) {
          if (attempt >= STATUS_UPDATE_RETRIES) throw new Error(`error storing status for daemon set ${key}: ${errorMessage(err)}`, { cause: err });
          // Most likely a conflict: retry on the latest version.
          target = await client.get(ds.metadata.name ?? '');
        }
      }
    }
    // Ready pods become available minReadySeconds later, with no event to wake us: come back then.
    const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && counts.numberReady !== counts.numberAvailable) this.deps.queue.addAfter(key, minReadySeconds * 1000);
  }

  /** The pods the DaemonSet owns after adopting matching orphans and releasing strays (getDaemonPods). */
  claimPods(ds: DaemonSet, selector: LabelSelector | null, canAdopt: () => Promise<void>): Promise<Pod[]> {
    const manager = podControllerRefManager<Pod>({
      controller: ds,
      controllerKind: DAEMON_SETS,
      selector,
      patch: (ns, podName, patch) => this.podControl.patchPod(ns, podName, patch),
      canAdopt,
    });
    return manager.claim(this.pods.byNamespace(ds.metadata.namespace ?? '').list());
  }

  /** A check, made at most once per sync, that the DaemonSet is still the live one and not being deleted. */
  canAdoptCheck(ds: DaemonSet): () => Promise<void> {
    const { namespace = '', name = '', uid } = ds.metadata;
    const client = this.deps.daemonSetClient.namespace(namespace);
    return recheckDeletionTimestamp(async () => {
      const fresh = await client.get(name);
      if (fresh.metadata.uid !== uid) throw new Error(`original DaemonSet ${namespace}/${name} is gone: got uid ${fresh.metadata.uid}, wanted ${uid}`);
      return fresh;
    });
  }
}

/**
 * What one sync of one DaemonSet shares between its steps: the DaemonSet, its key, and one
 * adoption check (made at most once, as Kubernetes' canAdopt is per sync).
 */
class DaemonSetSync {
  readonly canAdopt: () => Promise<void>;

  constructor(
    private readonly controller: DaemonSetController,
    readonly ds: DaemonSet,
    readonly key: string,
    private readonly selector: LabelSelector | null,
  ) {
    let checked: Promise<void> | undefined;
    const check = controller.canAdoptCheck(ds);
    this.canAdopt = () => (checked ??= check());
  }

  /** The DaemonSet's pods as the informer has them now (re-read at each step: earlier steps changed them). */
  daemonPods(): Promise<Pod[]> {
    return this.controller.claimPods(this.ds, this.selector, this.canAdopt);
  }
}

/**
 * slowStartBatch for creations: 1, 2, 4, … at a time, stopping after the first batch with a
 * failure (a quota or webhook refusing every pod then costs one request, not hundreds).
 */
async function slowStartCreations(count: number, create: () => Promise<void>): Promise<void> {
  let remaining = count;
  for (let batch = Math.min(remaining, SLOW_START_INITIAL_BATCH_SIZE); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => create()));
    if (results.some((r) => r.status === 'rejected')) return;
    remaining -= batch;
  }
}


/** The cached DaemonSet, naming its own type (events and owner references need it). */
function ownerObject(ds: DaemonSet): DaemonSet {
  return { ...ds, apiVersion: 'apps/v1', kind: 'DaemonSet' };
}
