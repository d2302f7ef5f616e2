// The node's own CPU and memory. A node's CPU counter must only ever grow (metrics-server drops
// a node whose cumulative CPU went down), yet containers come and go and take their counters
// with them; so the node keeps its own account: at each sample it adds what every container
// used since the previous sample (all of it for a container seen the first time) plus what the
// system itself (kubelet, runtime, kernel) used meanwhile. Memory is the containers' working
// sets plus the system's.
import type { ContainerStats } from '../runtime/runtime.ts';

export interface SystemUsage {
  /** CPU the node's system processes use, in nanocores */
  cpuNanoCores: number;
  memoryWorkingSetBytes: number;
}

/** What the system processes of a hollow node are taken to use: a quiet kubelet and runtime. */
export const HOLLOW_NODE_SYSTEM_USAGE: SystemUsage = { cpuNanoCores: 20_000_000, memoryWorkingSetBytes: 256 * 1024 * 1024 };

export class NodeUsageAccount {
  private cpuNanos = 0;
  private lastSampleAt: number;
  private lastByContainer = new Map<string, number>();

  /** `startedAt`: when the node (its kubelet) started, the origin of its CPU counter. */
  constructor(
    private readonly system: SystemUsage,
    startedAt: number,
  ) {
    this.lastSampleAt = startedAt;
  }

  /** Accounts one sample of every running container, taken at `now`. */
  sample(containers: readonly ContainerStats[], now: number): { cpuUsageCoreNanoSeconds: number; memoryWorkingSetBytes: number } {
    const current = new Map<string, number>();
    let memory = this.system.memoryWorkingSetBytes;
    for (const c of containers) {
      current.set(c.containerId, c.cpuUsageCoreNanoSeconds);
      this.cpuNanos += Math.max(0, c.cpuUsageCoreNanoSeconds - (this.lastByContainer.get(c.containerId) ?? 0));
      memory += c.memoryWorkingSetBytes;
    }
    this.cpuNanos += (this.system.cpuNanoCores * Math.max(0, now - this.lastSampleAt)) / 1000;
    this.lastSampleAt = Math.max(this.lastSampleAt, now);
    this.lastByContainer = current;
    return { cpuUsageCoreNanoSeconds: Math.round(this.cpuNanos), memoryWorkingSetBytes: memory };
  }
}
