import { FakeClock } from '@k8ts/client';
import { describe, expect, it } from 'vitest';
import type { ContainerEvent, PodSandboxConfig } from '../runtime.ts';
import { FakeRuntime } from './fake-runtime.ts';

function sandboxConfig(annotations: Record<string, string> = {}, hostNetwork = false): PodSandboxConfig {
  return { name: 'web', namespace: 'default', uid: 'uid-1', attempt: 0, labels: {}, annotations, hostNetwork };
}

async function setup(options: { createDelayMs?: number } = {}) {
  const clock = new FakeClock(Date.UTC(2025, 0, 1));
  const runtime = new FakeRuntime({ clock, idSeed: 'node-1', ...options });
  const events: ContainerEvent[] = [];
  runtime.watchContainerEvents((e) => events.push(e));
  await runtime.updateRuntimeConfig({ podCidr: '10.244.1.0/24' });
  return { clock, runtime, events };
}

describe('FakeRuntime', () => {
  it('gives sandboxes pod IPs from the pod CIDR, none for host-network pods', async () => {
    const { runtime } = await setup();
    const a = await runtime.runPodSandbox(sandboxConfig());
    const b = await runtime.runPodSandbox(sandboxConfig({}, true));
    expect((await runtime.podSandboxStatus(a)).ip).toBe('10.244.1.2');
    expect((await runtime.podSandboxStatus(b)).ip).toBe('');
  });

  it('cannot set up a sandbox network before the node has a pod CIDR', async () => {
    const runtime = new FakeRuntime({ clock: new FakeClock(), idSeed: 'n' });
    await expect(runtime.runPodSandbox(sandboxConfig())).rejects.toThrow(/no pod CIDR yet/);
  });

  it('creates after the simulated delay, runs, and exits as the command says', async () => {
    const { clock, runtime, events } = await setup({ createDelayMs: 300 });
    const sandbox = await runtime.runPodSandbox(sandboxConfig());
    let id = '';
    const creating = runtime.createContainer(sandbox, { name: 'job', attempt: 0, image: 'busybox', command: ['sh', '-c', 'sleep 5; exit 2'], args: [] }).then((x) => (id = x));
    await clock.advance(299);
    expect(id).toBe('');
    await clock.advance(1);
    await creating;
    await runtime.startContainer(id);
    const running = await runtime.containerStatus(id);
    expect(running).toMatchObject({ state: 'running', image: 'docker.io/library/busybox:latest', startedAt: clock.now() });
    expect(running.imageRef).toMatch(/^docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
    await clock.advance(5000);
    expect(await runtime.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 2, reason: 'Error', finishedAt: running.startedAt + 5000 });
    expect(events.map((e) => e.type)).toEqual(['created', 'started', 'stopped']);
  });

  it('keeps a server running until it is stopped, then reports a clean exit', async () => {
    const { clock, runtime } = await setup();
    const sandbox = await runtime.runPodSandbox(sandboxConfig());
    const id = await runtime.createContainer(sandbox, { name: 'web', attempt: 0, image: 'nginx', command: [], args: [] });
    await runtime.startContainer(id);
    await clock.advance(3_600_000);
    expect((await runtime.containerStatus(id)).state).toBe('running');
    await runtime.stopContainer(id, 30);
    expect(await runtime.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 0, reason: 'Completed' });
  });

  it('takes the exit time and code from the pod annotations', async () => {
    const { clock, runtime } = await setup();
    const sandbox = await runtime.runPodSandbox(sandboxConfig({ 'fake.k8ts.io/exit-after': '2', 'fake.k8ts.io/exit-code': '1' }));
    const id = await runtime.createContainer(sandbox, { name: 'web', attempt: 0, image: 'nginx', command: [], args: [] });
    await runtime.startContainer(id);
    await clock.advance(2000);
    expect(await runtime.containerStatus(id)).toMatchObject({ state: 'exited', exitCode: 1 });
  });

  it('frees the pod IP when the sandbox stops', async () => {
    const { runtime } = await setup();
    const a = await runtime.runPodSandbox(sandboxConfig());
    await runtime.stopPodSandbox(a);
    await runtime.removePodSandbox(a);
    const b = await runtime.runPodSandbox(sandboxConfig());
    expect((await runtime.podSandboxStatus(b)).ip).toBe('10.244.1.2');
    expect(runtime.sandboxCount()).toBe(1);
  });
});
