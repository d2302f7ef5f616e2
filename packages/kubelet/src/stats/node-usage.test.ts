import { describe, expect, it } from 'vitest';
import type { ContainerStats } from '../runtime/runtime.ts';
import { NodeUsageAccount } from './node-usage.ts';

const stat = (containerId: string, cpu: number, memory = 1000): ContainerStats => ({
  containerId,
  sandboxId: 's',
  timestamp: 0,
  cpuUsageCoreNanoSeconds: cpu,
  memoryWorkingSetBytes: memory,
});

describe('NodeUsageAccount', () => {
  const system = { cpuNanoCores: 100_000_000, memoryWorkingSetBytes: 5000 };

  it('adds container CPU growth and the system rate; memory is containers plus system', () => {
    const node = new NodeUsageAccount(system, 0);
    // 10 s of system at 100m = 1e9 core-ns, plus the new container's 3e9
    expect(node.sample([stat('a', 3e9)], 10_000)).toEqual({ cpuUsageCoreNanoSeconds: 4e9, memoryWorkingSetBytes: 6000 });
    expect(node.sample([stat('a', 5e9), stat('b', 1e9, 2000)], 20_000)).toEqual({ cpuUsageCoreNanoSeconds: 4e9 + 1e9 + 2e9 + 1e9, memoryWorkingSetBytes: 8000 });
  });

  it('never goes down when containers go away', () => {
    const node = new NodeUsageAccount(system, 0);
    const first = node.sample([stat('a', 9e9)], 1000).cpuUsageCoreNanoSeconds;
    const second = node.sample([], 2000).cpuUsageCoreNanoSeconds;
    expect(second).toBeGreaterThan(first);
    // a restarted container starts from zero again: counted from zero, not subtracted
    const third = node.sample([stat('a', 1e9)], 3000).cpuUsageCoreNanoSeconds;
    expect(third).toBe(second + 1e9 + 1e8);
  });
});
