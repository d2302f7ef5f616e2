// The CronJob journeys of the tutorials on a hollow-node cluster started with `k8ts up --runtime
// fake --nodes 2`, through real kubectl 1.32: a CronJob firing every minute whose Job runs
// `sleep 2` to completion, `kubectl create job --from=cronjob/…`, successfulJobsHistoryLimit
// trimming old Jobs, suspend stopping new ones — and a Job deleted ttlSecondsAfterFinished after
// it finished. Schedules fire on wall-clock minutes, so the file takes about three minutes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCluster, SLOW } from './fake-cluster.ts';

const cluster = new FakeCluster('cron', 2);
const NS = 'cron';

interface Job {
  metadata: { name: string; annotations?: Record<string, string>; ownerReferences?: { kind: string; name: string; controller?: boolean }[] };
  status?: { succeeded?: number; completionTime?: string; conditions?: { type: string; status: string }[] };
}

interface CronJob {
  status?: { active?: { name: string }[]; lastScheduleTime?: string; lastSuccessfulTime?: string };
}

const complete = (job: Job) => job.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ?? false;

async function jobsOf(cronJob: string): Promise<Job[]> {
  const list = await cluster.json<{ items: Job[] }>(['get', 'jobs', '-n', NS]);
  return list.items.filter((j) => j.metadata.ownerReferences?.some((r) => r.kind === 'CronJob' && r.name === cronJob && r.controller));
}

async function eventMessages(cronJob: string): Promise<string[]> {
  const list = await cluster.json<{ items: { reason: string; message: string }[] }>([
    'get',
    'events',
    '-n',
    NS,
    '--field-selector',
    `involvedObject.kind=CronJob,involvedObject.name=${cronJob}`,
  ]);
  return list.items.map((e) => `${e.reason} ${e.message}`);
}

let suspendedAt = 0;

beforeAll(async () => {
  await cluster.up();
  await cluster.kubectlOk(['create', 'namespace', NS]);
  await cluster.kubectlOk(['create', 'cronjob', 'hello', '--image=busybox', '--schedule=*/1 * * * *', '-n', NS, '--', 'sleep', '2']);
  // The same, keeping only the last successful Job.
  await cluster.kubectlOk(['apply', '-n', NS, '-f', '-'], `apiVersion: batch/v1
kind: CronJob
metadata:
  name: keep1
spec:
  schedule: "* * * * *"
  successfulJobsHistoryLimit: 1
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: main
            image: busybox
            command: ["sleep", "2"]
`);
}, SLOW);

afterAll(() => cluster.cleanup(), SLOW);

