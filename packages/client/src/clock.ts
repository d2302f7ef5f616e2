// Time, injected. Every loop in this package (reflector backoff, workqueue delays, leader election
// retries, rate limiters) reads the time and sets timers through a Clock, so tests drive them
// with FakeClock instead of waiting — client-go does the same with k8s.io/utils/clock.

export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** milliseconds since the Unix epoch */
  now(): number;
  setTimer(delayMs: number, callback: () => void): Timer;
}

/** setTimeout fires at once for delays beyond this (~24.8 days); longer timers are chained. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, callback) {
    const due = Date.now() + delayMs;
    let handle: NodeJS.Timeout;
    const arm = (): void => {
      const left = due - Date.now();
      handle = left > MAX_TIMEOUT_MS ? setTimeout(arm, MAX_TIMEOUT_MS) : setTimeout(callback, Math.max(0, left));
    };
    arm();
    return { cancel: () => clearTimeout(handle) };
  },
};

/** Waits `delayMs`; resolves true when the time passed, false as soon as `signal` aborts. */
export function sleep(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      timer.cancel();
      resolve(false);
    };
    const timer = clock.setTimer(delayMs, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface FakeTimer {
  due: number;
  seq: number;
  callback: () => void;
}

/** Lets every pending promise callback run (microtasks drain before the next macrotask). */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A clock that only moves when told to. `advance` fires due timers in time order and lets the
 * async code they wake run before the next one, so a loop of "await sleep(); work()" steps
 * exactly as it would in real time.
 */
export class FakeClock implements Clock {
  private timers: FakeTimer[] = [];
  private seq = 0;

  constructor(private time = 0) {}

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, callback: () => void): Timer {
    const timer: FakeTimer = { due: this.time + Math.max(0, delayMs), seq: this.seq++, callback };
    this.timers.push(timer);
    return { cancel: () => (this.timers = this.timers.filter((t) => t !== timer)) };
  }

  /** Moves time forward by `ms`, firing the timers that fall due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (;;) {
      const next = this.earliest();
      if (next === undefined || next.due > target) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = Math.max(this.time, next.due);
      next.callback();
      await settle();
    }
    this.time = target;
    await settle();
  }

  /** Lets pending async work run without moving time. */
  async flush(): Promise<void> {
    await this.advance(0);
  }

  pendingTimers(): number {
    return this.timers.length;
  }

  private earliest(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) if (best === undefined || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    return best;
  }
}
