// The I/O edge of the stats: asks the container runtime for its container stats, statuses and
// sandboxes, and turns them into the node's ResourceStats. Samples are taken one at a time, so
// the node's CPU account sees them in order even when two scrapes arrive together.
import type { Clock } from '@k8ts/client';
import type { ContainerRuntime, PodSandboxStatus } from '../runtime/runtime.ts';
import { NodeUsageAccount, type SystemUsage } from './node-usage.ts';
import { podResourceStats, type ResourceStats } from './resource-stats.ts';

export class ResourceStatsProvider {
  private readonly node: NodeUsageAccount;
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly clock: Clock,
    system: SystemUsage,
  ) {
    this.node = new NodeUsageAccount(system, clock.now());
  }

  collect(): Promise<ResourceStats> {
    const next = this.last.then(
      () => this.sample(),
      () => this.sample(),
    );
    this.last = next;
    return next;
  }

  private async sample(): Promise<ResourceStats> {
    const stats = await this.runtime.listContainerStats();
    const containers = await this.runtime.listContainers();
    const sandboxes = new Map<string, PodSandboxStatus>();
    for (const id of new Set(stats.map((s) => s.sandboxId))) {
      try {
        sandboxes.set(id, await this.runtime.podSandboxStatus(id));
      } catch {
        // removed since the stats were taken: its containers are left out
      }
    }
    const now = this.clock.now();
    return { node: { timestamp: now, ...this.node.sample(stats, now) }, pods: podResourceStats(stats, containers, sandboxes) };
  }
}
