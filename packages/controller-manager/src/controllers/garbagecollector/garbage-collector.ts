// The garbage collector (kube-controller-manager's garbagecollector): deletes objects whose
// owners are all gone, and carries out the two deletion modes that need a controller:
//   Background  the apiserver deletes the owner at once; the collector then finds each dependent
//               whose owners are now all absent and deletes it (and so on down the tree)
//   Foreground  the owner stays with deletionTimestamp and the foregroundDeletion finalizer; the
//               collector deletes its dependents (in foreground too, when they have dependents
//               of their own) and removes the finalizer once no dependent with
//               blockOwnerDeletion is left, letting the apiserver finish
//   Orphan      the owner stays with the orphan finalizer; the collector removes the owner's
//               reference from every dependent, then the finalizer
// Every decision is made on live state: the graph says whom to look at, a GET of the object and
// of each owner (404 or another uid = gone) says what to do. Deletes carry the object's uid as a
// precondition so a same-named successor is never hit.
import type { KubeObject, OwnerReference } from '@k8ts/api';
import {
  errorMessage,
  isConflict,
  isNotFound,
  sleep,
  StatusError,
  waitForCacheSync,
  type Clock,
  type EventRecorder,
  type Logger,
  type RateLimitingQueue,
  type ResourceClient,
  type RestClient,
} from '@k8ts/client';
import type { Controller } from '../../controller/context.ts';
import { describeIdentity, type GraphNode, type ObjectIdentity } from './graph.ts';
import { FOREGROUND_FINALIZER, GraphBuilder, ORPHAN_FINALIZER } from './graph-builder.ts';
import { DEFAULT_IGNORED_RESOURCES, Monitors } from './monitors.ts';
import {
  deleteOwnerRefsMergePatch,
  deleteOwnerRefsStrategicPatch,
  removeFinalizerMergePatch,
  unblockOwnerRefsMergePatch,
  unblockOwnerRefsStrategicPatch,
} from './patches.ts';

export const GARBAGE_COLLECTOR_CONTROLLER = 'garbage-collector-controller';

/** kube-controller-manager re-reads discovery for new resources this often. */
export const DEFAULT_RESYNC_PERIOD_MS = 30_000;

/** client-go's retry.DefaultBackoff for removing a finalizer on conflicts: 10 ms, ×5, 4 tries. */
const FINALIZER_RETRY_DELAYS_MS = [10, 50, 250];

export interface GarbageCollectorDeps {
  /** reads and writes every resource's objects, and reads discovery */
  client: RestClient;
  recorder: EventRecorder;
  attemptToDelete: RateLimitingQueue<GraphNode>;
  attemptToOrphan: RateLimitingQueue<GraphNode>;
  /** --concurrent-gc-syncs */
  workers: number;
  /** "resource.group" names never watched (default: both kinds of Event) */
  ignoredResources?: readonly string[];
  resyncPeriodMs?: number;
  clock: Clock;
  random?: () => number;
  logger: Logger;
}

type Action = 'forget' | 'requeue';
/** What attemptToDeleteItem concluded, when it did not fail. */
type Outcome = 'done' | 'virtual-delete' | 'invalid-owner';

/** An owner reference to an apiVersion/kind discovery does not know (a CRD not seen yet). */
class RestMappingError extends Error {
  constructor(apiVersion: string, kind: string) {
    super(`unable to get REST mapping for ${apiVersion}/${kind}`);
  }
}

export class GarbageCollector implements Controller {
  readonly graph: GraphBuilder;
  readonly monitors: Monitors;

