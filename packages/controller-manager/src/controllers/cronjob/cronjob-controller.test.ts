import type { KubeObject } from '@k8ts/api';
import { afterEach, describe, expect, it } from 'vitest';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { CRONJOB_CONTROLLER, CronJobController } from './cronjob-controller.ts';
import { CRONJOB_KIND, JOB_KIND, type CronJob, type CronJobSpec, type Job } from './types.ts';

// The harness clock starts at 2025-01-01T00:00:00Z.
const T0 = Date.UTC(2025, 0, 1);
const MINUTE = 60_000;

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

function cronJob(name: string, spec: Partial<CronJobSpec> = {}, extra: { created?: number; status?: CronJob['status'] } = {}): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: new Date(extra.created ?? T0 - 30_000).toISOString().replace('.000', '') },
    spec: {
      schedule: '*/1 * * * *',
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { labels: { team: 'a' } },
        spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'hello', image: 'busybox', command: ['sleep', '2'] }] } } },
      },
      ...spec,
    },
    ...(extra.status ? { status: extra.status } : {}),
  };
}

/** A Job of `owner` scheduled at `minute` (minutes since the epoch), optionally finished. */
function ownedJob(owner: CronJob, minute: number, finished?: { type: 'Complete' | 'Failed'; at: number }): Job {
  const time = (ms: number) => new Date(ms).toISOString().replace('.000', '');
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `${owner.metadata.name}-${minute}`,
      namespace: 'default',
      uid: `job-${owner.metadata.name}-${minute}`,
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: {},
    status: {
      startTime: time(minute * MINUTE),
      ...(finished
        ? {
            conditions: [{ type: finished.type, status: 'True', lastTransitionTime: time(finished.at) }],
            ...(finished.type === 'Complete' ? { completionTime: time(finished.at) } : {}),
          }
        : {}),
    },
  };
}

async function start(...objects: KubeObject[]): Promise<ControllerHarness> {
  const h = (harness = new ControllerHarness(namespace('default'), ...objects));
  const controller = new CronJobController({
    cronJobs: h.informers.forKind<CronJob>(CRONJOB_KIND),
    jobs: h.informers.forKind<Job>(JOB_KIND),
    cronJobClient: h.client.forKind<CronJob>(CRONJOB_KIND),
    jobClient: h.client.forKind<Job>(JOB_KIND),
    recorder: h.recorder(CRONJOB_CONTROLLER),
    queue: h.newQueue('cronjob'),
    workers: 5,
    localTimeZone: 'UTC',
    clock: h.clock,
    logger: h.logger,
  });
  await h.start(controller);
  return h;
}

const jobs = (h: ControllerHarness) => h.api.list<Job>('batch/v1', 'Job');
const jobNames = (h: ControllerHarness) => jobs(h).map((j) => j.metadata.name);
const cronJobNamed = (h: ControllerHarness, name: string) => h.api.get<CronJob>('batch/v1', 'CronJob', 'default', name)!;
const minuteOf = (ms: number) => Math.floor(ms / MINUTE);

