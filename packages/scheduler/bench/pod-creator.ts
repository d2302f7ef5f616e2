// Creates N objects with a bounded number of requests in flight, either as fast as the server
// answers (a closed loop: each slot sends its next create when the previous one is answered)
// or paced at a steady rate of starts per second. The clock, the sleep and the create itself
// are passed in, so the loop is tested without a server or timers.

export interface CreatePlan {
  count: number;
  /** requests in flight at most */
  concurrency: number;
  /** creates started per second; 0 for as fast as they are answered */
  perSecond: number;
  /** no create is started this long after the first */
  deadlineMs: number;
}

export interface CreateLoopDeps {
  /** creates object `index`; rejects when the server refuses it */
  create(index: number): Promise<void>;
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface CreateOutcome {
  started: number;
  failed: number;
  /** the first few failures' messages */
  errors: string[];
  /** the deadline passed before every create was started */
  cutShort: boolean;
}

const ERRORS_KEPT = 5;

export async function createAll(plan: CreatePlan, deps: CreateLoopDeps): Promise<CreateOutcome> {
  const outcome: CreateOutcome = { started: 0, failed: 0, errors: [], cutShort: false };
  const begin = deps.now();
  let next = 0;
  const slot = async (): Promise<void> => {
    while (next < plan.count) {
      const index = next++;
      if (plan.perSecond > 0) {
        const due = begin + (index * 1000) / plan.perSecond;
        const wait = due - deps.now();
        if (wait > 0) await deps.sleep(wait);
      }
      if (deps.now() - begin > plan.deadlineMs) {
        outcome.cutShort = true;
        next = plan.count;
        return;
      }
      outcome.started++;
      try {
        await deps.create(index);
      } catch (err) {
        outcome.failed++;
        if (outcome.errors.length < ERRORS_KEPT) outcome.errors.push((err as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(plan.concurrency, plan.count)) }, slot));
  return outcome;
}
