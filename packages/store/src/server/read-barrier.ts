// Linearizable reads through Raft's ReadIndex, batched as etcd batches them: every read that
// arrives while one ReadIndex request is in flight waits for the next one, so a burst of reads
// costs one round of the Ready loop. A read proceeds once this member has applied up to the
// index the leader confirmed.
import type { RawNode } from '../raft/rawnode.ts';
import type { ReadState } from '../raft/types.ts';

interface Pending {
  resolve(): void;
  reject(e: Error): void;
}

export class ReadBarrier {
  private queued: Pending[] = [];
  private inFlight: { ctx: string; waiters: Pending[] } | undefined;
  private confirmed: Array<{ index: number; waiters: Pending[] }> = [];
  private nextCtx = 1;

  constructor(
    private readonly node: RawNode,
    private readonly appliedIndex: () => number,
    private readonly kick: () => void,
  ) {}

  wait(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queued.push({ resolve, reject });
      this.issue();
    });
  }

  onReadStates(states: ReadState[]): void {
    for (const rs of states) {
      if (!this.inFlight || Buffer.from(rs.requestCtx).toString() !== this.inFlight.ctx) continue;
      this.confirmed.push({ index: rs.index, waiters: this.inFlight.waiters });
      this.inFlight = undefined;
    }
    this.issue();
  }

  onApplied(): void {
    const applied = this.appliedIndex();
    const ready = this.confirmed.filter((c) => c.index <= applied);
    this.confirmed = this.confirmed.filter((c) => c.index > applied);
    for (const c of ready) for (const w of c.waiters) w.resolve();
  }

  failAll(err: Error): void {
    const all = [...this.queued, ...(this.inFlight?.waiters ?? []), ...this.confirmed.flatMap((c) => c.waiters)];
    this.queued = [];
    this.inFlight = undefined;
    this.confirmed = [];
    for (const w of all) w.reject(err);
  }

  private issue(): void {
    if (this.inFlight || this.queued.length === 0) return;
    const ctx = String(this.nextCtx++);
    this.inFlight = { ctx, waiters: this.queued };
    this.queued = [];
    this.node.readIndex(Buffer.from(ctx));
    this.kick();
  }
}
