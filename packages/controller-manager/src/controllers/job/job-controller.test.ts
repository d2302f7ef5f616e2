import { afterEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../controller/workload-types.ts';
import type { ControllerHarness } from '../../testing/harness.ts';
import {
  allPods,
  completeDeletions,
  conditionsOf,
  finishPod,
  job,
  jobNamed,
  livePods,
  PODS,
  runPod,
  startJobController,
} from './testing.ts';

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

async function start(...objects: Parameters<typeof startJobController>) {
  const started = await startJobController(...objects);
  harness = started.h;
  return started;
}

const JOB = { group: 'batch', version: 'v1', kind: 'Job' };
const names = (pods: Pod[]) => pods.map((p) => p.metadata.name!).sort();
const podCreates = (h: ControllerHarness) => h.api.writes().filter((w) => w.resource === 'pods' && w.verb === 'create');

describe('Job controller', () => {
  it('starts parallelism pods stamped from the template, tracked by a finalizer and owned by the Job', async () => {
    const { h } = await start(job('pi', { completions: 4, parallelism: 2 }));
    await h.until(() => allPods(h).length === 2 && jobNamed(h, 'pi').status?.active === 2, '2 pods and status.active 2');
    for (const pod of allPods(h)) {
      expect(pod.metadata.generateName).toBe('pi-');
      expect(pod.metadata.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
      expect(pod.metadata.labels).toMatchObject({ 'batch.kubernetes.io/job-name': 'pi', 'batch.kubernetes.io/controller-uid': 'uid-pi', 'job-name': 'pi' });
      expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: 'uid-pi', controller: true, blockOwnerDeletion: true }]);
    }
    const status = jobNamed(h, 'pi').status!;
    expect(status).toEqual({ active: 2, ready: 0, terminating: 0, startTime: '2025-01-01T00:00:00Z', uncountedTerminatedPods: {} });
    await h.until(() => h.eventLines().length === 2, 'two events');
    expect(h.eventLines().sort()).toEqual(names(allPods(h)).map((n) => `Normal SuccessfulCreate Created pod: ${n}`));
  });

  it('runs completions 4 two at a time, counts each success once, and completes in two steps', async () => {
    const { h } = await start(job('sleep-job', { completions: 4, parallelism: 2, backoffLimit: 2, activeDeadlineSeconds: 600 }));
    let maxActive = 0;
    for (let round = 0; round < 2; round++) {
      await h.until(() => livePods(h).length === 2, `round ${round}: 2 running pods`);
      for (const pod of livePods(h)) await runPod(h, pod.metadata.name!);
      await h.until(() => jobNamed(h, 'sleep-job').status?.ready === 2, 'ready 2');
      maxActive = Math.max(maxActive, livePods(h).length);
      for (const pod of livePods(h)) await finishPod(h, pod.metadata.name!);
      await h.until(() => (jobNamed(h, 'sleep-job').status?.succeeded ?? 0) === 2 * (round + 1), `${2 * (round + 1)} succeeded`);
      maxActive = Math.max(maxActive, livePods(h).length);
    }
    await h.until(() => conditionsOf(h, 'sleep-job').some((c) => c.startsWith('Complete=True')), 'Complete');
    const finished = jobNamed(h, 'sleep-job');
    expect(maxActive).toBe(2);
    expect(podCreates(h)).toHaveLength(4);
    expect(conditionsOf(h, 'sleep-job')).toEqual([
      'SuccessCriteriaMet=True CompletionsReached: Reached expected number of succeeded pods',
      'Complete=True CompletionsReached: Reached expected number of succeeded pods',
    ]);
    expect(finished.status).toMatchObject({ succeeded: 4, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(finished.status?.active).toBeUndefined();
    expect(finished.status?.failed).toBeUndefined();
    expect(finished.status?.completionTime).toBeTruthy();
    // Every pod was counted, so none keeps the tracking finalizer.
    expect(allPods(h).every((p) => (p.metadata.finalizers ?? []).length === 0)).toBe(true);
    await h.until(() => h.eventLines().includes('Normal Completed Job completed'), 'the Completed event');
    expect(h.eventLines().filter((l) => l.includes('SuccessfulCreate'))).toHaveLength(4);
  });

  it('recreates failed pods after 10 s, then 20 s, and fails the Job past backoffLimit', async () => {
    const { h } = await start(job('fails', { backoffLimit: 2 }));
    const failedAt: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      await h.until(() => podCreates(h).length === attempt + 1, `pod ${attempt + 1}`, 120_000);
      const [pod] = livePods(h);
      await runPod(h, pod!.metadata.name!);
      await finishPod(h, pod!.metadata.name!, 1);
      // finishedAt, as the kubelet writes it: whole seconds.
      failedAt.push(Math.floor(h.clock.now() / 1000) * 1000);
      if (attempt < 2) await h.until(() => jobNamed(h, 'fails').status?.failed === attempt + 1, `failed ${attempt + 1}`);
    }
    await h.until(() => conditionsOf(h, 'fails').some((c) => c.startsWith('Failed=True')), 'Failed', 30_000);
    const createdAt = allPods(h)
      .map((p) => Date.parse(p.metadata.creationTimestamp!))
      .sort((a, b) => a - b);
    // Each replacement waits for the back-off counted from the last failure: 10 s, then 20 s.
    expect(createdAt[1]! - failedAt[0]!).toBeGreaterThanOrEqual(10_000);
    expect(createdAt[1]! - failedAt[0]!).toBeLessThan(12_000);
    expect(createdAt[2]! - failedAt[1]!).toBeGreaterThanOrEqual(20_000);
    expect(createdAt[2]! - failedAt[1]!).toBeLessThan(22_000);
    expect(conditionsOf(h, 'fails')).toEqual([
      'FailureTarget=True BackoffLimitExceeded: Job has reached the specified backoff limit',
      'Failed=True BackoffLimitExceeded: Job has reached the specified backoff limit',
    ]);
    expect(jobNamed(h, 'fails').status).toMatchObject({ failed: 3, ready: 0, terminating: 0 });
    expect(jobNamed(h, 'fails').status?.completionTime).toBeUndefined();
    expect(podCreates(h)).toHaveLength(3);
    await h.until(() => h.eventLines().includes('Warning BackoffLimitExceeded Job has reached the specified backoff limit'), 'the event');
  });

  it('counts a pod deleted while running as failed and replaces it after the back-off', async () => {
    const { h } = await start(job('deleted', { completions: 1, parallelism: 1 }));
    await h.until(() => livePods(h).length === 1, 'a pod');
    const [victim] = livePods(h);
    await runPod(h, victim!.metadata.name!);
    await h.client.forKind(PODS).namespace('default').delete(victim!.metadata.name!);
    const deletedAt = h.clock.now();
    await h.until(() => jobNamed(h, 'deleted').status?.failed === 1, 'failed 1');
    // Still terminating (the kubelet has not stopped it), yet its replacement may start: the
    // default podReplacementPolicy is TerminatingOrFailed.
    await h.until(() => livePods(h).length === 1, 'a replacement', 30_000);
    expect(h.clock.now() - deletedAt).toBeGreaterThanOrEqual(9_000);
    expect(allPods(h).find((p) => p.metadata.name === victim!.metadata.name)?.metadata.finalizers ?? []).toEqual([]);
    expect(jobNamed(h, 'deleted').status).toMatchObject({ active: 1, failed: 1, terminating: 1 });
  });

  it('kills the pods of a Job past activeDeadlineSeconds, and marks it Failed once they are gone', async () => {
    const { h } = await start(job('slow', { completions: 2, parallelism: 2, activeDeadlineSeconds: 30 }));
    await h.until(() => livePods(h).length === 2, 'two pods');
    for (const pod of livePods(h)) await runPod(h, pod.metadata.name!);
    await h.settle(25_000);
    expect(conditionsOf(h, 'slow')).toEqual([]);
    await h.until(() => conditionsOf(h, 'slow').length > 0, 'a condition', 10_000);
    expect(conditionsOf(h, 'slow')).toEqual(['FailureTarget=True DeadlineExceeded: Job was active longer than specified deadline']);
    expect(h.clock.now() - Date.UTC(2025, 0, 1)).toBeGreaterThanOrEqual(30_000);
    // The pods are terminating: the Job waits for them before it is Failed.
    await h.until(() => jobNamed(h, 'slow').status?.terminating === 2, 'terminating 2');
    expect(allPods(h).every((p) => p.metadata.deletionTimestamp)).toBe(true);
    await h.settle(2000);
    expect(conditionsOf(h, 'slow')).toHaveLength(1);
    await completeDeletions(h);
    await h.until(() => conditionsOf(h, 'slow').length === 2, 'Failed');
    expect(conditionsOf(h, 'slow')[1]).toBe('Failed=True DeadlineExceeded: Job was active longer than specified deadline');
    expect(jobNamed(h, 'slow').status).toMatchObject({ failed: 2, terminating: 0 });
    await h.until(() => allPods(h).length === 0, 'the killed pods gone');
    const lines = h.eventLines();
    expect(lines.filter((l) => l.startsWith('Normal SuccessfulDelete Deleted pod: slow-'))).toHaveLength(2);
    await h.until(() => h.eventLines().includes('Warning DeadlineExceeded Job was active longer than specified deadline'), 'the event');
  });

  it('suspends: no pods and no startTime; resuming starts the clock and the pods', async () => {
    const { h } = await start(job('later', { completions: 2, parallelism: 2, suspend: true }));
    await h.until(() => conditionsOf(h, 'later').length === 1, 'Suspended');
    expect(conditionsOf(h, 'later')).toEqual(['Suspended=True JobSuspended: Job suspended']);
    expect(jobNamed(h, 'later').status?.startTime).toBeUndefined();
    expect(allPods(h)).toHaveLength(0);
    await h.clock.advance(5000);
    await h.client.forKind(JOB).namespace('default').patch('later', 'merge', { spec: { suspend: false } });
    await h.until(() => livePods(h).length === 2, 'pods after resume');
    await h.until(() => conditionsOf(h, 'later')[0] === 'Suspended=False JobResumed: Job resumed', 'Resumed');
    expect(jobNamed(h, 'later').status?.startTime).toBe('2025-01-01T00:00:05Z');
    await h.until(() => h.eventLines().includes('Normal Resumed Job resumed'), 'Resumed event');
    expect(h.eventLines()).toContain('Normal Suspended Job suspended');
  });

  it('suspending a running Job deletes its pods without counting them as failed', async () => {
    const { h } = await start(job('pause', { completions: 3, parallelism: 3 }));
    await h.until(() => livePods(h).length === 3, 'three pods');
    for (const pod of livePods(h)) await runPod(h, pod.metadata.name!);
    await h.client.forKind(JOB).namespace('default').patch('pause', 'merge', { spec: { suspend: true } });
    await h.until(() => conditionsOf(h, 'pause').includes('Suspended=True JobSuspended: Job suspended'), 'Suspended');
    await h.until(() => jobNamed(h, 'pause').status?.active === undefined && jobNamed(h, 'pause').status?.terminating === 3, 'terminating 3');
    // The finalizer went before the delete: the kubelet alone decides when they are gone.
    expect(allPods(h).every((p) => p.metadata.deletionTimestamp && (p.metadata.finalizers ?? []).length === 0)).toBe(true);
    await completeDeletions(h);
    await h.until(() => jobNamed(h, 'pause').status?.terminating === 0, 'terminating 0');
    expect(jobNamed(h, 'pause').status?.failed).toBeUndefined();
  });

  it('runs an Indexed Job: one pod per index, named and labelled with it, and records completedIndexes', async () => {
    const { h } = await start(job('idx', { completions: 3, parallelism: 2, completionMode: 'Indexed' }));
    await h.until(() => livePods(h).length === 2, 'two pods');
    const byIndex = new Map(livePods(h).map((p) => [p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'], p]));
    expect([...byIndex.keys()].sort()).toEqual(['0', '1']);
    const pod1 = byIndex.get('1')!;
    expect(pod1.metadata.generateName).toBe('idx-1-');
    expect(pod1.metadata.labels?.['batch.kubernetes.io/job-completion-index']).toBe('1');
    expect(pod1.spec?.hostname).toBe('idx-1');
    expect((pod1.spec as { containers: { env?: unknown[] }[] }).containers[0]!.env).toEqual([
      { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } },
    ]);
    await runPod(h, pod1.metadata.name!);
    await finishPod(h, pod1.metadata.name!);
    await h.until(() => jobNamed(h, 'idx').status?.completedIndexes === '1', 'index 1 completed');
    await h.until(() => livePods(h).length === 2, 'a pod for index 2');
    expect(livePods(h).map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).sort()).toEqual(['0', '2']);
    for (const pod of livePods(h)) {
      await runPod(h, pod.metadata.name!);
      await finishPod(h, pod.metadata.name!);
    }
    await h.until(() => conditionsOf(h, 'idx').some((c) => c.startsWith('Complete=True')), 'Complete');
    expect(jobNamed(h, 'idx').status).toMatchObject({ succeeded: 3, completedIndexes: '0-2' });
  });

  it('gives up an index after backoffLimitPerIndex failures, lets the others finish, and fails the Job', async () => {
    const { h } = await start(job('per-index', { completions: 2, parallelism: 2, completionMode: 'Indexed', backoffLimitPerIndex: 1, backoffLimit: 2147483647 }));
    const indexOf = (p: Pod) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'];
    const failures = (p: Pod) => p.metadata.annotations?.['batch.kubernetes.io/job-index-failure-count'];
    await h.until(() => livePods(h).length === 2, 'two pods');
    const first = livePods(h).find((p) => indexOf(p) === '0')!;
    expect(failures(first)).toBe('0');
    await runPod(h, first.metadata.name!);
    await finishPod(h, first.metadata.name!, 1);
    const failedAt = Math.floor(h.clock.now() / 1000) * 1000;
    // The failed pod keeps its finalizer until its replacement, which carries the count on.
    const finalizersOf = (name: string) => h.api.get<Pod>('v1', 'Pod', 'default', name)?.metadata.finalizers ?? [];
    await h.settle(3000);
    expect(finalizersOf(first.metadata.name!)).toEqual(['batch.kubernetes.io/job-tracking']);
    await h.until(() => livePods(h).filter((p) => indexOf(p) === '0').length === 1, 'a replacement for index 0', 30_000);
    await h.until(() => finalizersOf(first.metadata.name!).length === 0, 'the failed pod released');
    const second = livePods(h).find((p) => indexOf(p) === '0')!;
    expect(failures(second)).toBe('1');
    expect(Date.parse(second.metadata.creationTimestamp!) - failedAt).toBeGreaterThanOrEqual(10_000);
    await runPod(h, second.metadata.name!);
    await finishPod(h, second.metadata.name!, 1);
    await h.until(() => jobNamed(h, 'per-index').status?.failedIndexes === '0', 'index 0 failed');
    // Index 1 still runs: the Job waits for it.
    expect(conditionsOf(h, 'per-index')).toEqual([]);
    const other = livePods(h).find((p) => indexOf(p) === '1')!;
    await runPod(h, other.metadata.name!);
    await finishPod(h, other.metadata.name!);
    await h.until(() => conditionsOf(h, 'per-index').some((c) => c.startsWith('Failed=True')), 'Failed');
    expect(conditionsOf(h, 'per-index')).toEqual(['FailureTarget=True FailedIndexes: Job has failed indexes', 'Failed=True FailedIndexes: Job has failed indexes']);
    expect(jobNamed(h, 'per-index').status).toMatchObject({ failed: 2, succeeded: 1, completedIndexes: '1', failedIndexes: '0' });
    expect(podCreates(h)).toHaveLength(3);
  });

  it('fails the Job at once for a FailJob exit code, and ignores a disrupted pod', async () => {
    const podFailurePolicy = {
      rules: [
        { action: 'FailJob' as const, onExitCodes: { containerName: 'main', operator: 'In' as const, values: [42] } },
        { action: 'Ignore' as const, onPodConditions: [{ type: 'DisruptionTarget', status: 'True' as const }] },
      ],
    };
    const { h } = await start(job('policy', { backoffLimit: 0, podFailurePolicy }));
    await h.until(() => livePods(h).length === 1, 'a pod');
    const [first] = livePods(h);
    await runPod(h, first!.metadata.name!);
    await finishPod(h, first!.metadata.name!, 137, [{ type: 'DisruptionTarget', status: 'True' }]);
    // Ignored: replaced at once (no back-off), not counted against backoffLimit 0.
    await h.until(() => livePods(h).length === 1 && livePods(h)[0]!.metadata.name !== first!.metadata.name, 'a replacement');
    expect(jobNamed(h, 'policy').status?.failed).toBeUndefined();
    const [second] = livePods(h);
    await runPod(h, second!.metadata.name!);
    await finishPod(h, second!.metadata.name!, 42);
    await h.until(() => conditionsOf(h, 'policy').some((c) => c.startsWith('Failed=True')), 'Failed');
    expect(conditionsOf(h, 'policy')).toEqual([
      `FailureTarget=True PodFailurePolicy: Container main for pod default/${second!.metadata.name} failed with exit code 42 matching FailJob rule at index 0`,
      `Failed=True PodFailurePolicy: Container main for pod default/${second!.metadata.name} failed with exit code 42 matching FailJob rule at index 0`,
    ]);
  });

  it('finishes a work-queue Job (no completions) once a pod succeeded and the others ended', async () => {
    const { h } = await start(job('queue', { completions: null, parallelism: 2 }));
    await h.until(() => livePods(h).length === 2, 'two pods');
    const [a, b] = livePods(h);
    await runPod(h, a!.metadata.name!);
    await runPod(h, b!.metadata.name!);
    await finishPod(h, a!.metadata.name!);
    await h.settle(3000);
    // One success: nothing new is started, the other pod runs on.
    expect(podCreates(h)).toHaveLength(2);
    expect(conditionsOf(h, 'queue')).toEqual([]);
    await finishPod(h, b!.metadata.name!);
    await h.until(() => conditionsOf(h, 'queue').some((c) => c.startsWith('Complete=True')), 'Complete');
    expect(jobNamed(h, 'queue').status?.succeeded).toBe(2);
  });

  it('adopts a matching orphan pod with the tracking finalizer, and frees the pods of a deleted Job', async () => {
    const owner = job('adopt', { completions: 1, parallelism: 1 });
    const orphan: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stray', namespace: 'default', labels: { ...owner.spec!.template!.metadata!.labels } },
      spec: { containers: [{ name: 'main', image: 'busybox' }] },
      status: { phase: 'Pending' },
    };
    const { h } = await start(owner, orphan);
    await h.until(() => h.api.get<Pod>('v1', 'Pod', 'default', 'stray')?.metadata.ownerReferences?.length === 1, 'adoption');
    const adopted = h.api.get<Pod>('v1', 'Pod', 'default', 'stray')!;
    expect(adopted.metadata.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
    await h.settle(2000);
    // The adopted pod fills the one slot: nothing else is created.
    expect(podCreates(h)).toHaveLength(0);
    expect(jobNamed(h, 'adopt').status?.active).toBe(1);
    // The Job is deleted with its pods orphaned: nobody will count them, so the finalizer goes.
    await h.client.forKind(JOB).namespace('default').delete('adopt', { propagationPolicy: 'Orphan' });
    await h.api.client().forKind(JOB).namespace('default').patch('adopt', 'merge', { metadata: { finalizers: null } });
    await h.until(() => (h.api.get<Pod>('v1', 'Pod', 'default', 'stray')?.metadata.finalizers ?? []).length === 0, 'finalizer removed');
  });
});
