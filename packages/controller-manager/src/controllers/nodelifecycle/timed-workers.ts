// A set of one-shot jobs keyed by pod, each run at its own time on the injected clock
// (tainteviction's TimedWorkerQueue). A key whose job ran stays recorded (so a pod already
// being deleted is not deleted again) until it is cancelled — which happens when the pod goes
// away or its node's taints change. A job that is running cannot be cancelled.
import type { Clock, Timer } from '@k8ts/client';

interface Worker {
  createdAt: number;
  fireAt: number;
  state: 'waiting' | 'running' | 'done';
  timer?: Timer;
}

export class TimedWorkers {
  private readonly workers = new Map<string, Worker>();

  constructor(
    private readonly clock: Clock,
    /** the job; a rejection forgets the key so that a later add can try again */
    private readonly job: (key: string) => Promise<void>,
  ) {}

  /** Schedules the job for `fireAt` (ms) unless the key is already scheduled, running or done. */
  add(key: string, createdAt: number, fireAt: number): void {
    if (this.workers.has(key)) return;
    const worker: Worker = { createdAt, fireAt, state: 'waiting' };
    this.workers.set(key, worker);
    if (fireAt <= this.clock.now()) void this.fire(key, worker);
    else worker.timer = this.clock.setTimer(fireAt - this.clock.now(), () => void this.fire(key, worker));
  }

  /** Forgets the key unless its job is running; true only when a waiting job was cancelled. */
  cancel(key: string): boolean {
    const worker = this.workers.get(key);
    if (!worker || worker.state === 'running') return false;
    this.workers.delete(key);
    if (worker.state === 'done') return false;
    worker.timer?.cancel();
    return true;
  }

  /** The job still waiting for the key, if any. */
  scheduled(key: string): { createdAt: number; fireAt: number } | undefined {
    const worker = this.workers.get(key);
    return worker?.state === 'waiting' ? { createdAt: worker.createdAt, fireAt: worker.fireAt } : undefined;
  }

  private async fire(key: string, worker: Worker): Promise<void> {
    worker.state = 'running';
    try {
      await this.job(key);
      worker.state = 'done';
    } catch {
      if (this.workers.get(key) === worker) this.workers.delete(key);
    }
  }
}
