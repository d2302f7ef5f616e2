// How long a store takes to accept writes again after losing its leader: from a moment (the
// kill) to the first write a surviving member acknowledges. The client keeps sending one put
// every `intervalMs`, to the survivors in turn, without waiting for earlier puts to answer: a
// member without a leader may fail a put at once or hold it until a leader appears, and either
// way the first acknowledgement is seen when it comes, not after some earlier attempt's timeout.

export interface WriteProbePlan {
  /** Sends put number `attempt` (0-based); resolves when a member acknowledged it. */
  write: (attempt: number) => Promise<unknown>;
  /** Between two attempts. */
  intervalMs: number;
  /** No attempt is started after this long: the store did not recover. */
  giveUpMs: number;
  /** Milliseconds on a monotonic clock. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export interface WriteProbeResult {
  /** From the start of the probe to the first acknowledgement; undefined if none came in time. */
  afterMs: number | undefined;
  /** Puts sent. */
  attempts: number;
  /** The last failure seen, to explain a store that never recovered. */
  lastError: string | undefined;
}

/** Starts probing now; see the file comment. Puts still in flight at the end are left to the caller to cancel. */
export async function firstAcknowledgedWrite(plan: WriteProbePlan): Promise<WriteProbeResult> {
  const started = plan.now();
  let acknowledgedAt: number | undefined;
  let lastError: string | undefined;
  let attempts = 0;
  while (acknowledgedAt === undefined && plan.now() - started < plan.giveUpMs) {
    plan.write(attempts++).then(
      () => {
        acknowledgedAt ??= plan.now();
      },
      (error: unknown) => {
        lastError = error instanceof Error ? error.message : String(error);
      },
    );
    await plan.sleep(plan.intervalMs);
  }
  return { afterMs: acknowledgedAt === undefined ? undefined : acknowledgedAt - started, attempts, lastError };
}
