// The leader's bookkeeping for ReadIndex (linearizable reads without writing to the log).
//
// To serve a read the leader must be sure it is STILL the leader when it picks the read
// point, or a newer leader might already have committed writes it does not know about.
// So it notes its commit index, sends a heartbeat round carrying the request's context,
// and once a quorum has answered that round the read point is safe: any newer leader
// would have needed one of those voters, who would then have rejected our heartbeat.
import type { Message, NodeId } from './types.ts';

interface PendingRead {
  /** The leader's commit index when the request arrived: the read point. */
  index: number;
  request: Message;
  acks: Set<NodeId>;
}

/** A request's context bytes as a map key. */
export function contextKey(context: Uint8Array): string {
  let key = '';
  for (const byte of context) key += byte.toString(16).padStart(2, '0');
  return key;
}

export class ReadOnly {
  private readonly pending = new Map<string, PendingRead>();
  /** Context keys in arrival order: confirming one request confirms all before it. */
  private queue: string[] = [];

  /** Registers a read at `index`; a request whose context is already pending is ignored. */
  addRequest(index: number, request: Message): void {
    const key = contextKey(request.entries[0].data);
    if (this.pending.has(key)) return;
    this.pending.set(key, { index, request, acks: new Set() });
    this.queue.push(key);
  }

  /** Records that `from` answered the heartbeat round for `context`; returns all who did. */
  recvAck(from: NodeId, context: Uint8Array): Set<NodeId> | undefined {
    const read = this.pending.get(contextKey(context));
    if (!read) return undefined;
    read.acks.add(from);
    return read.acks;
  }

  /**
   * The heartbeat round for `context` reached a quorum: that request, and every request
   * queued before it (its round was sent earlier, so it is confirmed too), is released.
   */
  release(context: Uint8Array): PendingRead[] {
    const position = this.queue.indexOf(contextKey(context));
    if (position < 0) return [];
    const released = this.queue.slice(0, position + 1).map((key) => this.pending.get(key)!);
    for (const key of this.queue.slice(0, position + 1)) this.pending.delete(key);
    this.queue = this.queue.slice(position + 1);
    return released;
  }

  /** The context of the newest pending request, to piggyback on regular heartbeats. */
  lastPendingContext(): Uint8Array | undefined {
    const key = this.queue[this.queue.length - 1];
    return key === undefined ? undefined : this.pending.get(key)!.request.entries[0].data;
  }

  reset(): void {
    this.pending.clear();
    this.queue = [];
  }
}
