import { describe, expect, it } from 'vitest';
import { generatePodStatus, nextProbeChange, type PodStatusInput } from './pod-status.ts';
import type { BackingOff } from './sync-plan.ts';
import type { Pod } from './pod-types.ts';
import { emptyView, type PodRuntimeView } from './runtime-view.ts';
import { attempt, pod, T0, view } from './testing-fixtures.ts';

function status(p: Pod, v: PodRuntimeView, extra: Partial<PodStatusInput> = {}) {
  return generatePodStatus({ pod: p, view: v, backingOff: new Map(), runtimeName: 'fake', nodeIPs: ['172.18.0.5'], terminating: false, now: T0 + 2000, ...extra });
}

const conditionsOf = (s: ReturnType<typeof status>) => Object.fromEntries(s.conditions!.map((c) => [c.type, [c.status, c.reason ?? '', c.message ?? '']]));

describe('generatePodStatus', () => {
  it('reports ContainerCreating while the sandbox is being set up', () => {
    const s = status(pod(), emptyView());
    expect(s.phase).toBe('Pending');
    expect(s.containerStatuses![0]).toMatchObject({ name: 'web', state: { waiting: { reason: 'ContainerCreating' } }, ready: false, restartCount: 0, image: 'nginx', imageID: '', started: false });
    expect(conditionsOf(s)).toMatchObject({
      PodReadyToStartContainers: ['False', '', ''],
      Ready: ['False', 'ContainersNotReady', 'containers with unready status: [web]'],
      PodScheduled: ['True', '', ''],
    });
    expect(s.podIP).toBeUndefined();
    expect(s).toMatchObject({ hostIP: '172.18.0.5', hostIPs: [{ ip: '172.18.0.5' }] });
  });

  it('reports a running, ready pod with its IP and the kubelet condition order', () => {
    const s = status(pod(), view(attempt('web', 0, { state: 'running' })));
    expect(s.phase).toBe('Running');
    expect(s).toMatchObject({ podIP: '10.244.1.2', podIPs: [{ ip: '10.244.1.2' }], startTime: '2025-01-01T00:00:02Z' });
    expect(s.conditions!.map((c) => `${c.type}=${c.status}`)).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    expect(s.containerStatuses![0]).toEqual({
      name: 'web',
      image: 'docker.io/library/nginx:latest',
      imageID: 'docker.io/library/nginx@sha256:abc',
      state: { running: { startedAt: '2025-01-01T00:00:00Z' } },
      lastState: {},
      ready: true,
      restartCount: 0,
      containerID: 'fake://web-0',
      started: true,
    });
  });

  it('keeps transition times of unchanged conditions and keeps conditions it does not own', () => {
    const previous = status(pod(), view(attempt('web', 0, { state: 'running' })));
    previous.conditions!.push({ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI' });
    const later = status(pod({}, previous), view(attempt('web', 0, { state: 'running' })), { now: T0 + 60_000 });
    expect(later.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime).toBe('2025-01-01T00:00:02Z');
    expect(later.conditions![0]).toMatchObject({ type: 'DisruptionTarget', status: 'True' });
  });

  it('is not ready until the readiness probe initial delay has passed', () => {
    const p = pod({ containers: [{ name: 'web', readinessProbe: { initialDelaySeconds: 5 } }] });
    const v = view(attempt('web', 0, { state: 'running' }));
    expect(status(p, v, { now: T0 + 4000 }).containerStatuses![0]).toMatchObject({ ready: false, started: true });
    expect(status(p, v, { now: T0 + 5000 }).containerStatuses![0]).toMatchObject({ ready: true });
    expect(nextProbeChange(p, v, T0 + 1000)).toBe(T0 + 5000);
  });

  it('shows PodInitializing for app containers while init containers run', () => {
    const p = pod({ initContainers: [{ name: 'setup' }] });
    const s = status(p, view(attempt('setup', 0, { state: 'running' })));
    expect(s.phase).toBe('Pending');
    expect(s.containerStatuses![0]!.state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(s.initContainerStatuses![0]).toMatchObject({ state: { running: {} }, ready: false });
    expect(conditionsOf(s).Initialized).toEqual(['False', 'ContainersNotInitialized', 'containers with incomplete status: [setup]']);
  });

  it('reports CrashLoopBackOff with the last termination and a Running phase', () => {
    const v = view(attempt('web', 1, { state: 'exited', exitCode: 1 }), attempt('web', 0, { state: 'exited', exitCode: 1 }));
    const backingOff = new Map<string, BackingOff>([['web', { init: false, restartAt: T0 + 11_000, delayMs: 10_000 }]]);
    const s = status(pod(), v, { backingOff });
    expect(s.phase).toBe('Running');
    expect(s.containerStatuses![0]).toMatchObject({
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=web pod=web-1_default(uid-1)' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2025-01-01T00:00:01Z', containerID: 'fake://web-1' } },
      restartCount: 1,
      ready: false,
    });
  });

  it('completes a run-to-completion pod: Succeeded, or Failed with the exit code', () => {
    const ok = status(pod({ restartPolicy: 'Never' }), view(attempt('web', 0, { state: 'exited', exitCode: 0 })));
    expect(ok.phase).toBe('Succeeded');
    expect(ok.containerStatuses![0]!.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(conditionsOf(ok).Ready).toEqual(['False', 'PodCompleted', '']);
    const bad = status(pod({ restartPolicy: 'Never' }), view(attempt('web', 0, { state: 'exited', exitCode: 3 })));
    expect(bad.phase).toBe('Failed');
    expect(bad.containerStatuses![0]!.state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(status(pod({ restartPolicy: 'OnFailure' }), view(attempt('web', 0, { state: 'exited', exitCode: 3 }))).phase).toBe('Running');
  });

  it('gives a deleted pod whose containers stopped a terminal phase even under restartPolicy Always', () => {
    const s = status(pod(), view(attempt('web', 0, { state: 'exited', exitCode: 0 })), { terminating: true });
    expect(s.phase).toBe('Succeeded');
  });

  it('uses the node IP for host-network pods', () => {
    const s = status(pod({ hostNetwork: true }), { ...view(attempt('web', 0, { state: 'running' })), sandbox: { ...view().sandbox!, ip: '' } });
    expect(s).toMatchObject({ podIP: '172.18.0.5', podIPs: [{ ip: '172.18.0.5' }] });
  });
});
