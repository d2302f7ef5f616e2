import { describe, expect, it } from 'vitest';
import { CrashLoopBackoff } from './crash-loop-backoff.ts';
import { emptyView } from './runtime-view.ts';
import { planPodSync } from './sync-plan.ts';
import { attempt, pod, T0, view } from './testing-fixtures.ts';

const names = (plan: ReturnType<typeof planPodSync>) => plan.start.map((s) => `${s.container.name}#${s.attempt}`);

describe('planPodSync', () => {
  it('creates the sandbox first', () => {
    const plan = planPodSync(pod(), emptyView(), T0, new CrashLoopBackoff());
    expect(plan).toMatchObject({ createSandbox: true, start: [], finished: false });
  });

  it('starts every app container once the sandbox is there', () => {
    const p = pod({ containers: [{ name: 'web' }, { name: 'log' }] });
    expect(names(planPodSync(p, view(), T0, new CrashLoopBackoff()))).toEqual(['web#0', 'log#0']);
    expect(names(planPodSync(p, view(attempt('web', 0, { state: 'running' })), T0, new CrashLoopBackoff()))).toEqual(['log#0']);
  });

  it('runs init containers one at a time, in order, before the app', () => {
    const p = pod({ initContainers: [{ name: 'a' }, { name: 'b' }] });
    const backoff = new CrashLoopBackoff();
    expect(names(planPodSync(p, view(), T0, backoff))).toEqual(['a#0']);
    expect(names(planPodSync(p, view(attempt('a', 0, { state: 'running' })), T0, backoff))).toEqual([]);
    expect(names(planPodSync(p, view(attempt('a', 0, { state: 'exited' })), T0 + 2000, backoff))).toEqual(['b#0']);
    const done = view(attempt('a', 0, { state: 'exited' }), attempt('b', 0, { state: 'exited' }));
    expect(names(planPodSync(p, done, T0 + 2000, backoff))).toEqual(['web#0']);
  });

  it('fails the pod when an init container fails and restartPolicy is Never', () => {
    const p = pod({ restartPolicy: 'Never', initContainers: [{ name: 'a' }] });
    const plan = planPodSync(p, view(attempt('a', 0, { state: 'exited', exitCode: 1 })), T0 + 5000, new CrashLoopBackoff());
    expect(plan).toMatchObject({ start: [], finished: true });
  });

  it('restarts per restartPolicy: Always restarts, OnFailure only failures, Never nothing', () => {
    const exited0 = view(attempt('web', 0, { state: 'exited', exitCode: 0 }));
    const exited1 = view(attempt('web', 0, { state: 'exited', exitCode: 1 }));
    const at = T0 + 2000;
    expect(names(planPodSync(pod({ restartPolicy: 'Always' }), exited0, at, new CrashLoopBackoff()))).toEqual(['web#1']);
    expect(planPodSync(pod({ restartPolicy: 'OnFailure' }), exited0, at, new CrashLoopBackoff())).toMatchObject({ start: [], finished: true });
    expect(names(planPodSync(pod({ restartPolicy: 'OnFailure' }), exited1, at, new CrashLoopBackoff()))).toEqual(['web#1']);
    expect(planPodSync(pod({ restartPolicy: 'Never' }), exited1, at, new CrashLoopBackoff())).toMatchObject({ start: [], finished: true });
  });

  it('waits out the crash-loop back-off before the second restart', () => {
    const crashed = view(attempt('web', 1, { state: 'exited', exitCode: 1, startedAt: T0, finishedAt: T0 + 1000 }), attempt('web', 0, { state: 'exited', exitCode: 1 }));
    const backoff = new CrashLoopBackoff();
    const waiting = planPodSync(pod(), crashed, T0 + 5000, backoff);
    expect(waiting.start).toEqual([]);
    expect(waiting.backingOff.get('web')).toEqual({ init: false, restartAt: T0 + 11_000, delayMs: 10_000 });
    expect(names(planPodSync(pod(), crashed, T0 + 11_000, backoff))).toEqual(['web#2']);
  });

  it('does nothing more for a pod whose sandbox was stopped after it finished', () => {
    const stopped = view(attempt('web', 0, { state: 'exited' }));
    stopped.sandbox!.state = 'notready';
    expect(planPodSync(pod({ restartPolicy: 'Never' }), stopped, T0 + 5000, new CrashLoopBackoff())).toMatchObject({ createSandbox: false, start: [], finished: true });
  });
});
