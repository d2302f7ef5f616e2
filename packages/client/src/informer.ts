// The shared informer: client-go's cache.SharedIndexInformer. One reflector keeps one indexed
// cache of a resource, and every interested party registers event handlers on it instead of
// opening its own watch. Handlers hear about each change after the cache has applied it:
//   onAdd(obj, isInInitialList)  an object appeared (or was in the first list)
//   onUpdate(old, new)           it changed — or, on a resync, old and new are the same object
//   onDelete(obj)                it went away; a DeletedFinalStateUnknown when the informer only
//                                noticed on a relist, so the last state it holds may be stale
// A relist is reconciled against the cache (client-go's DeltaFIFO.Replace): objects still there
// are updates, new ones adds, missing ones deletes. Handlers must be quick and must not modify
// the objects they are given; the usual handler just puts a key on a workqueue.
import type { KubeObject } from '@k8ts/api';
import { realClock, sleep, type Clock } from './clock.ts';
import type { ListerWatcher } from './list-watch.ts';
import { Lister } from './lister.ts';
import { errorMessage, stderrLogger, type Logger } from './logger.ts';
import { Reflector, type ReflectorStore } from './reflector.ts';
import { DeletedFinalStateUnknown, Indexer, metaNamespaceIndexFunc, metaNamespaceKeyFunc, NAMESPACE_INDEX, type Indexers } from './store.ts';

export interface ResourceEventHandler<T> {
  onAdd?(obj: T, isInInitialList: boolean): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

export interface HandlerRegistration {
  /** true once the handler has been told about every object of the initial list */
  hasSynced(): boolean;
}

export interface SharedIndexInformerOptions<T> {
  /** default resync period of handlers, and how often resyncs are checked; 0: never */
  resyncPeriodMs?: number;
  /** extra indexes; the namespace index is always there */
  indexers?: Indexers<T>;
  /** for log lines, e.g. "*v1.Pod" */
  description?: string;
  minWatchTimeoutMs?: number;
  onWatchError?: (err: unknown) => void;
  clock?: Clock;
  random?: () => number;
  logger?: Logger;
}

/** client-go's minimumResyncPeriod: handlers cannot ask for resyncs more often than this. */
const MINIMUM_RESYNC_PERIOD_MS = 1000;

interface Listener<T> extends HandlerRegistration {
  handler: ResourceEventHandler<T>;
  /** what the handler asked for */
  requestedResyncMs: number;
  /** what it gets, given the informer's check period */
  resyncMs: number;
  nextResync: number;
}

/** A handler's resync period as the informer can honour it (determineResyncPeriod). */
function effectiveResync(requestedMs: number, checkPeriodMs: number): number {
  if (requestedMs === 0 || checkPeriodMs === 0) return 0;
  return Math.max(requestedMs, checkPeriodMs);
}

export class SharedIndexInformer<T extends KubeObject = KubeObject> {
  private readonly indexer: Indexer<T>;
  private readonly listeners = new Set<Listener<T>>();
  /** the listeners due for the resync in progress */
  private syncingListeners: Listener<T>[] = [];
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly defaultResyncMs: number;
  private resyncCheckPeriodMs: number;
  private reflector: Reflector<T> | undefined;
  private started = false;
  private stopped = false;
  private synced = false;

  constructor(
    private readonly lw: ListerWatcher<T>,
    private readonly options: SharedIndexInformerOptions<T> = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.defaultResyncMs = options.resyncPeriodMs ?? 0;
    this.resyncCheckPeriodMs = this.defaultResyncMs;
    this.indexer = new Indexer<T>(metaNamespaceKeyFunc, { [NAMESPACE_INDEX]: metaNamespaceIndexFunc, ...options.indexers });
  }

  getIndexer(): Indexer<T> {
    return this.indexer;
  }

  lister(): Lister<T> {
    return new Lister(this.indexer);
  }

