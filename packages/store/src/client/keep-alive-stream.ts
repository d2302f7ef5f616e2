// One LeaseKeepAlive RPC stream: each request renews a lease, and etcd answers each with
// the lease's ID and its renewed TTL (TTL 0 when the lease does not exist).
import type { ClientDuplexStream } from '@grpc/grpc-js';
import { deferred, type Deferred } from './deferred.ts';
import type { Int64, LeaseKeepAliveResponse } from './types.ts';

export class KeepAliveStream {
  /** Renewals waiting for their answer, per lease ID, oldest first. */
  private readonly pending = new Map<string, Deferred<LeaseKeepAliveResponse>[]>();
  private closed = false;

  constructor(private readonly call: ClientDuplexStream<{ ID: Int64 }, LeaseKeepAliveResponse>) {
    call.on('data', (response: LeaseKeepAliveResponse) => this.settle(response));
    call.on('error', (error: Error) => this.fail(error));
    call.on('end', () => this.fail(new Error('keep-alive stream ended by the server')));
  }

  /** Renews lease `id` once; pass IDs as decimal strings (they use all 64 bits). */
  keepAliveOnce(id: Int64): Promise<LeaseKeepAliveResponse> {
    const pending = deferred<LeaseKeepAliveResponse>();
    const key = String(id);
    const queue = this.pending.get(key);
    if (queue) queue.push(pending);
    else this.pending.set(key, [pending]);
    this.call.write({ ID: id });
    return pending.promise;
  }

  close(): void {
    this.closed = true;
    this.call.cancel();
    this.fail(new Error('keep-alive stream closed'));
  }

  private settle(response: LeaseKeepAliveResponse): void {
    const queue = this.pending.get(response.ID);
    queue?.shift()?.resolve(response);
    if (queue?.length === 0) this.pending.delete(response.ID);
  }

  private fail(error: Error): void {
    const reason = this.closed ? new Error('keep-alive stream closed') : error;
    for (const queue of this.pending.values()) for (const pending of queue) pending.reject(reason);
    this.pending.clear();
  }
}
