// How the controller manager starts the Job controller: Jobs and pods from the shared informers,
// writes as the "job-controller" ServiceAccount, events from the "job-controller" component,
// --concurrent-job-syncs workers on the "job" queue and one on "job_orphan_pod".
import { ItemExponentialFailureRateLimiter } from '@k8ts/client';
import type { ControllerStarter } from '../../controller/context.ts';
import type { Pod } from '../../controller/workload-types.ts';
import { JOB_CONTROLLER, JobController } from './job-controller.ts';
import { JOB_KIND, type Job } from './job-types.ts';

const PODS = { group: '', version: 'v1', kind: 'Pod' };

/** Kubernetes' DefaultJobApiBackOff and MaxJobApiBackOff: a failed sync is retried after 1 s, doubling to 1 min. */
const JOB_API_BACKOFF = { baseMs: 1_000, maxMs: 60_000 };

const jobApiRateLimiter = () => new ItemExponentialFailureRateLimiter<string>(JOB_API_BACKOFF.baseMs, JOB_API_BACKOFF.maxMs);

export const jobStarter: ControllerStarter = {
  name: JOB_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('job-controller');
    return new JobController({
      jobs: ctx.informers.forKind<Job>(JOB_KIND),
      pods: ctx.informers.forKind<Pod>(PODS),
      jobClient: client.forKind<Job>(JOB_KIND),
      podClient: client.forKind<Pod>(PODS),
      recorder: ctx.eventRecorder(client, JOB_CONTROLLER),
      queue: ctx.newQueue('job', jobApiRateLimiter()),
      orphanQueue: ctx.newQueue('job_orphan_pod', jobApiRateLimiter()),
      workers: ctx.options.concurrency['concurrent-job-syncs'],
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};
