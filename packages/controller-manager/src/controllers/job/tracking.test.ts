import { describe, expect, it } from 'vitest';
import type { Pod } from '../../controller/workload-types.ts';
import { failureTarget, successCriteriaMet } from './conditions.ts';
import type { JobStatus } from './job-types.ts';
import { job } from './testing.ts';
import { countedFailures, countPodsWithoutFinalizers, newFinishedPods, planFinalizerRemoval, succeededIndexes, uncountedSets } from './tracking.ts';

const FINALIZER = 'batch.kubernetes.io/job-tracking';

function pod(name: string, phase: 'Running' | 'Succeeded' | 'Failed', shape: { finalizer?: boolean; deleting?: boolean; index?: number } = {}): Pod {
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      ...(shape.finalizer === false ? {} : { finalizers: [FINALIZER] }),
      ...(shape.deleting ? { deletionTimestamp: '2025-01-01T00:00:30Z' } : {}),
      ...(shape.index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': String(shape.index) } } : {}),
    },
    status: { phase },
  };
}

function view(status: JobStatus, pods: Pod[], spec = {}, expectedRemovals: string[] = []) {
  const j = job('pi', { completions: 4, parallelism: 2, ...spec });
  j.status = structuredClone(status);
  return { job: j, pods, uncounted: uncountedSets(status), expectedRemovals: new Set(expectedRemovals) };
}

describe('finalizer-based tracking', () => {
  it('counts a finished pod through uncountedTerminatedPods, then the counters, exactly once', () => {
    const done = pod('a', 'Succeeded');
    const broken = pod('b', 'Failed');
    // Step 1: uids into uncountedTerminatedPods, both pods to lose their finalizer.
    const first = view({ succeeded: 1 }, [done, broken, pod('c', 'Running')]);
    expect(newFinishedPods(first)).toEqual({ succeeded: [done], failed: [broken] });
    const plan = planFinalizerRemoval(first, undefined, []);
    expect(plan.podsToRemoveFinalizer.map((p) => p.metadata.name)).toEqual(['a', 'b']);
    expect(plan.needsFlush).toBe(true);
    expect(first.job.status).toEqual({ succeeded: 1, uncountedTerminatedPods: { succeeded: ['uid-a'], failed: ['uid-b'] } });
    // A sync that starts again before the finalizers went (say, after a crash) adds nothing twice.
    const again = view(first.job.status!, [done, broken]);
    expect(newFinishedPods(again)).toEqual({ succeeded: [], failed: [] });
    planFinalizerRemoval(again, undefined, []);
    expect(again.job.status?.uncountedTerminatedPods).toEqual({ succeeded: ['uid-a'], failed: ['uid-b'] });
    // Step 3: once the pods lost the finalizer, their uids move into the counters.
    const status = structuredClone(again.job.status!);
    expect(countPodsWithoutFinalizers(status, new Set(['uid-b']))).toBe(true);
    expect(status).toEqual({ succeeded: 2, uncountedTerminatedPods: { succeeded: [], failed: ['uid-b'] } });
    expect(countPodsWithoutFinalizers(status, new Set())).toBe(true);
    expect(status).toMatchObject({ succeeded: 2, failed: 1, uncountedTerminatedPods: { succeeded: [], failed: [] } });
    expect(countPodsWithoutFinalizers(status, new Set())).toBe(false);
  });

  it('leaves running pods and pods whose removal is in flight alone', () => {
    const v = view({}, [pod('a', 'Running'), pod('b', 'Succeeded')], {}, ['uid-b']);
    expect(newFinishedPods(v)).toEqual({ succeeded: [], failed: [] });
    expect(planFinalizerRemoval(v, undefined, []).podsToRemoveFinalizer).toEqual([]);
  });

  it('counts a pod deleted before it finished as failed, unless only Failed pods are replaced', () => {
    const deleted = pod('a', 'Running', { deleting: true });
    expect(newFinishedPods(view({}, [deleted])).failed).toEqual([deleted]);
    expect(newFinishedPods(view({}, [deleted], { podReplacementPolicy: 'Failed' })).failed).toEqual([]);
  });

  it('counts every unfinished pod of a failed Job as failed, but not those of a succeeded one', () => {
    const running = pod('a', 'Running', { deleting: true });
    const failing = view({}, [running], { podReplacementPolicy: 'Failed' });
    planFinalizerRemoval(failing, failureTarget('DeadlineExceeded', 'Job was active longer than specified deadline', 0), []);
    expect(failing.job.status?.uncountedTerminatedPods).toEqual({ failed: ['uid-a'] });
    const succeeding = view({}, [pod('b', 'Running')]);
    const plan = planFinalizerRemoval(succeeding, successCriteriaMet(0), []);
    expect(plan.podsToRemoveFinalizer.map((p) => p.metadata.name)).toEqual(['b']);
    expect(succeeding.job.status?.uncountedTerminatedPods).toEqual({});
  });

  it('stops at the uncounted limit, leaving the rest for the next sync', () => {
    const pods = Array.from({ length: 5 }, (_, i) => pod(`p${i}`, 'Succeeded'));
    const plan = planFinalizerRemoval(view({}, pods), undefined, [], 3);
    expect(plan.reachedMaxUncounted).toBe(true);
    expect(plan.podsToRemoveFinalizer).toHaveLength(3);
  });

  it('records an Indexed Job’s successes as indexes, once per index, and ignores bad indexes', () => {
    const pods = [pod('a', 'Succeeded', { index: 2 }), pod('b', 'Succeeded', { index: 2 }), pod('c', 'Succeeded', { index: 9 }), pod('d', 'Succeeded', { index: 0, finalizer: false })];
    const v = view({ completedIndexes: '0' }, pods, { completionMode: 'Indexed' });
    expect(succeededIndexes(v.job, pods)).toEqual({ previous: [{ first: 0, last: 0 }], all: [{ first: 0, last: 0 }, { first: 2, last: 2 }] });
    const plan = planFinalizerRemoval(v, undefined, [{ first: 0, last: 0 }]);
    expect(plan.newSucceededIndexes).toEqual([2, 2]);
    expect(v.job.status?.uncountedTerminatedPods).toEqual({});
  });

  it('does not count failures a podFailurePolicy ignores', () => {
    const policy = { rules: [{ action: 'Ignore' as const, onPodConditions: [{ type: 'DisruptionTarget', status: 'True' as const }] }] };
    const disrupted: Pod = { ...pod('a', 'Failed'), status: { phase: 'Failed', conditions: [{ type: 'DisruptionTarget', status: 'True' }] } };
    const v = view({}, [disrupted, pod('b', 'Failed')], { podFailurePolicy: policy });
    expect(countedFailures(v.job, newFinishedPods(v).failed)).toBe(1);
    const plan = planFinalizerRemoval(v, undefined, []);
    expect(plan.podsToRemoveFinalizer).toHaveLength(2);
    expect(v.job.status?.uncountedTerminatedPods).toEqual({ failed: ['uid-b'] });
  });
});
