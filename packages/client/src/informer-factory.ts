// SharedInformerFactory: one informer — so one list and one watch — per resource per process,
// however many controllers ask for it (client-go's informers.SharedInformerFactory). Controllers
// ask for informers while being built, then the process starts them all and waits for their
// caches to fill before the controllers begin work.
import type { GroupVersionKind, KubeObject } from '@k8ts/api';
import { realClock, type Clock } from './clock.ts';
import { SharedIndexInformer, waitForCacheSync } from './informer.ts';
import { listWatchFor } from './list-watch.ts';
import type { Logger } from './logger.ts';
import type { ListOptions } from './options.ts';
import { targetForKind, targetForResource, type GroupVersionResource } from './paths.ts';
import type { RestClient } from './rest-client.ts';

export interface SharedInformerFactoryOptions {
  /** default handler resync period of every informer; 0: never */
  defaultResyncMs?: number;
  /** watch only this namespace (default: all) */
  namespace?: string;
  /** narrows every list and watch, e.g. a kubelet's spec.nodeName field selector */
  tweakListOptions?: (options: ListOptions) => void;
  clock?: Clock;
  random?: () => number;
  logger?: Logger;
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedIndexInformer<KubeObject>>();
  private readonly running = new Map<string, Promise<void>>();
  private shuttingDown = false;

  constructor(
    private readonly client: RestClient,
    private readonly options: SharedInformerFactoryOptions = {},
  ) {}

  forKind<T extends KubeObject = KubeObject>(gvk: GroupVersionKind): SharedIndexInformer<T> {
    const target = targetForKind(gvk);
    return this.forResource<T>(target);
  }

  forResource<T extends KubeObject = KubeObject>(gvr: GroupVersionResource): SharedIndexInformer<T> {
    const key = `${gvr.group}/${gvr.version}/${gvr.resource}`;
    let informer = this.informers.get(key);
    if (!informer) {
      const target = targetForResource(gvr);
      const resource = this.client.forTarget(target);
      const scoped = this.options.namespace && target.namespaced ? resource.namespace(this.options.namespace) : resource;
      informer = new SharedIndexInformer(listWatchFor(scoped, this.options.tweakListOptions), {
        resyncPeriodMs: this.options.defaultResyncMs ?? 0,
        description: `*${target.version}.${target.kind}`,
        clock: this.options.clock,
        random: this.options.random,
        logger: this.options.logger,
      });
      this.informers.set(key, informer);
    }
    return informer as unknown as SharedIndexInformer<T>;
  }

  /** Starts every informer not yet running; each runs until `signal` aborts. */
  start(signal: AbortSignal): void {
    if (this.shuttingDown) return;
    for (const [key, informer] of this.informers) {
      if (this.running.has(key)) continue;
      this.running.set(key, informer.run(signal));
    }
  }

  /** Waits until every started informer has synced; false for those that did not before `signal` aborted. */
  async waitForCacheSync(signal: AbortSignal): Promise<Map<string, boolean>> {
    const clock = this.options.clock ?? realClock;
    const results = new Map<string, boolean>();
    for (const key of this.running.keys()) {
      const informer = this.informers.get(key)!;
      results.set(key, await waitForCacheSync(signal, [() => informer.hasSynced()], clock));
    }
    return results;
  }

  /** No more starts; resolves once every informer has stopped (abort their signal first). */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    await Promise.all(this.running.values());
  }
}
