// One store watch per resource, fanned out in memory (the Kubernetes "watch cache"). It keeps
// the current objects and a bounded window of recent events, so watchers can start from any
// resourceVersion still in the window and 1,000 watchers cost one store watch, not 1,000. Lists
// are served from it too: each object is kept as its stored bytes (parsed once, when its event
// arrives), so a list is written by copying bytes, not by encoding objects again.
import type { EtcdClient, WatchStream, Watcher, WatchResponse } from '@k8ts/store/client/etcd-client.ts';
import { prefixEnd } from '@k8ts/store/client/etcd-client.ts';
import { copyJson, type KubeObject } from '@k8ts/api';
import { decodeStored } from './object-storage.ts';
import { StoredValue } from './stored-value.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent {
  readonly type: WatchEventType;
  /** the object after the event; for DELETED its last state, stamped with the deletion revision */
  readonly object: KubeObject;
  /** the object before the event (undefined for ADDED) */
  readonly previous?: KubeObject;
  readonly revision: number;
  /** `object` as stored bytes, for writing it without encoding it again */
  readonly value: StoredValue;
  /** `previous` as stored bytes */
  readonly previousValue?: StoredValue;
}

/** 410 Expired: `oldest` is the oldest resourceVersion a watch can still start from. */
export class TooOldError extends Error {
  constructor(readonly requested: number, readonly oldest: number) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

export interface CacheSubscriber {
  /** called synchronously for each event in order */
  onEvent(event: CacheEvent): void;
  /** the cache lost its store watch: the subscriber must end (clients re-watch and, if needed, relist) */
  onReset(reason: string): void;
}


export class WatchCache {
  private readonly objects = new Map<string, StoredValue>();
  /** the keys of `objects` in order; rebuilt after a key comes or goes */
  private sortedKeys: string[] | undefined;
  private readonly history: CacheEvent[] = [];
  private readonly subscribers = new Set<CacheSubscriber>();
  /** the store watch feeding this cache; undefined while (re)listing */
  private watcher: Watcher | undefined;
  private ready: Promise<void> | undefined;
  /** highest store revision this cache has seen for its prefix (events, list or progress) */
  private revision = 0;
  /** events with revision > oldestRevision are all in history */
  private oldestRevision = 0;
  private stopped = false;
  /** readers waiting for `revision` to move */
  private revisionWaiters: Array<() => void> = [];
  private readonly progress = new ProgressConfirmations(
    () => this.stream().requestProgress(),
    () => this.watcher,
    (revision) => this.advanceTo(revision),
  );

  constructor(
    private readonly etcd: EtcdClient,
    private readonly stream: () => WatchStream,
    readonly prefix: string,
    private readonly capacity = 10_000,
  ) {}

  /** Lists the prefix and starts watching after it; resolves when the cache is consistent. */
  start(): Promise<void> {
    this.ready ??= this.sync();
    return this.ready;
  }

  /** Whether the cache is watching (not starting, nor relisting after losing its watch). */
  get isReady(): boolean {
    return this.watcher !== undefined;
  }

  get currentRevision(): number {
    return this.revision;
  }

  /**
   * The value under `key` if the cache holds one, as a copy of its own: the caller may change its
   * object without changing what watchers and lists see. (Copying the parsed object is several
   * times cheaper than parsing the bytes again.)
   */
  copyOf(key: string): StoredValue | undefined {
    const value = this.objects.get(key);
    return value && new StoredValue(value.value, value.revision, copyJson(value.object));
  }

  /** Current objects, in key order. */
  snapshot(): { objects: KubeObject[]; revision: number } {
    const { values, revision } = this.list(this.prefix);
    return { objects: values.map((v) => v.object), revision };
  }

  /** The stored values under `prefix` (this cache's, or a namespace's within it), in key order. */
  list(prefix: string): { values: StoredValue[]; revision: number } {
    const keys = this.keysInOrder();
    const values: StoredValue[] = [];
    for (let i = firstAtOrAfter(keys, prefix); i < keys.length && keys[i]!.startsWith(prefix); i++) {
      values.push(this.objects.get(keys[i]!)!);
    }
    return { values, revision: this.revision };
  }

