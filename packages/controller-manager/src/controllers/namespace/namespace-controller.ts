// The namespace controller: when a namespace is deleted, the apiserver only marks it
// (deletionTimestamp, phase Terminating) because spec.finalizers holds "kubernetes". This
// controller empties it (namespaced-resources-deleter.ts) and then removes that finalizer, which
// lets the apiserver delete the namespace. Keys are namespace names; only namespaces being
// deleted are queued, each a few seconds after the event so that every apiserver has stopped
// admitting new objects into it before the content is listed. Content still going away (pods
// terminating gracefully) requeues the namespace after half the estimated time.
import {
  type Clock,
  type Lister,
  type Logger,
  type RateLimitingQueue,
  type SharedIndexInformer,
} from '@k8ts/client';
import type { Controller } from '../../controller/context.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';
import { ResourcesRemainingError, type NamespacedResourcesDeleter, type NamespaceObject } from './namespaced-resources-deleter.ts';

export const NAMESPACE_CONTROLLER = 'namespace-controller';
/** namespaceDeletionGracePeriod: how long after the event a deleted namespace is processed. */
export const NAMESPACE_DELETION_GRACE_PERIOD_MS = 5_000;
/** --namespace-sync-period: terminating namespaces are looked at again this often anyway. */
export const DEFAULT_NAMESPACE_SYNC_PERIOD_MS = 5 * 60_000;

export interface NamespaceControllerDeps {
  namespaces: SharedIndexInformer<NamespaceObject>;
  deleter: NamespacedResourcesDeleter;
  queue: RateLimitingQueue<string>;
  /** --concurrent-namespace-syncs */
  workers: number;
  resyncPeriodMs?: number;
  clock: Clock;
  logger: Logger;
}

export class NamespaceController implements Controller {
  private readonly lister: Lister<NamespaceObject>;

  constructor(private readonly deps: NamespaceControllerDeps) {
    this.lister = deps.namespaces.lister();
    const enqueue = (ns: NamespaceObject): void => {
      if (!ns.metadata.deletionTimestamp) return;
      deps.queue.addAfter(ns.metadata.name!, NAMESPACE_DELETION_GRACE_PERIOD_MS);
    };
    deps.namespaces.addEventHandler({ onAdd: enqueue, onUpdate: (_old, ns) => enqueue(ns) }, deps.resyncPeriodMs ?? DEFAULT_NAMESPACE_SYNC_PERIOD_MS);
  }

  async run(signal: AbortSignal): Promise<void> {
    const { namespaces, queue, workers, clock, logger } = this.deps;
    logger.info('Starting namespace controller');
    if (!(await waitForNamedCacheSync('namespace', [() => namespaces.hasSynced()], signal, logger, clock))) return;
    await runWorkers({ controller: NAMESPACE_CONTROLLER, queue, workers, sync: (name) => this.syncNamespace(name), logger }, signal);
  }

  async syncNamespace(name: string): Promise<void> {
    if (!this.lister.get('', name)) {
      this.deps.logger.info(`Namespace has been deleted namespace="${name}"`);
      return;
    }
    try {
      await this.deps.deleter.delete(name);
    } catch (err) {
      if (!(err instanceof ResourcesRemainingError)) throw err;
      const waitSeconds = Math.floor(err.estimateSeconds / 2) + 1;
      this.deps.logger.info(`Content remaining in namespace namespace="${name}" waitSeconds=${waitSeconds}`);
      this.deps.queue.addAfter(name, waitSeconds * 1000);
    }
  }
}
