// etcdserverpb.Watch: one bidirectional stream multiplexes many watches. Every response for the
// stream goes through one ordered send queue, so a watch's "created" answer always precedes its
// events, and events that need their previous value (prev_kv) looked up cannot overtake others.
import type * as grpc from '@grpc/grpc-js';
import { keyString } from '../../mvcc/key-index.ts';
import type { MvccEvent } from '../../mvcc/types.ts';
import type { WatchTarget } from '../../watch/watch-hub.ts';
import type { EtcdServer } from '../etcd-server.ts';
import { num, type Int64 } from '../requests.ts';

interface WatchCreateRequest {
  key: Buffer;
  range_end: Buffer;
  start_revision: Int64;
  progress_notify: boolean;
  filters: Array<'NOPUT' | 'NODELETE'>;
  prev_kv: boolean;
  watch_id: Int64;
  fragment: boolean;
}

interface WatchRequest {
  create_request?: WatchCreateRequest | null;
  cancel_request?: { watch_id: Int64 } | null;
  progress_request?: object | null;
}

/** etcd sends progress notifications to idle progress_notify watchers every 10 minutes. */
const PROGRESS_INTERVAL_MS = 10 * 60 * 1000;

export function watchService(server: EtcdServer) {
  return {
    Watch: (call: grpc.ServerDuplexStream<WatchRequest, object>) => new WatchSession(server, call),
  };
}

class WatchSession {
  private readonly watches = new Map<number, WatchTarget & { progressNotify: boolean }>();
  private nextId = 0;
  private sendQueue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly progressTimer: NodeJS.Timeout;

  constructor(
    private readonly server: EtcdServer,
    private readonly call: grpc.ServerDuplexStream<WatchRequest, object>,
  ) {
    call.on('data', (req: WatchRequest) => this.onRequest(req));
    call.on('end', () => this.close(true));
    call.on('cancelled', () => this.close(false));
    call.on('error', () => this.close(false));
    this.progressTimer = setInterval(() => this.sendProgressNotifications(), PROGRESS_INTERVAL_MS);
  }

  private onRequest(req: WatchRequest): void {
    if (req.create_request) this.create(req.create_request);
    else if (req.cancel_request) this.cancel(num(req.cancel_request.watch_id));
    else if (req.progress_request) this.send(() => ({ header: this.server.header(), watch_id: -1 }));
  }

  private create(r: WatchCreateRequest): void {
    const requested = num(r.watch_id);
    if (requested !== 0 && this.watches.has(requested)) {
      this.send(() => ({
        header: this.server.header(),
        watch_id: -1,
        created: true,
        canceled: true,
        cancel_reason: 'mvcc: duplicate watch ID provided on the WatchStream',
      }));
      return;
    }
    let id = requested;
    if (id === 0) while (this.watches.has(this.nextId)) this.nextId++;
    if (id === 0) id = this.nextId++;
    const rangeEnd = r.range_end ?? Buffer.alloc(0);
    const watch = {
      start: keyString(r.key),
      end: rangeEnd.length === 0 ? undefined : rangeEnd.length === 1 && rangeEnd[0] === 0 ? '' : keyString(rangeEnd),
      nextRev: num(r.start_revision),
      noPut: (r.filters ?? []).includes('NOPUT'),
      noDelete: (r.filters ?? []).includes('NODELETE'),
      progressNotify: r.progress_notify,
      deliver: (events: MvccEvent[], revision: number) => this.sendEvents(id, events, revision, r.prev_kv, r.fragment),
      compacted: (compactRev: number) => {
        this.watches.delete(id);
        this.send(() => ({ header: { ...this.server.header(), revision: 0 }, watch_id: id, canceled: true, compact_revision: compactRev }));
      },
    };
    this.watches.set(id, watch);
    this.send(() => ({ header: this.server.header(), watch_id: id, created: true }));
    this.server.hub.add(watch);
  }

  private cancel(id: number): void {
    const watch = this.watches.get(id);
    if (!watch) return; // etcd does not answer a cancel for an unknown watch
    this.watches.delete(id);
    this.server.hub.remove(watch);
    this.send(() => ({ header: this.server.header(), watch_id: id, canceled: true }));
  }

  private sendEvents(id: number, events: MvccEvent[], revision: number, prevKv: boolean, fragment: boolean): void {
    this.sendQueue = this.sendQueue.then(async () => {
      const wire = await Promise.all(
        events.map(async (e) => ({
          type: e.type,
          kv: e.kv,
          prev_kv: prevKv ? ((await this.server.kv.previousKeyValue(e.kv.key, e.kv.mod_revision)) ?? null) : null,
        })),
      );
      const header = this.server.header(revision);
      for (const part of splitForFragments(wire, fragment ? this.server.cfg.maxRequestBytes : Infinity)) {
        if (this.closed) return;
        this.call.write({ header, watch_id: id, events: part.events, fragment: part.more });
      }
    }).catch(() => this.close(false));
  }

  private sendProgressNotifications(): void {
    for (const [id, w] of this.watches) {
      if (w.progressNotify) this.send(() => ({ header: this.server.header(), watch_id: id }));
    }
  }

  private send(build: () => object): void {
    this.sendQueue = this.sendQueue
      .then(() => {
        if (!this.closed) this.call.write(build());
      })
      .catch(() => this.close(false));
  }

  private close(graceful: boolean): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.progressTimer);
    for (const w of this.watches.values()) this.server.hub.remove(w);
    this.watches.clear();
    if (graceful) this.call.end();
  }
}

type WireEvent = { type: string; kv: { key: Buffer; value: Buffer }; prev_kv: { key: Buffer; value: Buffer } | null };

/** Splits one revision batch into responses under maxBytes when the watcher asked for fragments. */
function splitForFragments(events: WireEvent[], maxBytes: number): Array<{ events: WireEvent[]; more: boolean }> {
  const size = (e: WireEvent) => 64 + e.kv.key.length + e.kv.value.length + (e.prev_kv ? e.prev_kv.key.length + e.prev_kv.value.length : 0);
  const parts: WireEvent[][] = [[]];
  let bytes = 0;
  for (const e of events) {
    if (bytes + size(e) > maxBytes && parts[parts.length - 1].length > 0) {
      parts.push([]);
      bytes = 0;
    }
    parts[parts.length - 1].push(e);
    bytes += size(e);
  }
  return parts.map((p, i) => ({ events: p, more: i < parts.length - 1 }));
}
