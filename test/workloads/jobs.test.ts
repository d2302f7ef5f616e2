// The Job journeys of the tutorials on a hollow-node cluster started with `k8ts up --runtime
// fake --nodes 3`, through real kubectl 1.32: the seed's sleep-job (4 completions, 2 at a time,
// backoffLimit 2, a deadline) watched pod by pod as `kubectl get pod -w` would show it; a Job
// whose pods keep failing, recreated with back-off until backoffLimit; and a Job killed at its
// activeDeadlineSeconds. Hollow containers exit as their command says (`sleep 3`), or as the
// fake.k8ts.io/exit-after and exit-code annotations tell them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeCluster, SLOW, type Pod } from './fake-cluster.ts';

const cluster = new FakeCluster('jobs', 3);
const NS = 'batch';

interface Job {
  status?: {
    active?: number;
    succeeded?: number;
    failed?: number;
    ready?: number;
    terminating?: number;
    startTime?: string;
    completionTime?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
    uncountedTerminatedPods?: Record<string, unknown>;
  };
}

function jobYaml(name: string, spec: string, podAnnotations = ''): string {
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${spec}
  template:
    metadata:
      annotations: {${podAnnotations}}
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox
        imagePullPolicy: IfNotPresent
        command: ["sh", "-c", "sleep 3 && echo done"]
`;
}

async function job(name: string): Promise<Job> {
  return cluster.json<Job>(['get', 'job', name, '-n', NS]);
}

function conditions(j: Job): string[] {
  return (j.status?.conditions ?? []).map((c) => `${c.type}=${c.status} ${c.reason}: ${c.message}`);
}

async function finished(name: string, type: 'Complete' | 'Failed', timeoutMs = 120_000): Promise<Job> {
  return cluster.eventually(`job ${name} ${type}`, async () => {
    const j = await job(name);
    return j.status?.conditions?.some((c) => c.type === type && c.status === 'True') ? j : undefined;
  }, timeoutMs);
}

const phase = (p: Pod) => p.status?.phase ?? 'Pending';
const running = (p: Pod) => !p.metadata.deletionTimestamp && phase(p) !== 'Succeeded' && phase(p) !== 'Failed';

beforeAll(async () => {
  await cluster.up();
  await cluster.kubectlOk(['create', 'namespace', NS]);
}, SLOW);

afterAll(() => cluster.cleanup(), SLOW);

describe('Jobs on hollow nodes', () => {
  it('runs sleep-job to 4 completions, never more than 2 pods at a time', async () => {
    const sequence: string[] = [];
    const seen = new Map<string, string>();
    let mostRunning = 0;
    const watch = await cluster.watchPods(NS, 'job-name=sleep-job', (pods) => {
      mostRunning = Math.max(mostRunning, [...pods.values()].filter(running).length);
      for (const pod of pods.values()) {
        if (seen.get(pod.metadata.name!) === phase(pod)) continue;
        seen.set(pod.metadata.name!, phase(pod));
        sequence.push(`${pod.metadata.name} ${phase(pod)}`);
      }
    });
    let done: Job;
    try {
      await cluster.kubectlOk(['apply', '-n', NS, '-f', '-'], jobYaml('sleep-job', '  activeDeadlineSeconds: 60\n  backoffLimit: 2\n  completions: 4\n  parallelism: 2'));
      done = await finished('sleep-job', 'Complete');
    } finally {
      watch.stop();
    }
    expect(mostRunning).toBe(2);
    const names = [...seen.keys()];
    expect(names).toHaveLength(4);
    for (const name of names) expect(name).toMatch(/^sleep-job-[a-z0-9]{5}$/);
    expect([...seen.values()]).toEqual(['Succeeded', 'Succeeded', 'Succeeded', 'Succeeded']);
    // Every pod is seen running before it succeeds, and the last two start only after the first two end.
    const succeededAt = names.map((n) => sequence.indexOf(`${n} Succeeded`)).sort((a, b) => a - b);
    const startedAt = names.map((n) => sequence.findIndex((line) => line.startsWith(`${n} `))).sort((a, b) => a - b);
    expect(startedAt[2]!).toBeGreaterThan(succeededAt[0]!);
    expect(conditions(done)).toEqual([
      'SuccessCriteriaMet=True CompletionsReached: Reached expected number of succeeded pods',
      'Complete=True CompletionsReached: Reached expected number of succeeded pods',
    ]);
    expect(done.status).toMatchObject({ succeeded: 4, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(done.status?.active).toBeUndefined();
    expect(done.status?.completionTime).toBeTruthy();
    const row = (await cluster.kubectlOk(['get', 'jobs', 'sleep-job', '-n', NS, '--no-headers'])).trim().split(/\s+/);
    expect(row.slice(0, 3)).toEqual(['sleep-job', 'Complete', '4/4']);
    expect(row[3]).toMatch(/^\d+s$/);
    const describe = await cluster.kubectlOk(['describe', 'job', 'sleep-job', '-n', NS]);
    expect(describe).toMatch(/Pods Statuses:\s+0 Active \(0 Ready\) \/ 4 Succeeded \/ 0 Failed/);
    expect(describe).toMatch(/Normal\s+Completed\s+\S+\s+job-controller\s+Job completed/);
    expect(describe.match(/Normal\s+SuccessfulCreate\s+\S+\s+job-controller\s+Created pod: sleep-job-/g)).toHaveLength(4);
    // Counted pods keep no tracking finalizer.
    const pods = await cluster.pods(NS, 'job-name=sleep-job');
    expect(pods.map((p) => p.metadata.finalizers ?? [])).toEqual([[], [], [], []]);
  }, SLOW);

  it('recreates a failing pod with back-off until backoffLimit, then fails the Job', async () => {
    await cluster.kubectlOk(
      ['apply', '-n', NS, '-f', '-'],
      jobYaml('fail-job', '  backoffLimit: 2', '"fake.k8ts.io/exit-after": "1", "fake.k8ts.io/exit-code": "1"'),
    );
    const failed = await finished('fail-job', 'Failed', 180_000);
    expect(conditions(failed)).toEqual([
      'FailureTarget=True BackoffLimitExceeded: Job has reached the specified backoff limit',
      'Failed=True BackoffLimitExceeded: Job has reached the specified backoff limit',
    ]);
    expect(failed.status).toMatchObject({ failed: 3, ready: 0, terminating: 0 });
    const pods = (await cluster.pods(NS, 'job-name=fail-job')).sort((a, b) => Date.parse(a.metadata.creationTimestamp!) - Date.parse(b.metadata.creationTimestamp!));
    expect(pods.map(phase)).toEqual(['Failed', 'Failed', 'Failed']);
    // Back-off before each replacement: 10 s, then 20 s (counted from the failure, not the creation).
    const created = pods.map((p) => Date.parse(p.metadata.creationTimestamp!));
    expect(created[1]! - created[0]!).toBeGreaterThanOrEqual(10_000);
    expect(created[2]! - created[1]!).toBeGreaterThanOrEqual(20_000);
    const row = (await cluster.kubectlOk(['get', 'jobs', 'fail-job', '-n', NS, '--no-headers'])).trim().split(/\s+/);
    expect(row.slice(0, 3)).toEqual(['fail-job', 'Failed', '0/1']);
    const events = await cluster.kubectlOk(['get', 'events', '-n', NS, '--field-selector', 'involvedObject.name=fail-job', '-o', 'jsonpath={range .items[*]}{.type} {.reason} {.message}{"\\n"}{end}']);
    expect(events).toContain('Warning BackoffLimitExceeded Job has reached the specified backoff limit');
  }, SLOW);

  it('kills the pods of a Job still running at activeDeadlineSeconds and fails it with DeadlineExceeded', async () => {
    await cluster.kubectlOk(['apply', '-n', NS, '-f', '-'], jobYaml('deadline-job', '  activeDeadlineSeconds: 5\n  completions: 2\n  parallelism: 2', '"fake.k8ts.io/exit-after": "600"'));
    const failed = await finished('deadline-job', 'Failed');
    expect(conditions(failed)).toEqual([
      'FailureTarget=True DeadlineExceeded: Job was active longer than specified deadline',
      'Failed=True DeadlineExceeded: Job was active longer than specified deadline',
    ]);
    const ranFor = Date.parse(failed.status!.conditions![0]!.lastTransitionTime!) - Date.parse(failed.status!.startTime!);
    expect(ranFor).toBeGreaterThanOrEqual(5_000);
    expect(failed.status).toMatchObject({ failed: 2, terminating: 0 });
    // Failed only once the killed pods were gone.
    await cluster.eventually('the killed pods gone', async () => ((await cluster.pods(NS, 'job-name=deadline-job')).length === 0 ? true : undefined));
    const events = await cluster.kubectlOk(['get', 'events', '-n', NS, '--field-selector', 'involvedObject.name=deadline-job', '-o', 'jsonpath={range .items[*]}{.type} {.reason} {.message}{"\\n"}{end}']);
    expect(events).toContain('Warning DeadlineExceeded Job was active longer than specified deadline');
    expect(events.match(/Normal SuccessfulDelete Deleted pod: deadline-job-/g)).toHaveLength(2);
  }, SLOW);
});
