// The per-zone queue of nodes waiting for a NoExecute taint (scheduler.RateLimitedTimedQueue):
// nodes are taken in the order they were added, at most as fast as the zone's token bucket
// (burst 1) allows. A node stays remembered after it was tainted, so adding it again does
// nothing until `remove` (the node became Ready) forgets it.
import { TokenBucket } from '@k8ts/client';

interface Entry {
  node: string;
  /** not before this time (ms) */
  processAt: number;
}

/** What the action says about a node it was given: done, or try again after `retryAfterMs`. */
export type TaintAction = (node: string) => Promise<{ done: true } | { done: false; retryAfterMs: number }>;

export class ZoneTaintingQueue {
  private queue: Entry[] = [];
  private readonly known = new Set<string>();
  private limiter: TokenBucket | undefined;
  private qps: number;

  constructor(qps: number) {
    this.qps = qps;
    this.limiter = qps > 0 ? new TokenBucket(qps, 1) : undefined;
  }

  /** Queues the node unless it is queued or was processed since it was last removed. */
  add(node: string, now: number): boolean {
    if (this.known.has(node)) return false;
    this.known.add(node);
    this.queue.push({ node, processAt: now });
    return true;
  }

  /** Forgets the node; true when it was known. */
  remove(node: string): boolean {
    this.queue = this.queue.filter((e) => e.node !== node);
    return this.known.delete(node);
  }

  /** SwapLimiter: a new rate; 0 stops the queue. */
  setQps(qps: number): void {
    if (qps === this.qps) return;
    this.qps = qps;
    this.limiter = qps > 0 ? new TokenBucket(qps, 1) : undefined;
  }

  get currentQps(): number {
    return this.qps;
  }

  /** Processes due nodes from the head while the rate limit allows. */
  async process(now: () => number, action: TaintAction): Promise<void> {
    for (let head = this.queue[0]; head !== undefined; head = this.queue[0]) {
      if (!this.limiter?.tryTake(now())) return;
      if (now() < head.processAt) return;
      const result = await action(head.node);
      if (this.queue[0] !== head) continue; // removed meanwhile
      this.queue.shift();
      if (!result.done) this.queue.push({ node: head.node, processAt: now() + result.retryAfterMs + 1 });
    }
  }
}
