import { FakeClock } from '@k8ts/client';
import { describe, expect, it } from 'vitest';
import type { PodSandboxConfig } from '../runtime.ts';
import { FakeRuntime } from './fake-runtime.ts';
import { CONTAINER_START_CPU_NANOS, CPU_USAGE_ANNOTATION, IDLE_CONTAINER_MEMORY_BYTES, MEMORY_USAGE_ANNOTATION } from './simulated-usage.ts';

const sandboxConfig: PodSandboxConfig = {
  name: 'web',
  namespace: 'default',
  uid: 'uid-1',
  attempt: 0,
  labels: {},
  annotations: { [CPU_USAGE_ANNOTATION]: '500m', [MEMORY_USAGE_ANNOTATION]: '64Mi' },
  hostNetwork: false,
};

async function runningPod(containers: string[], current?: () => Record<string, string>) {
  const clock = new FakeClock(Date.UTC(2025, 0, 1));
  const runtime = new FakeRuntime({ clock, idSeed: 'node-1', ...(current ? { currentAnnotations: current } : {}) });
  await runtime.updateRuntimeConfig({ podCidr: '10.244.1.0/24' });
  const sandbox = await runtime.runPodSandbox(sandboxConfig);
  const ids: string[] = [];
  for (const name of containers) {
    const id = await runtime.createContainer(sandbox, { name, attempt: 0, image: 'nginx', command: [], args: [] });
    await runtime.startContainer(id);
    ids.push(id);
  }
  return { clock, runtime, ids };
}

describe('FakeRuntime.listContainerStats', () => {
  it('accrues CPU time at the annotated rate, split over the running containers', async () => {
    const { clock, runtime } = await runningPod(['app', 'sidecar']);
    await clock.advance(10_000);
    const stats = await runtime.listContainerStats();
    expect(stats).toHaveLength(2);
    for (const s of stats) {
      // 250m each for 10 s = 2.5 core-seconds, after the start
      expect(s.cpuUsageCoreNanoSeconds).toBe(CONTAINER_START_CPU_NANOS + 2_500_000_000);
      expect(s.memoryWorkingSetBytes).toBe(32 * 1024 * 1024);
      expect(s.timestamp).toBe(clock.now());
    }
  });

  it('follows the current annotations of a running pod from the previous sample on', async () => {
    let annotations: Record<string, string> = { [CPU_USAGE_ANNOTATION]: '100m' };
    const { clock, runtime } = await runningPod(['app'], () => annotations);
    await clock.advance(10_000);
    expect((await runtime.listContainerStats())[0]!.cpuUsageCoreNanoSeconds).toBe(CONTAINER_START_CPU_NANOS + 1_000_000_000);
    annotations = {};
    await clock.advance(5_000);
    const [idle] = await runtime.listContainerStats();
    expect(idle!.cpuUsageCoreNanoSeconds).toBe(CONTAINER_START_CPU_NANOS + 1_000_000_000);
    expect(idle!.memoryWorkingSetBytes).toBe(IDLE_CONTAINER_MEMORY_BYTES);
  });

  it('reports running containers only', async () => {
    const { runtime, ids } = await runningPod(['app', 'sidecar']);
    await runtime.stopContainer(ids[0]!, 30);
    expect((await runtime.listContainerStats()).map((s) => s.containerId)).toEqual([ids[1]]);
  });
});
