// Automatic compaction (--auto-compaction-mode / --auto-compaction-retention), as etcd does it:
// - periodic: keep `retention` of history. The compactor samples the current revision every
//   retention/10 and, once a sample is `retention` old, compacts to the revision recorded then.
// - revision: every 5 minutes, compact to (current revision - retention).
// The planners are pure (time and revisions in, a revision to compact to out); the timer that
// drives them lives in the server.

export interface CompactionPlanner {
  /** How often the server should ask. */
  readonly intervalMs: number;
  /** Called every intervalMs; returns a revision to compact to, if one is due. */
  next(nowMs: number, currentRev: number, compactRev: number): number | undefined;
}

export class PeriodicPlanner implements CompactionPlanner {
  readonly intervalMs: number;
  private samples: Array<{ at: number; rev: number }> = [];

  constructor(private readonly retentionMs: number) {
    this.intervalMs = Math.max(1000, retentionMs / 10);
  }

  next(nowMs: number, currentRev: number, compactRev: number): number | undefined {
    this.samples.push({ at: nowMs, rev: currentRev });
    const due = this.samples.filter((s) => nowMs - s.at >= this.retentionMs);
    if (due.length === 0) return undefined;
    this.samples = this.samples.filter((s) => nowMs - s.at < this.retentionMs);
    const rev = due[due.length - 1].rev;
    return rev > compactRev ? rev : undefined;
  }
}

export class RevisionPlanner implements CompactionPlanner {
  readonly intervalMs = 5 * 60 * 1000;

  constructor(private readonly retainRevisions: number) {}

  next(_nowMs: number, currentRev: number, compactRev: number): number | undefined {
    const rev = currentRev - this.retainRevisions;
    return rev > compactRev ? rev : undefined;
  }
}