describe('a CronJob on hollow nodes', () => {
  it('starts a Job at the next minute, which runs `sleep 2` to completion', async () => {
    const [job] = await cluster.eventually('the first job of hello', async () => {
      const jobs = await jobsOf('hello');
      return jobs.length > 0 ? jobs : undefined;
    }, 80_000);
    // Named for its scheduled time in minutes since the epoch, which it records.
    expect(job!.metadata.name).toMatch(/^hello-\d{8}$/);
    const scheduled = job!.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'];
    expect(scheduled).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
    expect(Number(job!.metadata.name.slice('hello-'.length))).toBe(Date.parse(scheduled!) / 60_000);

    const done = await cluster.eventually('the job complete', async () => {
      const jobs = await jobsOf('hello');
      return jobs.find((j) => j.metadata.name === job!.metadata.name && complete(j));
    }, 60_000);
    expect(done.status?.succeeded).toBe(1);

    const cronJob = await cluster.eventually('hello records the success', async () => {
      const cj = await cluster.json<CronJob>(['get', 'cronjob', 'hello', '-n', NS]);
      return cj.status?.lastSuccessfulTime ? cj : undefined;
    }, 30_000);
    expect(cronJob.status?.lastScheduleTime).toBe(scheduled);
    const messages = await eventMessages('hello');
    expect(messages).toContain(`SuccessfulCreate Created job ${job!.metadata.name}`);
    expect(messages).toContain(`SawCompletedJob Saw completed job: ${job!.metadata.name}, condition: Complete`);

    const row = (await cluster.kubectlOk(['get', 'cronjob', 'hello', '-n', NS, '--no-headers'])).trim().split(/\s+/);
    // NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST-SCHEDULE AGE
    expect(row.slice(0, 4)).toEqual(['hello', '*/1', '*', '*']);
    expect(row).toContain('False');
  }, SLOW);

  it('runs a Job made from it by `kubectl create job --from=cronjob/hello`', async () => {
    expect(await cluster.kubectlOk(['create', 'job', 'manual', '--from=cronjob/hello', '-n', NS])).toContain('job.batch/manual created');
    const job = await cluster.json<Job>(['get', 'job', 'manual', '-n', NS]);
    expect(job.metadata.annotations?.['cronjob.kubernetes.io/instantiate']).toBe('manual');
    expect(job.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronJob', name: 'hello' });
    await cluster.eventually('manual complete', async () => complete(await cluster.json<Job>(['get', 'job', 'manual', '-n', NS])) || undefined, 60_000);
  }, SLOW);

  it('starts nothing new once suspended', async () => {
    await cluster.kubectlOk(['patch', 'cronjob', 'hello', '-n', NS, '-p', '{"spec":{"suspend":true}}']);
    suspendedAt = Date.now();
    const row = (await cluster.kubectlOk(['get', 'cronjob', 'hello', '-n', NS, '--no-headers'])).trim().split(/\s+/);
    expect(row).toContain('True');
  }, SLOW);

  it('deletes a finished Job ttlSecondsAfterFinished after it finished', async () => {
    await cluster.kubectlOk(['apply', '-n', NS, '-f', '-'], `apiVersion: batch/v1
kind: Job
metadata:
  name: short-lived
spec:
  ttlSecondsAfterFinished: 5
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox
        command: ["sleep", "1"]
`);
    const finishedAt = await cluster.eventually('short-lived complete', async () => {
      const job = await cluster.json<Job>(['get', 'job', 'short-lived', '-n', NS]);
      return complete(job) ? Date.now() : undefined;
    }, 60_000);
    await cluster.eventually('short-lived deleted', async () => {
      const got = await cluster.kubectl(['get', 'job', 'short-lived', '-n', NS]);
      return got.code !== 0 && got.stderr.includes('NotFound') ? true : undefined;
    }, 60_000);
    // Not before its TTL (allowing for the poll that saw it finish).
    expect(Date.now() - finishedAt).toBeGreaterThan(3000);
  }, SLOW);

  it('keeps only successfulJobsHistoryLimit finished Jobs', async () => {
    const deleted = await cluster.eventually('keep1 deleting an old job', async () => {
      const messages = await eventMessages('keep1');
      return messages.find((m) => m.startsWith('SuccessfulDelete Deleted job keep1-'));
    }, 170_000);
    const created = (await eventMessages('keep1')).filter((m) => m.startsWith('SuccessfulCreate'));
    expect(created.length).toBeGreaterThanOrEqual(2);
    const remaining = await cluster.eventually('one finished keep1 job', async () => {
      const finished = (await jobsOf('keep1')).filter(complete);
      return finished.length === 1 ? finished : undefined;
    }, 30_000);
    expect(`SuccessfulDelete Deleted job ${remaining[0]!.metadata.name}`).not.toBe(deleted);
  }, SLOW);

  it('has started no Job for hello since it was suspended', async () => {
    // At least one full minute boundary must have passed since suspending.
    const wait = suspendedAt + 62_000 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const jobs = await jobsOf('hello');
    const scheduledSince = jobs.filter((j) => Date.parse(j.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'] ?? '') > suspendedAt);
    expect(scheduledSince).toEqual([]);
  }, SLOW);
});
