// What the leader knows about one follower's log, and how it paces replication to it.
//
// A follower's progress is in one of three states:
//   Probe     — we do not know where its log matches ours. Send one MsgApp at a time and
//               wait for the answer (accept or reject-with-hint) before sending the next.
//   Replicate — the logs match up to `match`. Stream entries optimistically, pipelining up
//               to maxInflight unacknowledged MsgApps (bounded by the Inflights window).
//   Snapshot  — the follower needs entries we compacted; a MsgSnap is on its way. Send
//               nothing else until it is acknowledged (or reported failed).

export type ProgressState = 'Probe' | 'Replicate' | 'Snapshot';

/**
 * The sliding window of MsgApps sent but not yet acknowledged, each remembered by the last
 * entry index it carried. Acknowledgements free every message up to the acknowledged index.
 */
export class Inflights {
  private readonly lastIndexes: number[] = [];

  constructor(readonly capacity: number) {}

  add(lastIndex: number): void {
    if (this.full()) throw new Error('inflights: add to a full window');
    this.lastIndexes.push(lastIndex);
  }

  /** Frees every message whose last index is ≤ `index` (they are in send order). */
  freeLE(index: number): void {
    let freed = 0;
    while (freed < this.lastIndexes.length && this.lastIndexes[freed] <= index) freed++;
    this.lastIndexes.splice(0, freed);
  }

  /** Frees the oldest message; a heartbeat response shows the follower is alive again. */
  freeFirstOne(): void {
    this.lastIndexes.shift();
  }

  full(): boolean {
    return this.lastIndexes.length >= this.capacity;
  }

  count(): number {
    return this.lastIndexes.length;
  }

  reset(): void {
    this.lastIndexes.length = 0;
  }
}

export class Progress {
  /** Highest index known to be replicated on the follower. */
  match: number;
  /** Index of the next entry to send. */
  next: number;
  state: ProgressState = 'Probe';
  /** In Snapshot state: the index of the snapshot being sent. */
  pendingSnapshot = 0;
  /** Heard from it since the last check-quorum round (the leader always counts itself). */
  recentActive = false;
  /** In Probe state: a MsgApp was sent and we are waiting for its answer. */
  probeSent = false;
  isLearner: boolean;
  readonly inflights: Inflights;

  constructor(options: { match: number; next: number; maxInflight: number; isLearner: boolean }) {
    this.match = options.match;
    this.next = options.next;
    this.isLearner = options.isLearner;
    this.inflights = new Inflights(options.maxInflight);
  }

  private resetState(state: ProgressState): void {
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.state = state;
    this.inflights.reset();
  }

  becomeProbe(): void {
    // Coming back from a snapshot, the follower has at least the snapshot: start after it.
    if (this.state === 'Snapshot') {
      const snapshotIndex = this.pendingSnapshot;
      this.resetState('Probe');
      this.next = Math.max(this.match + 1, snapshotIndex + 1);
    } else {
      this.resetState('Probe');
      this.next = this.match + 1;
    }
  }

  becomeReplicate(): void {
    this.resetState('Replicate');
    this.next = this.match + 1;
  }

  becomeSnapshot(snapshotIndex: number): void {
    this.resetState('Snapshot');
    this.pendingSnapshot = snapshotIndex;
  }

  /**
   * A MsgAppResp accepted entries up to `index`. Returns false if it tells us nothing new
   * (a stale or duplicated response).
   */
  maybeUpdate(index: number): boolean {
    let updated = false;
    if (this.match < index) {
      this.match = index;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, index + 1);
    return updated;
  }

  /** In Replicate state we assume the MsgApp up to `lastSent` will succeed. */
  optimisticUpdate(lastSent: number): void {
    this.next = lastSent + 1;
  }

  /**
   * A MsgApp probing at `rejected` was refused; `matchHint` is the follower's guess of the
   * last index where our logs might agree. Returns false for stale rejections.
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === 'Replicate') {
      // Rejections of indexes already matched are stale (reordered messages).
      if (rejected <= this.match) return false;
      // The pipeline broke; restart from the known match (the caller switches to Probe).
      this.next = this.match + 1;
      return true;
    }
    // In Probe state only the answer to the latest probe (sent at next-1) counts.
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), 1);
    this.probeSent = false;
    return true;
  }

  /** Whether the leader should hold back MsgApps to this follower for now. */
  isPaused(): boolean {
    switch (this.state) {
      case 'Probe':
        return this.probeSent;
      case 'Replicate':
        return this.inflights.full();
      case 'Snapshot':
        return true;
    }
  }
}
