// One Watch RPC stream carrying any number of watches, as etcd clients multiplex them.
//
// etcd answers create requests in the order they were sent, each with a `created`
// response naming the new watch_id; later responses carry the watch_id they belong to.
// Responses to progress requests carry watch_id -1 (they belong to no single watch).
import type { ClientDuplexStream } from '@grpc/grpc-js';
import { AsyncQueue } from './async-queue.ts';
import { deferred, type Deferred } from './deferred.ts';
import { encodeStrings, RANGE_BYTES } from './request-bytes.ts';
import type { Int64, WatchCreateRequest, WatchRequest, WatchResponse } from './types.ts';

const PROGRESS_WATCH_ID = '-1';

/** A create request that etcd answered with `created` and `canceled` together. */
export class WatchCreateError extends Error {
  constructor(readonly response: WatchResponse) {
    super(`watch create refused: ${response.cancel_reason || 'canceled'}`);
  }
}

/**
 * One watch: iterate it for its responses (events, compaction notices, the final
 * `canceled` response). Iteration ends after the canceled response.
 */
export class Watcher implements AsyncIterable<WatchResponse> {
  readonly responses = new AsyncQueue<WatchResponse>();

  constructor(readonly id: string, readonly createdResponse: WatchResponse) {}

  /** The next response of this watch; rejects if the stream ends first. */
  async next(): Promise<WatchResponse> {
    const result = await this.responses.next();
    if (result.done) throw new Error(`watch ${this.id} ended`);
    return result.value;
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchResponse> {
    return this.responses[Symbol.asyncIterator]();
  }
}

export class WatchStream {
  private readonly pendingCreates: Deferred<Watcher>[] = [];
  private readonly pendingProgress: Deferred<WatchResponse>[] = [];
  private readonly pendingCancels = new Map<string, Deferred<WatchResponse>>();
  private readonly watchers = new Map<string, Watcher>();
  private closed = false;

  constructor(private readonly call: ClientDuplexStream<WatchRequest, WatchResponse>) {
    call.on('data', (response: WatchResponse) => this.route(response));
    call.on('error', (error: Error) => this.fail(error));
    call.on('end', () => this.fail(new Error('watch stream ended by the server')));
  }

  /** Starts a watch; resolves once etcd confirms it with a `created` response. */
  create(request: WatchCreateRequest): Promise<Watcher> {
    const pending = deferred<Watcher>();
    this.pendingCreates.push(pending);
    this.call.write({ create_request: encodeStrings(request, RANGE_BYTES) });
    return pending.promise;
  }

  /** Cancels a watch; resolves with its `canceled` response (etcd sends none for unknown IDs). */
  cancel(watchId: Int64): Promise<WatchResponse> {
    const pending = deferred<WatchResponse>();
    this.pendingCancels.set(String(watchId), pending);
    this.call.write({ cancel_request: { watch_id: watchId } });
    return pending.promise;
  }

  /** Asks for a progress notification; resolves with it (no events, current header.revision). */
  requestProgress(): Promise<WatchResponse> {
    const pending = deferred<WatchResponse>();
    this.pendingProgress.push(pending);
    this.call.write({ progress_request: {} });
    return pending.promise;
  }

  close(): void {
    this.closed = true;
    this.call.cancel();
    this.fail(new Error('watch stream closed'));
  }

  private route(response: WatchResponse): void {
    if (response.created) {
      this.settleCreate(response);
      return;
    }
    if (response.watch_id === PROGRESS_WATCH_ID) {
      this.pendingProgress.shift()?.resolve(response);
      return;
    }
    const watcher = this.watchers.get(response.watch_id);
    watcher?.responses.push(response);
    if (response.canceled) {
      watcher?.responses.end();
      this.watchers.delete(response.watch_id);
      this.pendingCancels.get(response.watch_id)?.resolve(response);
      this.pendingCancels.delete(response.watch_id);
    }
  }

  private settleCreate(response: WatchResponse): void {
    const pending = this.pendingCreates.shift();
    if (response.canceled) {
      pending?.reject(new WatchCreateError(response));
      return;
    }
    const watcher = new Watcher(response.watch_id, response);
    this.watchers.set(watcher.id, watcher);
    pending?.resolve(watcher);
  }

  private fail(error: Error): void {
    const reason = this.closed ? new Error('watch stream closed') : error;
    for (const pending of this.pendingCreates.splice(0)) pending.reject(reason);
    for (const pending of this.pendingProgress.splice(0)) pending.reject(reason);
    for (const pending of this.pendingCancels.values()) pending.reject(reason);
    this.pendingCancels.clear();
    for (const watcher of this.watchers.values()) watcher.responses.end(reason);
    this.watchers.clear();
  }
}