async function finishJob(h: ControllerHarness, name: string, type: 'Complete' | 'Failed'): Promise<void> {
  const now = new Date(h.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const status = { conditions: [{ type, status: 'True', lastTransitionTime: now }], ...(type === 'Complete' ? { completionTime: now } : {}) };
  await h.client.forKind<Job>(JOB_KIND).namespace('default').patch(name, 'merge', { status }, { subresource: 'status' });
}

describe('CronJob controller', () => {
  it('creates the Job for each schedule time, named for it, and records it in status', async () => {
    const h = await start(cronJob('hello'));
    // Created 30 s before T0: T0 itself is the first time.
    const first = `hello-${minuteOf(T0)}`;
    await h.until(() => jobNames(h).length === 1, 'the first job');
    const job = jobs(h)[0]!;
    expect(job.metadata.name).toBe(first);
    expect(job.metadata.labels).toEqual({ team: 'a' });
    expect(job.metadata.annotations).toEqual({ 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2025-01-01T00:00:00Z' });
    expect(job.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: 'uid-hello', controller: true, blockOwnerDeletion: true }]);
    expect(job.spec).toEqual(cronJob('hello').spec!.jobTemplate.spec);
    await h.until(() => (cronJobNamed(h, 'hello').status?.active ?? []).length === 1, 'status.active');
    expect(cronJobNamed(h, 'hello').status).toEqual({
      active: [{ kind: 'Job', namespace: 'default', name: first, uid: job.metadata.uid, apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion }],
      lastScheduleTime: '2025-01-01T00:00:00Z',
    });
    expect(h.eventLines()).toEqual([`Normal SuccessfulCreate Created job ${first}`]);

    // Nothing more until the next minute, then exactly one more.
    await h.until(() => h.clock.now() >= T0 + MINUTE - 1000, 'just before the next minute');
    expect(jobNames(h)).toEqual([first]);
    await h.until(() => jobNames(h).length === 2, 'the second job', 2000);
    expect(jobNames(h)).toContain(`hello-${minuteOf(T0) + 1}`);
    await h.until(() => cronJobNamed(h, 'hello').status?.lastScheduleTime === '2025-01-01T00:01:00Z', 'lastScheduleTime moves on');
  });

  it('takes finished Jobs off the active list and records the last success', async () => {
    const h = await start(cronJob('hello', { schedule: '0 * * * *' }));
    const name = `hello-${minuteOf(T0)}`;
    await h.until(() => (cronJobNamed(h, 'hello').status?.active ?? []).length === 1, 'an active job');
    await h.clock.advance(5000);
    await finishJob(h, name, 'Complete');
    await h.until(() => (cronJobNamed(h, 'hello').status?.active ?? []).length === 0, 'no active job');
    expect(cronJobNamed(h, 'hello').status).toEqual({ lastScheduleTime: '2025-01-01T00:00:00Z', lastSuccessfulTime: '2025-01-01T00:00:05Z' });
    expect(h.eventLines()).toContain(`Normal SawCompletedJob Saw completed job: ${name}, condition: Complete`);
  });

  it('deletes the oldest finished Jobs beyond the history limits', async () => {
    const cj = cronJob('tidy', { schedule: '0 0 1 7 *', successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 });
    const base = minuteOf(T0) - 100;
    const done = [0, 1, 2, 3].map((i) => ownedJob(cj, base + i, { type: 'Complete', at: (base + i) * MINUTE + 5000 }));
    const failed = [4, 5].map((i) => ownedJob(cj, base + i, { type: 'Failed', at: (base + i) * MINUTE + 5000 }));
    const h = await start(cj, ...done, ...failed);
    await h.until(() => jobs(h).length === 3, 'three jobs left');
    expect(jobNames(h).sort()).toEqual([`tidy-${base + 2}`, `tidy-${base + 3}`, `tidy-${base + 5}`]);
    expect(h.eventLines().filter((l) => l.includes('SuccessfulDelete')).sort()).toEqual(
      [base, base + 1, base + 4].map((m) => `Normal SuccessfulDelete Deleted job tidy-${m}`).sort(),
    );
    // Deleted in the background, its pods left to the garbage collector.
    const deletes = h.api.writes().filter((w) => w.verb === 'delete' && w.resource === 'jobs.batch');
    expect(deletes.every((d) => (d.body as { propagationPolicy?: string }).propagationPolicy === 'Background')).toBe(true);
  });

  it('with Forbid, skips a time while the previous Job runs', async () => {
    const cj = cronJob('single', { concurrencyPolicy: 'Forbid' });
    const h = await start(cj);
    await h.until(() => jobNames(h).length === 1, 'the first job');
    await h.until(() => h.eventLines().includes('Normal JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid'), 'JobAlreadyActive', 2 * MINUTE);
    expect(jobNames(h)).toEqual([`single-${minuteOf(T0)}`]);
    // Once it finishes, the skipped time still within reach starts late.
    await finishJob(h, `single-${minuteOf(T0)}`, 'Complete');
    await h.until(() => jobNames(h).length === 2, 'the skipped job');
    expect(jobNames(h)).toContain(`single-${minuteOf(T0) + 1}`);
  });

  it('with Replace, deletes the running Job and starts the new one', async () => {
    const h = await start(cronJob('fresh', { concurrencyPolicy: 'Replace' }));
    await h.until(() => jobNames(h).length === 1, 'the first job');
    await h.until(() => jobNames(h).includes(`fresh-${minuteOf(T0) + 1}`), 'the replacement', 2 * MINUTE);
    await h.until(() => jobNames(h).length === 1, 'only the replacement left');
    expect(h.eventLines()).toContain(`Normal SuccessfulDelete Deleted job fresh-${minuteOf(T0)}`);
    expect(cronJobNamed(h, 'fresh').status?.active?.map((a) => a.name)).toEqual([`fresh-${minuteOf(T0) + 1}`]);
  });

  it('starts nothing while suspended, and resumes when unsuspended', async () => {
    const h = await start(cronJob('paused', { suspend: true }));
    await h.settle(2 * MINUTE + 1000);
    expect(jobNames(h)).toEqual([]);
    await h.client.forKind<CronJob>(CRONJOB_KIND).namespace('default').patch('paused', 'merge', { spec: { suspend: false } });
    await h.until(() => jobNames(h).length === 1, 'a job after resuming');
    // The most recent missed time, not each of them.
    expect(jobNames(h)).toEqual([`paused-${minuteOf(T0) + 2}`]);
  });

  it('warns about more than 100 missed times but still starts the latest', async () => {
    const h = await start(cronJob('late', {}, { created: T0 - 2 * 24 * 60 * MINUTE }));
    await h.until(() => jobNames(h).length === 1, 'one job');
    expect(jobNames(h)).toEqual([`late-${minuteOf(T0)}`]);
    expect(h.eventLines()).toContain('Warning TooManyMissedTimes too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
  });

  it('reads the schedule in spec.timeZone and stamps the scheduled time in that zone', async () => {
    // 09:00 in Tokyo is midnight UTC.
    const h = await start(cronJob('tokyo', { schedule: '0 9 * * *', timeZone: 'Asia/Tokyo' }));
    await h.until(() => jobNames(h).length === 1, 'the 09:00 job');
    const job = jobs(h)[0]!;
    expect(job.metadata.name).toBe(`tokyo-${minuteOf(T0)}`);
    expect(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2025-01-01T09:00:00+09:00');
  });

  it('reports an unknown time zone instead of scheduling', async () => {
    const h = await start(cronJob('nowhere', { timeZone: 'Mars/Olympus' }));
    await h.until(() => h.eventLines().length > 0, 'an event');
    expect(h.eventLines()).toEqual(['Warning UnknownTimeZone invalid timeZone: "Mars/Olympus": unknown time zone Mars/Olympus']);
    expect(jobNames(h)).toEqual([]);
  });

  it('drops an active Job that no longer exists', async () => {
    const cj = cronJob('lost', { schedule: '0 0 1 7 *' }, {
      created: T0 - 10 * MINUTE,
      status: { active: [{ kind: 'Job', namespace: 'default', name: 'lost-1', uid: 'gone', apiVersion: 'batch/v1' }], lastScheduleTime: '2024-12-31T23:55:00Z' },
    });
    const h = await start(cj);
    await h.until(() => (cronJobNamed(h, 'lost').status?.active ?? []).length === 0, 'active emptied');
    expect(h.eventLines()).toEqual(['Normal MissingJob Active job went missing: lost-1']);
  });

  it('warns about a Job it owns but does not list as active', async () => {
    const cj = cronJob('adopt', { schedule: '0 0 1 7 *' });
    const h = await start(cj, ownedJob(cj, minuteOf(T0) - 5));
    await h.until(() => h.eventLines().length > 0, 'an event');
    expect(h.eventLines()).toEqual([`Warning UnexpectedJob Saw a job that the controller did not create or forgot: adopt-${minuteOf(T0) - 5}`]);
  });
});
