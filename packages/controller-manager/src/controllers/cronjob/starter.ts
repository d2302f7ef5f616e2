// How the controller manager starts the CronJob controller: CronJobs and Jobs from the shared
// informers, writes as the "cronjob-controller" ServiceAccount, events from the
// "cronjob-controller" component, --concurrent-cron-job-syncs workers on the "cronjob" queue.
// Schedules without spec.timeZone are read in the process's local time zone, as Kubernetes does.
import type { ControllerStarter } from '../../controller/context.ts';
import { CRONJOB_CONTROLLER, CronJobController } from './cronjob-controller.ts';
import { CRONJOB_KIND, JOB_KIND, type CronJob, type Job } from './types.ts';

export const cronJobStarter: ControllerStarter = {
  name: CRONJOB_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('cronjob-controller');
    return new CronJobController({
      cronJobs: ctx.informers.forKind<CronJob>(CRONJOB_KIND),
      jobs: ctx.informers.forKind<Job>(JOB_KIND),
      cronJobClient: client.forKind<CronJob>(CRONJOB_KIND),
      jobClient: client.forKind<Job>(JOB_KIND),
      recorder: ctx.eventRecorder(client, CRONJOB_CONTROLLER),
      queue: ctx.newQueue('cronjob'),
      workers: ctx.options.concurrency['concurrent-cron-job-syncs'],
      localTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};
