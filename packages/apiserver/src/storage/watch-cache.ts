// One store watch per resource, fanned out in memory (the Kubernetes "watch cache"). It keeps
// the current objects and a bounded window of recent events, so watchers can start from any
// resourceVersion still in the window and 1,000 watchers cost one store watch, not 1,000.
import type { EtcdClient, WatchStream, Watcher, WatchResponse } from '@k8ts/store/client/etcd-client.ts';
import { prefixEnd } from '@k8ts/store/client/etcd-client.ts';
import type { KubeObject } from '@k8ts/api';
import { decodeStored } from './object-storage.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent {
  readonly type: WatchEventType;
  /** the object after the event; for DELETED its last state, stamped with the deletion revision */
  readonly object: KubeObject;
  /** the object before the event (undefined for ADDED) */
  readonly previous?: KubeObject;
  readonly revision: number;
}

/** 410 Expired: `oldest` is the oldest resourceVersion a watch can still start from. */
export class TooOldError extends Error {
  constructor(readonly requested: number, readonly oldest: number) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

export interface CacheSubscriber {
  /** called synchronously for each event in order; returning false unsubscribes */
  onEvent(event: CacheEvent): void;
  /** the cache lost its store watch: the subscriber must end (clients re-watch and, if needed, relist) */
  onReset(reason: string): void;
}

export class WatchCache {
  private readonly objects = new Map<string, KubeObject>();
  private readonly history: CacheEvent[] = [];
  private readonly subscribers = new Set<CacheSubscriber>();
  private watcher: Watcher | undefined;
  private ready: Promise<void> | undefined;
  /** highest store revision this cache has seen for its prefix (events or list) */
  private revision = 0;
  /** events with revision > oldestRevision are all in history */
  private oldestRevision = 0;
  private stopped = false;

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

  get currentRevision(): number {
    return this.revision;
  }

  /** Current objects, in key order. */
  snapshot(): { objects: KubeObject[]; revision: number } {
    const keys = [...this.objects.keys()].sort();
    return { objects: keys.map((k) => this.objects.get(k)!), revision: this.revision };
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

  stop(): void {
    this.stopped = true;
    for (const s of this.subscribers) s.onReset('apiserver shutting down');
    this.subscribers.clear();
  }

  private async sync(): Promise<void> {
    const listed = await this.etcd.range({ key: this.prefix, range_end: prefixEnd(this.prefix) });
    const listRevision = Number(listed.header.revision);
    this.objects.clear();
    for (const kv of listed.kvs) this.objects.set(kv.key.toString('utf8'), decodeStored(kv).object);
    this.revision = listRevision;
    this.oldestRevision = listRevision;
    this.history.length = 0;
    this.watcher = await this.stream().create({
      key: this.prefix,
      range_end: prefixEnd(this.prefix),
      start_revision: listRevision + 1,
      prev_kv: true,
      progress_notify: true,
    });
    void this.pump(this.watcher);
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
        const object = decodeStored(e.kv).object;
        const previous = this.objects.get(key);
        this.objects.set(key, object);
        event = previous ? { type: 'MODIFIED', object, previous, revision } : { type: 'ADDED', object, revision };
      } else {
        const previous = this.objects.get(key) ?? (e.prev_kv ? decodeStored(e.prev_kv).object : undefined);
        this.objects.delete(key);
        if (!previous) continue;
        const object = { ...previous, metadata: { ...previous.metadata, resourceVersion: String(revision) } };
        event = { type: 'DELETED', object, previous, revision };
      }
      this.record(event);
    }
    // Progress notifications (no events) still tell us the store has nothing newer for us.
    const headerRevision = Number(response.header.revision);
    if (response.events.length === 0 && headerRevision > this.revision) this.revision = headerRevision;
  }

  private record(event: CacheEvent): void {
    this.revision = event.revision;
    this.history.push(event);
    if (this.history.length > this.capacity) {
      const dropped = this.history.splice(0, this.history.length - this.capacity);
      this.oldestRevision = dropped[dropped.length - 1]!.revision;
    }
    for (const subscriber of this.subscribers) subscriber.onEvent(event);
  }

  /** Lost the store watch (compaction, store restart): drop watchers and rebuild from a fresh list. */
  private resetAfter(reason: string): void {
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
