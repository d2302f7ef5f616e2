// How the controller manager starts the TTL-after-finished controller: Jobs from the shared
// informer, deletes as the "ttl-after-finished-controller" ServiceAccount,
// --concurrent-ttl-after-finished-syncs workers on the "ttl_jobs_to_delete" queue.
import type { ControllerStarter } from '../../controller/context.ts';
import { JOB_KIND, type Job } from '../cronjob/types.ts';
import { TTL_AFTER_FINISHED_CONTROLLER, TtlAfterFinishedController } from './ttl-after-finished-controller.ts';

export const ttlAfterFinishedStarter: ControllerStarter = {
  name: TTL_AFTER_FINISHED_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('ttl-after-finished-controller');
    return new TtlAfterFinishedController({
      jobs: ctx.informers.forKind<Job>(JOB_KIND),
      jobClient: client.forKind<Job>(JOB_KIND),
      queue: ctx.newQueue('ttl_jobs_to_delete'),
      workers: ctx.options.concurrency['concurrent-ttl-after-finished-syncs'],
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};