  /**
   * Subscribes from `fromRevision`: events after it are replayed from history, then live ones
   * follow. Throws TooOldError when history no longer reaches back that far.
   */
  subscribe(fromRevision: number, subscriber: CacheSubscriber): () => void {
    if (fromRevision < this.oldestRevision) throw new TooOldError(fromRevision, this.oldestRevision);
    for (const event of this.history) if (event.revision > fromRevision) subscriber.onEvent(event);
    // A client may know a newer revision than this cache has seen yet (it listed from the
    // store): events up to that revision are already in its list, so they are not sent again.
    const live: CacheSubscriber = {
      onEvent: (event) => {
        if (event.revision > fromRevision) subscriber.onEvent(event);
      },
      onReset: (reason) => subscriber.onReset(reason),
    };
    this.subscribers.add(live);
    return () => this.subscribers.delete(live);
  }

  /**
   * Waits until the cache has seen every event of the store up to `revision` (Kubernetes'
   * waitUntilFreshAndBlock); false after `timeoutMs`. A quiet resource gets no events to learn
   * the store moved on, so with `progressRequests` the cache asks the store for a progress
   * notification: the store answers on the watch stream after every event it sent before, so
   * once the answer is in and the events before it are applied, the cache has seen everything
   * up to a revision committed before it asked. Only for a `revision` the store has committed
   * (the caller read it from the store), and a store whose answers keep that order.
   */
  async waitUntilFresh(revision: number, options: { timeoutMs: number; progressRequests: boolean }): Promise<boolean> {
    const deadline = Date.now() + options.timeoutMs;
    while (this.revision < revision) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      const moved = new Promise<void>((resolve) => this.revisionWaiters.push(resolve));
      const confirmed = options.progressRequests && this.watcher ? this.progress.confirm(revision) : undefined;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([moved, ...(confirmed ? [confirmed] : []), new Promise((resolve) => (timer = setTimeout(resolve, left)))]);
      clearTimeout(timer);
    }
    return true;
  }

  stop(): void {
    this.stopped = true;
    for (const s of this.subscribers) s.onReset('apiserver shutting down');
    this.subscribers.clear();
  }

  private advanceTo(revision: number): void {
    if (revision <= this.revision) return;
    this.revision = revision;
    this.wakeRevisionWaiters();
  }

  private wakeRevisionWaiters(): void {
    const waiters = this.revisionWaiters;
    this.revisionWaiters = [];
    for (const wake of waiters) wake();
  }

  private keysInOrder(): string[] {
    this.sortedKeys ??= [...this.objects.keys()].sort();
    return this.sortedKeys;
  }

  private async sync(): Promise<void> {
    const listed = await this.etcd.range({ key: this.prefix, range_end: prefixEnd(this.prefix) });
    const listRevision = Number(listed.header.revision);
    this.objects.clear();
    this.sortedKeys = undefined;
    for (const kv of listed.kvs) this.objects.set(kv.key.toString('utf8'), cached(decodeStored(kv)));
    this.revision = listRevision;
    this.oldestRevision = listRevision;
    this.history.length = 0;
    this.wakeRevisionWaiters();
    const watcher = await this.stream().create({
      key: this.prefix,
      range_end: prefixEnd(this.prefix),
      start_revision: listRevision + 1,
      prev_kv: true,
      progress_notify: true,
    });
    this.watcher = watcher;
    void this.pump(watcher);
  }

  private async pump(watcher: Watcher): Promise<void> {
    try {
      for await (const response of watcher) {
        if (response.canceled) throw new Error(response.cancel_reason || 'store watch canceled');
        this.apply(response);
      }
      throw new Error('store watch ended');
    } catch (err) {
      if (this.stopped) return;
      this.resetAfter(`store watch failed: ${(err as Error).message}`);
    }
  }