  constructor(private readonly deps: GarbageCollectorDeps) {
    this.graph = new GraphBuilder({ attemptToDelete: deps.attemptToDelete, attemptToOrphan: deps.attemptToOrphan, recorder: deps.recorder, logger: deps.logger });
    this.monitors = new Monitors({
      client: deps.client,
      graph: this.graph,
      ignoredResources: deps.ignoredResources ?? DEFAULT_IGNORED_RESOURCES,
      clock: deps.clock,
      ...(deps.random ? { random: deps.random } : {}),
      logger: deps.logger,
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { logger, clock } = this.deps;
    const period = this.deps.resyncPeriodMs ?? DEFAULT_RESYNC_PERIOD_MS;
    logger.info('Starting controller garbagecollector');
    try {
      // Nothing is collected until every monitor has listed: a dependent must never be judged
      // orphaned only because its owner's resource has not been read yet.
      logger.info('Waiting for caches to sync for garbage collector');
      for (;;) {
        await this.monitors.sync(signal);
        // A resource whose list never succeeds must not hold everything up: re-discover after a period.
        if (await waitForCacheSync(withTimeout(signal, clock, period), [() => this.monitors.isSynced()], clock)) break;
        if (signal.aborted) return;
      }
      logger.info('All resource monitors have synced. Proceeding to collect garbage');
      await Promise.all([
        this.resyncPeriodically(period, signal),
        this.runQueue(this.deps.attemptToDelete, (node) => this.attemptToDeleteWorker(node), signal),
        this.runQueue(this.deps.attemptToOrphan, (node) => this.attemptToOrphanWorker(node), signal),
      ]);
    } finally {
      this.deps.attemptToDelete.shutDown();
      this.deps.attemptToOrphan.shutDown();
      await this.monitors.stop();
      logger.info('Shutting down controller garbagecollector');
    }
  }

  private async resyncPeriodically(period: number, signal: AbortSignal): Promise<void> {
    while (await sleep(this.deps.clock, period, signal)) await this.monitors.sync(signal);
  }

  /** `workers` loops over one queue; each item is forgotten or requeued with backoff. */
  private async runQueue(queue: RateLimitingQueue<GraphNode>, handle: (node: GraphNode) => Promise<Action>, signal: AbortSignal): Promise<void> {
    const stop = (): void => queue.shutDown();
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) stop();
    const worker = async (): Promise<void> => {
      for (;;) {
        const next = await queue.get();
        if (next.shutdown) return;
        try {
          const action = signal.aborted ? 'forget' : await handle(next.item);
          if (action === 'forget') queue.forget(next.item);
          else queue.addRateLimited(next.item);
        } finally {
          queue.done(next.item);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: this.deps.workers }, worker));
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  private async attemptToDeleteWorker(node: GraphNode): Promise<Action> {
    // A virtual node that has since been removed, or replaced by the real object, is stale.
    if (!node.observed && this.graph.uidToNode.get(node.identity.uid) !== node) return 'forget';
    let outcome: Outcome;
    try {
      outcome = await this.attemptToDeleteItem(node);
    } catch (err) {
      this.deps.logger.warn(`garbage collector: error syncing item ${node}: ${errorMessage(err)}`);
      return 'requeue';
    }
    if (outcome !== 'done') return 'forget';
    // Until an informer reports a virtual node, keep checking it (it may come and go unseen).
    return node.observed ? 'forget' : 'requeue';
  }

  /** Deletes the item if its owners are all gone; strips references to owners that are. */
  async attemptToDeleteItem(item: GraphNode): Promise<Outcome> {
    // Being deleted is a one-way trip; its dependents are handled when it is gone.
    if (item.beingDeleted && !item.deletingDependents) return 'done';
    const latest = await this.getObject(item.identity);
    if (!latest || latest.metadata.uid !== item.identity.uid) {
      this.graph.virtualDelete(item.identity);
      return 'virtual-delete';
    }
    if (item.deletingDependents) {
      await this.processDeletingDependentsItem(item);
      return 'done';
    }
    const references = latest.metadata.ownerReferences ?? [];
    if (references.length === 0) return 'done';
    const classified = await this.classifyReferences(item, references);
    if (classified === 'invalid-owner') return 'invalid-owner';
    const { solid, dangling, waiting } = classified;

    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return 'done';
      // References to owners waiting on their dependents must go too, or those owners wait forever.
      const uids = [...dangling, ...waiting].map((ref) => ref.uid);
      await this.patch(item, deleteOwnerRefsStrategicPatch(item.identity.uid, uids), (current) => deleteOwnerRefsMergePatch(current, uids));
      return 'done';
    }
    if (waiting.length > 0 && item.dependents.size > 0) {
      // A dependent that is itself deleting its dependents could be waiting on us: unblock to break the cycle.
      if ([...item.dependents].some((dep) => dep.deletingDependents)) {
        await this.patch(item, unblockOwnerRefsStrategicPatch(item.identity.uid, item.owners), unblockOwnerRefsMergePatch);
      }
      await this.deleteObject(item.identity, 'Foreground');
      return 'done';
    }
    const finalizers = latest.metadata.finalizers ?? [];
    const policy = finalizers.includes(ORPHAN_FINALIZER) ? 'Orphan' : finalizers.includes(FOREGROUND_FINALIZER) ? 'Foreground' : 'Background';
    this.deps.logger.info(`garbage collector: deleting item ${item} with propagationPolicy ${policy}`);
    await this.deleteObject(item.identity, policy);
    return 'done';
  }

  /** A foreground-deleting owner: done when no blocking dependent is left, else push them along. */
  private async processDeletingDependentsItem(item: GraphNode): Promise<void> {
    const blocking = item.blockingDependents();
    if (blocking.length === 0) {
      await this.removeFinalizer(item, FOREGROUND_FINALIZER);
      return;
    }
    for (const dep of blocking) if (!dep.deletingDependents) this.deps.attemptToDelete.add(dep);
  }

  private async attemptToOrphanWorker(owner: GraphNode): Promise<Action> {
    try {
      await this.orphanDependents(owner.identity, [...owner.dependents]);
    } catch (err) {
      this.deps.logger.warn(`garbage collector: orphanDependents for ${owner} failed with ${errorMessage(err)}`);
      return 'requeue';
    }
    try {
      await this.removeFinalizer(owner, ORPHAN_FINALIZER);
    } catch (err) {
      this.deps.logger.warn(`garbage collector: removeOrphanFinalizer for ${owner} failed with ${errorMessage(err)}`);
      return 'requeue';
    }
    return 'forget';
  }

  private async orphanDependents(owner: ObjectIdentity, dependents: GraphNode[]): Promise<void> {
    const results = await Promise.all(
      dependents.map(async (dep) => {
        try {
          await this.patch(dep, deleteOwnerRefsStrategicPatch(dep.identity.uid, [owner.uid]), (current) => deleteOwnerRefsMergePatch(current, [owner.uid]));
          return undefined;
        } catch (err) {
          return isNotFound(err) ? undefined : `orphaning ${dep} failed, ${errorMessage(err)}`;
        }
      }),
    );
    const errors = results.filter((e): e is string => e !== undefined);
    if (errors.length === 0) return;
    const aggregate = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
    throw new Error(`failed to orphan dependents of owner ${describeIdentity(owner)}, got errors: ${aggregate}`);
  }

  /** Each reference as solid (owner exists), dangling (gone) or waiting (owner deleting its dependents). */
  private async classifyReferences(
    item: GraphNode,
    references: readonly OwnerReference[],
  ): Promise<{ solid: OwnerReference[]; dangling: OwnerReference[]; waiting: OwnerReference[] } | 'invalid-owner'> {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of references) {
      const owner = await this.ownerOf(ref, item);
      if (owner === 'invalid-owner') return owner;
      if (!owner) dangling.push(ref);
      else if (owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER)) waiting.push(ref);
      else solid.push(ref);
    }
    return { solid, dangling, waiting };
  }

  /** isDangling: the live owner a reference names, undefined when it does not exist (or has another uid). */
  private async ownerOf(ref: OwnerReference, item: GraphNode): Promise<KubeObject | undefined | 'invalid-owner'> {
    const clusterKey: ObjectIdentity = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: '' };
    const namespacedKey: ObjectIdentity = { ...clusterKey, namespace: item.identity.namespace };
    const absent = this.graph.absentOwners;
    if (absent.has(clusterKey) || absent.has(namespacedKey)) return undefined;
    const resource = this.monitors.mapper.forKind(ref.apiVersion, ref.kind);
    if (!resource) throw new RestMappingError(ref.apiVersion, ref.kind);
    // A cluster-scoped object cannot be owned by a namespaced one: retrying would not help.
    if (item.identity.namespace === '' && resource.namespaced) {
      this.deps.logger.info(`garbage collector: item ${item} is cluster-scoped, but refers to a namespaced owner of kind ${ref.kind}`);
      return 'invalid-owner';
    }
    const key = resource.namespaced ? namespacedKey : clusterKey;
    const owner = await this.getObject(key);
    if (!owner || owner.metadata.uid !== ref.uid) {
      absent.add(key);
      return undefined;
    }
    return owner;
  }

  /** Removes `finalizer` from the live object, re-reading it on conflicts. */
  private async removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.getObject(node.identity);
      if (!current) return;
      const patch = removeFinalizerMergePatch(current, finalizer);
      if (!patch) return;
      try {
        await this.clientFor(node.identity)!.patch(node.identity.name, 'merge', patch);
        return;
      } catch (err) {
        if (!isConflict(err)) throw err;
        if (attempt >= FINALIZER_RETRY_DELAYS_MS.length) {
          throw new Error(`updateMaxRetries(${attempt + 1}) has reached. The garbage collector will retry later for owner ${node}`, { cause: err });
        }
        await sleep(this.deps.clock, FINALIZER_RETRY_DELAYS_MS[attempt]!);
      }
    }
  }

  /** A strategic merge patch, or — for resources that refuse it (CRDs) — the JSON merge patch form. */
  private async patch(node: GraphNode, strategic: object, mergeFrom: (current: KubeObject) => object): Promise<void> {
    const client = this.clientFor(node.identity);
    if (!client) return;
    try {
      await client.patch(node.identity.name, 'strategic', strategic);
    } catch (err) {
      if (!(err instanceof StatusError) || err.code !== 415) throw err;
      const current = await client.get(node.identity.name);
      await client.patch(node.identity.name, 'merge', mergeFrom(current));
    }
  }

  private async deleteObject(identity: ObjectIdentity, propagationPolicy: 'Foreground' | 'Background' | 'Orphan'): Promise<void> {
    await this.clientFor(identity)?.delete(identity.name, { preconditions: { uid: identity.uid }, propagationPolicy });
  }

  /** The live object, or undefined when it does not exist. */
  private async getObject(identity: ObjectIdentity): Promise<KubeObject | undefined> {
    const client = this.clientFor(identity);
    if (!client) return undefined;
    try {
      return await client.get(identity.name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** The client for an object's resource; undefined for a namespaced kind named without a namespace (no such object). */
  private clientFor(identity: ObjectIdentity): ResourceClient<KubeObject> | undefined {
    const r = this.monitors.mapper.forKind(identity.apiVersion, identity.kind);
    if (!r) throw new RestMappingError(identity.apiVersion, identity.kind);
    const client = this.deps.client.forTarget<KubeObject>({ group: r.group, version: r.version, resource: r.resource, namespaced: r.namespaced, kind: r.kind });
    if (!r.namespaced) return client;
    return identity.namespace === '' ? undefined : client.namespace(identity.namespace);
  }
}

/** A signal that also aborts after `ms` (the initial cache wait gives up and re-discovers). */
function withTimeout(signal: AbortSignal, clock: Clock, ms: number): AbortSignal {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  signal.addEventListener('abort', abort, { once: true });
  void sleep(clock, ms, signal).then(abort);
  return controller.signal;
}