  /** Whether the first list has been applied to the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  lastSyncResourceVersion(): string {
    return this.reflector?.lastSyncResourceVersion() ?? '';
  }

  isStopped(): boolean {
    return this.stopped;
  }

  addIndexers(indexers: Indexers<T>): void {
    if (this.started) throw new Error('informer has already started');
    this.indexer.addIndexers(indexers);
  }

  /**
   * Registers a handler. Added after start, it first hears onAdd for everything already cached.
   * A resync period below the informer's check period is raised to it once running.
   */
  addEventHandler(handler: ResourceEventHandler<T>, resyncPeriodMs = this.defaultResyncMs): HandlerRegistration {
    if (this.stopped) throw new Error('handler was not added to shared informer because it has stopped already');
    let requestedResyncMs = resyncPeriodMs;
    if (requestedResyncMs > 0) {
      if (requestedResyncMs < MINIMUM_RESYNC_PERIOD_MS) {
        this.logger.warn(`resyncPeriod ${requestedResyncMs}ms is too small; changing it to the minimum allowed value of ${MINIMUM_RESYNC_PERIOD_MS}ms`);
        requestedResyncMs = MINIMUM_RESYNC_PERIOD_MS;
      }
      if (requestedResyncMs < this.resyncCheckPeriodMs && !this.started) {
        // Not running yet: check more often, for everyone.
        this.resyncCheckPeriodMs = requestedResyncMs;
        for (const listener of this.listeners) listener.resyncMs = effectiveResync(listener.requestedResyncMs, requestedResyncMs);
      }
    }
    const resyncMs = effectiveResync(requestedResyncMs, this.resyncCheckPeriodMs);
    const listener: Listener<T> = {
      handler,
      requestedResyncMs,
      resyncMs,
      nextResync: this.clock.now() + resyncMs,
      hasSynced: () => this.synced,
    };
    this.listeners.add(listener);
    if (this.started) {
      for (const obj of this.indexer.list()) this.call('onAdd', () => handler.onAdd?.(obj, true));
    }
    return listener;
  }

  removeEventHandler(registration: HandlerRegistration): void {
    this.listeners.delete(registration as Listener<T>);
  }

  /** Lists, then watches, keeping the cache current until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.started) {
      this.logger.warn('The sharedIndexInformer has started, run more than once is not allowed');
      return;
    }
    this.started = true;
    this.reflector = new Reflector<T>(this.lw, this.reflectorStore(), {
      description: this.options.description,
      resyncPeriodMs: this.resyncCheckPeriodMs,
      shouldResync: () => this.shouldResync(),
      minWatchTimeoutMs: this.options.minWatchTimeoutMs,
      onWatchError: this.options.onWatchError,
      clock: this.clock,
      random: this.options.random,
      logger: this.logger,
    });
    try {
      await this.reflector.run(signal);
    } finally {
      this.stopped = true;
    }
  }

  /** Picks the listeners whose resync is due and schedules their next one. */
  private shouldResync(): boolean {
    const now = this.clock.now();
    this.syncingListeners = [...this.listeners].filter((l) => l.resyncMs > 0 && now >= l.nextResync);
    for (const listener of this.syncingListeners) listener.nextResync = now + listener.resyncMs;
    return this.syncingListeners.length > 0;
  }

  private reflectorStore(): ReflectorStore<T> {
    return {
      add: (obj) => this.upsert(obj, false),
      update: (obj) => this.upsert(obj, false),
      delete: (obj) => {
        this.indexer.delete(obj);
        this.distribute((h) => h.onDelete?.(obj), 'onDelete');
      },
      replace: (items) => this.replace(items),
      resync: () => {
        for (const obj of this.indexer.list()) {
          for (const listener of this.syncingListeners) this.call('onUpdate', () => listener.handler.onUpdate?.(obj, obj));
        }
      },
    };
  }

  private upsert(obj: T, isInInitialList: boolean): void {
    const old = this.indexer.get(obj);
    if (old !== undefined) {
      this.indexer.update(obj);
      this.distribute((h) => h.onUpdate?.(old, obj), 'onUpdate');
    } else {
      this.indexer.add(obj);
      this.distribute((h) => h.onAdd?.(obj, isInInitialList), 'onAdd');
    }
  }

  private replace(items: T[]): void {
    const isInInitialList = !this.synced;
    const listed = new Set<string>();
    for (const obj of items) {
      listed.add(metaNamespaceKeyFunc(obj));
      this.upsert(obj, isInInitialList);
    }
    for (const key of this.indexer.listKeys()) {
      if (listed.has(key)) continue;
      const tombstone = new DeletedFinalStateUnknown(key, this.indexer.getByKey(key)!);
      this.indexer.delete(tombstone);
      this.distribute((h) => h.onDelete?.(tombstone), 'onDelete');
    }
    this.synced = true;
  }

  private distribute(notify: (handler: ResourceEventHandler<T>) => void, what: string): void {
    for (const listener of this.listeners) this.call(what, () => notify(listener.handler));
  }

  /** A failing handler is reported and skipped; it must not stop the cache or other handlers. */
  private call(what: string, notify: () => void): void {
    try {
      notify();
    } catch (err) {
      this.logger.warn(`${this.options.description ?? 'informer'} event handler ${what} failed: ${errorMessage(err)}`);
    }
  }
}

/** How often waitForCacheSync looks (client-go's syncedPollPeriod). */
const SYNCED_POLL_PERIOD_MS = 100;

/** Resolves true once every function reports synced, false if `signal` aborts first. */
export async function waitForCacheSync(signal: AbortSignal, synced: (() => boolean)[], clock: Clock = realClock): Promise<boolean> {
  for (;;) {
    if (synced.every((s) => s())) return true;
    if (!(await sleep(clock, SYNCED_POLL_PERIOD_MS, signal))) return false;
  }
}
