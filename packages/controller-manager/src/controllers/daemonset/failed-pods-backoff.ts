// The back-off between deletions of failed daemon pods on one node (client-go's
// flowcontrol.Backoff, 1 s doubling to 15 min). A kubelet that keeps rejecting a pod (no room,
// a bad host port) would otherwise have the controller delete and recreate it in a hot loop.
// Each (DaemonSet, node) has its own delay; an entry untouched for twice the maximum is
// forgotten, so a node that recovers starts again at 1 s.

/** The DaemonSet controller's values (startDaemonSetController). */
export const FAILED_POD_BACKOFF_INITIAL_MS = 1000;
export const FAILED_POD_BACKOFF_MAX_MS = 15 * 60 * 1000;

interface BackoffEntry {
  delayMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, BackoffEntry>();

  constructor(
    private readonly initialMs = FAILED_POD_BACKOFF_INITIAL_MS,
    private readonly maxMs = FAILED_POD_BACKOFF_MAX_MS,
  ) {}

  /** The current delay for `key` (0 when it has none). */
  get(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** Records an attempt at `now`: the delay starts at the initial value, then doubles up to the maximum. */
  next(key: string, now: number): void {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, now)) {
      this.entries.set(key, { delayMs: this.initialMs, lastUpdate: now });
      return;
    }
    entry.delayMs = Math.min(entry.delayMs * 2, this.maxMs);
    entry.lastUpdate = now;
  }

  /** Whether the last attempt was less than the current delay ago. */
  isInBackOffSinceUpdate(key: string, now: number): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && now - entry.lastUpdate < entry.delayMs;
  }

  /** Forgets entries not touched for twice the maximum delay (run every minute). */
  gc(now: number): void {
    for (const [key, entry] of this.entries) if (this.expired(entry, now)) this.entries.delete(key);
  }

  private expired(entry: BackoffEntry, now: number): boolean {
    return now - entry.lastUpdate > 2 * this.maxMs;
  }
}

/** failedPodsBackoffKey: one back-off per DaemonSet and node. */
export function failedPodsBackoffKey(dsUid: string, nodeName: string): string {
  return `${dsUid}/${nodeName}`;
}
