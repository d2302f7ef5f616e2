// A closed-loop load: `concurrency` workers each keep one request in flight, starting the
// next as soon as the previous one answers, until `operations` requests were sent or the
// time limit passed. Every request's latency is recorded.
import { performance } from 'node:perf_hooks';
import { summarize, type LatencySummary } from './latency.ts';

export interface ClosedLoopPlan {
  operations: number;
  concurrency: number;
  /** No request is started after this long; in-flight ones are still awaited. */
  timeLimitMs: number;
  /** Sends request number `index` (0-based) on behalf of `worker`. */
  request: (index: number, worker: number) => Promise<unknown>;
}

export interface ClosedLoopResult extends LatencySummary {
  /** Requests that succeeded. */
  completed: number;
  failed: number;
  firstError: string | undefined;
  elapsedMs: number;
  /** completed / elapsed time. */
  perSecond: number;
  /** The time limit ended the run before all operations were sent. */
  timedOut: boolean;
  /** CPU time of this process (the load generator) per wall-clock time, in percent of one core. */
  generatorCpuPercent: number;
}

export async function runClosedLoop(plan: ClosedLoopPlan): Promise<ClosedLoopResult> {
  const latenciesMs = new Float64Array(plan.operations);
  let next = 0;
  let completed = 0;
  let failed = 0;
  let firstError: string | undefined;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + plan.timeLimitMs;

  const worker = async (workerIndex: number): Promise<void> => {
    while (next < plan.operations && performance.now() < deadline) {
      const index = next++;
      const sent = performance.now();
      try {
        await plan.request(index, workerIndex);
        latenciesMs[completed++] = performance.now() - sent;
      } catch (error) {
        failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  const workers = Math.min(plan.concurrency, plan.operations);
  await Promise.all(Array.from({ length: workers }, (_, i) => worker(i)));

  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    ...summarize(latenciesMs.subarray(0, completed)),
    completed,
    failed,
    firstError,
    elapsedMs,
    perSecond: (completed * 1000) / elapsedMs,
    timedOut: next < plan.operations,
    generatorCpuPercent: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100,
  };
}
