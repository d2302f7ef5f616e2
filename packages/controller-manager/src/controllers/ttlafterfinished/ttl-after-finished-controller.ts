// The TTL-after-finished controller: deletes a finished Job (Complete or Failed)
// spec.ttlSecondsAfterFinished seconds after it finished — when its finishing condition turned
// True. A Job is queued when it is added or updated and has a TTL and has finished; a sync either
// deletes it (its TTL has run out) or queues it again for the time left. Before deleting it
// reads the Job fresh from the apiserver, since the TTL may have been changed since the cache
// saw it, and deletes with a uid precondition (a recreated Job of the same name is not touched)
// and foreground propagation (the Job goes after its pods).
import { errorMessage, isNotFound, type Clock, type Lister, type Logger, type RateLimitingQueue, type ResourceClient, type SharedIndexInformer } from '@k8ts/client';
import type { Controller } from '../../controller/context.ts';
import { timeOf } from '../../controller/controller-utils.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';
import { finishedCondition } from '../cronjob/job-status.ts';
import type { Job } from '../cronjob/types.ts';

export const TTL_AFTER_FINISHED_CONTROLLER = 'ttl-after-finished-controller';

export interface TtlAfterFinishedControllerDeps {
  jobs: SharedIndexInformer<Job>;
  jobClient: ResourceClient<Job>;
  queue: RateLimitingQueue<string>;
  /** --concurrent-ttl-after-finished-syncs */
  workers: number;
  clock: Clock;
  logger: Logger;
}

/** A finished Job with a TTL: what this controller looks after. */
export function needsCleanup(job: Job): boolean {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  return ttl !== undefined && ttl !== null && finishedCondition(job) !== undefined;
}

/**
 * timeLeft: ms until the Job's TTL runs out (≤ 0: it has), and when that is. Throws when the
 * finishing condition has no transition time.
 */
export function timeLeft(job: Job, now: number, logger: Logger): { remainingMs: number; expireAt: number } {
  const finishedAt = timeOf(finishedCondition(job)?.lastTransitionTime);
  if (finishedAt === 0) throw new Error(`unable to find the time when the Job ${job.metadata.namespace}/${job.metadata.name} finished`);
  if (finishedAt > now) {
    logger.warn(`Found Job ${job.metadata.namespace}/${job.metadata.name} finished in the future. This is likely due to time skew in the cluster. Job cleanup will be deferred.`);
  }
  const expireAt = finishedAt + (job.spec?.ttlSecondsAfterFinished ?? 0) * 1000;
  return { remainingMs: expireAt - now, expireAt };
}

export class TtlAfterFinishedController implements Controller {
  private readonly jobs: Lister<Job>;

  constructor(private readonly deps: TtlAfterFinishedControllerDeps) {
    this.jobs = deps.jobs.lister();
    deps.jobs.addEventHandler({
      onAdd: (job) => this.consider(job),
      onUpdate: (_old, cur) => this.consider(cur),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { jobs, queue, workers, clock, logger } = this.deps;
    logger.info(`Starting controller ${TTL_AFTER_FINISHED_CONTROLLER}`);
    if (!(await waitForNamedCacheSync('TTL after finished', [() => jobs.hasSynced()], signal, logger, clock))) return;
    await runWorkers({ controller: TTL_AFTER_FINISHED_CONTROLLER, queue, workers, sync: (key) => this.processJob(key), logger }, signal);
  }

  /** Deletes the Job if its TTL has run out, else queues it for when it will have. */
  async processJob(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const cached = this.jobs.get(namespace, name);
    if (!cached || !this.expired(cached, key)) return;
    // The cache may be stale (the TTL changed, or the Job was replaced): decide on a fresh read.
    const client = this.deps.jobClient.namespace(namespace);
    let fresh: Job;
    try {
      fresh = await client.get(name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!this.expired(fresh, key)) return;
    this.deps.logger.info(`Cleaning up Job ${key}`);
    try {
      await client.delete(name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata.uid ?? '' } });
    } catch (err) {
      if (isNotFound(err)) return;
      throw new Error(`deleting Job ${key}: ${errorMessage(err)}`, { cause: err });
    }
  }

  /** processTTL: whether the Job is due for deletion now; if it will be later, queue it for then. */
  private expired(job: Job, key: string): boolean {
    if (job.metadata.deletionTimestamp || !needsCleanup(job)) return false;
    const { remainingMs } = timeLeft(job, this.deps.clock.now(), this.deps.logger);
    if (remainingMs <= 0) return true;
    this.deps.queue.addAfter(key, remainingMs);
    return false;
  }

  private consider(job: Job): void {
    if (job.metadata.deletionTimestamp || !needsCleanup(job)) return;
    this.deps.queue.add(`${job.metadata.namespace ?? ''}/${job.metadata.name ?? ''}`);
  }
}
