// Requests that need a leader (a proposal dropped while there is none, a lease call to forward)
// wait here for one. "There is a leader" must hold in both views of it: the one the Ready loop
// last observed and Raft's own at this moment. Raft's changes as soon as an election timeout
// makes this member a candidate, the observed one only when the Ready loop next runs; a waiter
// released on the observed view alone would re-propose, be dropped by the candidate and be
// released again, forever, in microtasks — starving the Ready loop that would catch the view
// up (the failover hang: a follower going silent when its leader was killed).

export interface TimerFunctions {
  set(callback: () => void, ms: number): unknown;
  clear(timer: unknown): void;
}

const NODE_TIMERS: TimerFunctions = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

export class LeaderWaiters {
  private readonly waiters = new Set<() => void>();

  constructor(
    /** true only when both views know a leader */
    private readonly hasLeader: () => boolean,
    private readonly timers: TimerFunctions = NODE_TIMERS,
  ) {}

  /** true once there is a leader; false when `timeoutMs` passes first (or on release()). */
  wait(timeoutMs: number): Promise<boolean> {
    if (this.hasLeader()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        this.timers.clear(timer);
        this.waiters.delete(done);
        resolve(this.hasLeader());
      };
      const timer = this.timers.set(done, Math.max(0, timeoutMs));
      this.waiters.add(done);
    });
  }

  /** Releases the waiters if there is a leader now; the Ready loop calls it after each pass. */
  wake(): void {
    if (this.waiters.size === 0 || !this.hasLeader()) return;
    this.release();
  }

  /** Releases every waiter, leader or not (the member is stopping). */
  release(): void {
    for (const done of [...this.waiters]) done();
  }
}