  private apply(response: WatchResponse): void {
    for (const e of response.events) {
      const key = e.kv.key.toString('utf8');
      const revision = Number(e.kv.mod_revision);
      let event: CacheEvent;
      if (e.type === 'PUT') {
        const value = cached(decodeStored(e.kv));
        const object = value.object;
        const previousValue = this.objects.get(key);
        if (!previousValue) this.sortedKeys = undefined;
        this.objects.set(key, value);
        event = previousValue
          ? { type: 'MODIFIED', object, previous: previousValue.object, revision, value, previousValue }
          : { type: 'ADDED', object, revision, value };
      } else {
        const previousValue = this.objects.get(key) ?? (e.prev_kv ? decodeStored(e.prev_kv) : undefined);
        if (this.objects.delete(key)) this.sortedKeys = undefined;
        if (!previousValue) continue;
        const value = previousValue.at(revision);
        event = { type: 'DELETED', object: value.object, previous: previousValue.object, revision, value, previousValue };
      }
      this.record(event);
    }
    // Progress notifications (no events) still tell us the store has nothing newer for us.
    const headerRevision = Number(response.header.revision);
    if (response.events.length === 0) this.advanceTo(headerRevision);
  }

  private record(event: CacheEvent): void {
    this.history.push(event);
    if (this.history.length > this.capacity) {
      const dropped = this.history.splice(0, this.history.length - this.capacity);
      this.oldestRevision = dropped[dropped.length - 1]!.revision;
    }
    for (const subscriber of this.subscribers) subscriber.onEvent(event);
    this.advanceTo(event.revision);
  }

  /** Lost the store watch (compaction, store restart): drop watchers and rebuild from a fresh list. */
  private resetAfter(reason: string): void {
    this.watcher = undefined;
    for (const s of this.subscribers) s.onReset(reason);
    this.subscribers.clear();
    this.ready = undefined;
    const retry = () => {
      if (this.stopped) return;
      this.start().catch(() => {
        this.ready = undefined;
        setTimeout(retry, 1000);
      });
    };
    setTimeout(retry, 100);
  }
}

/**
 * Progress requests for readers waiting on the cache (Kubernetes' progress requester): at most
 * one in flight per cache. A request vouches for the revisions its readers had read from the
 * store before it was sent; readers who come while it is in flight wait for the next one.
 */
class ProgressConfirmations {
  /** the highest revision readers waiting for the next request have read */
  private pending = 0;
  private next: { promise: Promise<void>; resolve: () => void } | undefined;
  private inFlight = false;

  constructor(
    private readonly ask: () => Promise<unknown>,
    private readonly watcherNow: () => Watcher | undefined,
    private readonly advanceTo: (revision: number) => void,
  ) {}

  /** Resolves (never rejects) once a request sent after this call is answered and applied. */
  confirm(committed: number): Promise<void> {
    this.pending = Math.max(this.pending, committed);
    if (!this.next) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.next = { promise, resolve };
    }
    const answered = this.next.promise;
    if (!this.inFlight) void this.send();
    return answered;
  }

  private async send(): Promise<void> {
    const batch = this.next!;
    const covered = this.pending;
    this.next = undefined;
    this.pending = 0;
    this.inFlight = true;
    const watcher = this.watcherNow();
    try {
      await this.ask();
      // The events the store sent before its answer are queued for the pump: let it apply them.
      await new Promise((resolve) => setImmediate(resolve));
      // A cache that lost its watch meanwhile learned nothing from this answer.
      if (watcher !== undefined && this.watcherNow() === watcher) this.advanceTo(covered);
    } catch {
      // the stream failed: the pump resets the cache, and its readers time out or retry
    } finally {
      this.inFlight = false;
      batch.resolve();
      if (this.next) void this.send();
    }
  }
}

/** A value as the cache holds it: parsed (for watch filters and Table rows) and served JSON kept. */
function cached(value: StoredValue): StoredValue {
  void value.object;
  value.keepServed();
  return value;
}

/** The index of the first key not below `prefix` (keys sorted). */
function firstAtOrAfter(keys: readonly string[], prefix: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid]! < prefix) low = mid + 1;
    else high = mid;
  }
  return low;
}
