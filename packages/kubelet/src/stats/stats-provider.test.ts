import { FakeClock } from '@k8ts/client';
import { describe, expect, it } from 'vitest';
import { FakeRuntime } from '../runtime/fake/fake-runtime.ts';
import { CONTAINER_START_CPU_NANOS, CPU_USAGE_ANNOTATION, MEMORY_USAGE_ANNOTATION } from '../runtime/fake/simulated-usage.ts';
import { ResourceStatsProvider } from './stats-provider.ts';

describe('ResourceStatsProvider', () => {
  it("reports each running pod's containers and sums, and the node with its system usage", async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 1));
    const runtime = new FakeRuntime({ clock, idSeed: 'node-1' });
    await runtime.updateRuntimeConfig({ podCidr: '10.244.1.0/24' });
    const provider = new ResourceStatsProvider(runtime, clock, { cpuNanoCores: 10_000_000, memoryWorkingSetBytes: 1 << 20 });
    const annotations = { [CPU_USAGE_ANNOTATION]: '400m', [MEMORY_USAGE_ANNOTATION]: '8Mi' };
    const sandbox = await runtime.runPodSandbox({ name: 'web', namespace: 'shop', uid: 'u1', attempt: 0, labels: {}, annotations, hostNetwork: false });
    for (const name of ['app', 'proxy']) {
      const id = await runtime.createContainer(sandbox, { name, attempt: 0, image: 'nginx', command: [], args: [] });
      await runtime.startContainer(id);
    }
    await clock.advance(5000);
    const stats = await provider.collect();
    expect(stats.pods).toHaveLength(1);
    const [pod] = stats.pods;
    const each = CONTAINER_START_CPU_NANOS + 1e9;
    expect(pod).toMatchObject({ name: 'web', namespace: 'shop', cpuUsageCoreNanoSeconds: 2 * each, memoryWorkingSetBytes: 8 << 20 });
    expect(pod!.containers.map((c) => [c.name, c.cpuUsageCoreNanoSeconds, c.startTime])).toEqual([
      ['app', each, Date.UTC(2025, 0, 1)],
      ['proxy', each, Date.UTC(2025, 0, 1)],
    ]);
    // the containers' CPU plus 5 s of the system's 10m
    expect(stats.node).toEqual({ timestamp: clock.now(), cpuUsageCoreNanoSeconds: 2 * each + 5e7, memoryWorkingSetBytes: (8 << 20) + (1 << 20) });
  });
});
