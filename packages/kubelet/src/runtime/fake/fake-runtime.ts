// The fake container runtime behind hollow nodes (kubemark's and kwok's role): sandboxes and
// containers are records whose states change on an injected clock, exactly as the CRI would
// report them for real processes. Creating a container takes `createDelayMs` (the image unpack
// and process start the kubelet shows as ContainerCreating) and pulling an image `pullDelayMs`;
// a started container runs until stopped, or exits on its own as exit-plan.ts decides from its
// command line and the pod's fake.k8ts.io/* annotations. Every image is already on the node.
// While running, a container uses the CPU and memory its pod's fake.k8ts.io/cpu-usage and
// memory-usage annotations give (simulated-usage.ts); its CPU time accrues at that rate.
import { createHash } from 'node:crypto';
import type { Clock, Timer } from '@k8ts/client';
import { normalizedImageName, parseImageReference } from '../image-name.ts';
import {
  RuntimeError,
  type ContainerConfig,
  type ContainerEvent,
  type ContainerRuntime,
  type ContainerStats,
  type ContainerStatus,
  type ImageInfo,
  type PodSandboxConfig,
  type PodSandboxStatus,
  type RuntimeVersion,
} from '../runtime.ts';
import { exitPlanFor } from './exit-plan.ts';
import { HostLocalIpam } from './host-local-ipam.ts';
import { CONTAINER_START_CPU_NANOS, containerUsage } from './simulated-usage.ts';

export interface FakeRuntimeOptions {
  clock: Clock;
  /** makes container and sandbox IDs unique across runtimes in one process (the node name) */
  idSeed: string;
  createDelayMs?: number;
  pullDelayMs?: number;
  /**
   * The pod's annotations as they are now, so a pod annotated after it started changes what its
   * simulated containers use; without it, the annotations the sandbox was created with.
   */
  currentAnnotations?: (sandbox: PodSandboxConfig) => Readonly<Record<string, string>> | undefined;
}

interface SandboxRecord {
  status: PodSandboxStatus;
  containers: Set<string>;
}

interface ContainerRecord {
  status: ContainerStatus;
  config: ContainerConfig;
  exitTimer?: Timer;
  /** CPU time used up to `accountedAt`, in core-nanoseconds */
  cpuNanos: number;
  accountedAt: number;
}

export const FAKE_RUNTIME_NAME = 'fake';
export const FAKE_RUNTIME_VERSION = '1.0.0';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function fakeImageInfo(image: string): ImageInfo {
  const ref = parseImageReference(image);
  const normalized = normalizedImageName(image);
  const digest = ref.digest ?? `sha256:${sha256(normalized)}`;
  // A plausible, stable size: 5–100 MB derived from the name.
  const sizeBytes = 5_000_000 + (parseInt(sha256(`size:${normalized}`).slice(0, 8), 16) % 95_000_000);
  return { image: normalized, imageRef: `${ref.repository}@${digest}`, sizeBytes };
}

export class FakeRuntime implements ContainerRuntime {
  private readonly sandboxes = new Map<string, SandboxRecord>();
  private readonly containers = new Map<string, ContainerRecord>();
  private readonly listeners = new Set<(event: ContainerEvent) => void>();
  private ipam: HostLocalIpam | undefined;
  private nextId = 0;
  private readonly clock: Clock;
  private readonly createDelayMs: number;
  private readonly pullDelayMs: number;

  constructor(private readonly options: FakeRuntimeOptions) {
    this.clock = options.clock;
    this.createDelayMs = options.createDelayMs ?? 0;
    this.pullDelayMs = options.pullDelayMs ?? 0;
  }

  async version(): Promise<RuntimeVersion> {
    return { runtimeName: FAKE_RUNTIME_NAME, runtimeVersion: FAKE_RUNTIME_VERSION };
  }

  async updateRuntimeConfig(config: { podCidr: string }): Promise<void> {
    if (this.ipam?.cidr === config.podCidr) return;
    this.ipam = new HostLocalIpam(config.podCidr);
    // Sandboxes already running keep their addresses.
    for (const [id, sandbox] of this.sandboxes) if (sandbox.status.ip) this.ipam.allocate(id);
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = this.newId('sandbox');
    let ip = '';
    if (!config.hostNetwork) {
      if (!this.ipam) {
        throw new RuntimeError('SandboxNetworkNotReady', 'failed to set up sandbox network: the node has no pod CIDR yet (node IPAM has not assigned spec.podCIDR)');
      }
      ip = this.ipam.allocate(id);
    }
    this.sandboxes.set(id, { status: { id, config, state: 'ready', createdAt: this.clock.now(), ip }, containers: new Set() });
    return id;
  }

  async podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus> {
    return { ...this.sandbox(sandboxId).status };
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.sandboxes.get(sandboxId);
    if (!sandbox) return;
    for (const id of sandbox.containers) this.exit(id, 0);
    sandbox.status.state = 'notready';
    this.ipam?.release(sandboxId);
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.sandboxes.get(sandboxId);
    if (!sandbox) return;
    await this.stopPodSandbox(sandboxId);
    for (const id of sandbox.containers) await this.removeContainer(id);
    this.sandboxes.delete(sandboxId);
  }

  async imageStatus(image: string): Promise<ImageInfo | undefined> {
    return fakeImageInfo(image);
  }

  async pullImage(image: string): Promise<ImageInfo> {
    await this.delay(this.pullDelayMs);
    return fakeImageInfo(image);
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = this.sandbox(sandboxId);
    await this.delay(this.createDelayMs);
    if (sandbox.status.state !== 'ready') throw new RuntimeError('Internal', `sandbox ${sandboxId} is not ready`);
    const id = this.newId('container');
    const image = fakeImageInfo(config.image);
    this.containers.set(id, {
      config,
      status: {
        id,
        sandboxId,
        name: config.name,
        attempt: config.attempt,
        state: 'created',
        createdAt: this.clock.now(),
        startedAt: 0,
        finishedAt: 0,
        exitCode: 0,
        reason: '',
        message: '',
        image: image.image,
        imageRef: image.imageRef,
      },
      cpuNanos: 0,
      accountedAt: 0,
    });
    sandbox.containers.add(id);
    this.emit({ type: 'created', containerId: id, sandboxId });
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const record = this.container(containerId);
    if (record.status.state !== 'created') throw new RuntimeError('Internal', `container ${containerId} is ${record.status.state}, not created`);
    record.status.state = 'running';
    record.status.startedAt = this.clock.now();
    record.accountedAt = record.status.startedAt;
    record.cpuNanos = CONTAINER_START_CPU_NANOS;
    const annotations = this.sandbox(record.status.sandboxId).status.config.annotations;
    const plan = exitPlanFor(record.config.command, record.config.args, annotations);
    if (plan) record.exitTimer = this.clock.setTimer(plan.afterMs, () => this.exit(containerId, plan.exitCode));
    this.emit({ type: 'started', containerId, sandboxId: record.status.sandboxId });
  }

  async stopContainer(containerId: string, _timeoutSeconds: number): Promise<void> {
    // Simulated processes honour SIGTERM at once and exit cleanly, so the grace period never runs out.
    this.exit(containerId, 0);
  }

  async removeContainer(containerId: string): Promise<void> {
    const record = this.containers.get(containerId);
    if (!record) return;
    record.exitTimer?.cancel();
    this.containers.delete(containerId);
    this.sandboxes.get(record.status.sandboxId)?.containers.delete(containerId);
    this.emit({ type: 'deleted', containerId, sandboxId: record.status.sandboxId });
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return { ...this.container(containerId).status };
  }

  async listContainers(filter: { sandboxId?: string } = {}): Promise<ContainerStatus[]> {
    const ids = filter.sandboxId === undefined ? [...this.containers.keys()] : [...(this.sandboxes.get(filter.sandboxId)?.containers ?? [])];
    return ids.map((id) => ({ ...this.container(id).status }));
  }

  /**
   * Each running container's CPU time grows by its current rate over the time since it was last
   * accounted, so a changed annotation applies from the previous sample on.
   */
  async listContainerStats(): Promise<ContainerStats[]> {
    const now = this.clock.now();
    const stats: ContainerStats[] = [];
    for (const sandbox of this.sandboxes.values()) {
      const running = [...sandbox.containers].map((id) => this.container(id)).filter((r) => r.status.state === 'running');
      if (running.length === 0) continue;
      const config = sandbox.status.config;
      const usage = containerUsage(this.options.currentAnnotations?.(config) ?? config.annotations, running.length);
      for (const record of running) {
        record.cpuNanos += (usage.cpuNanoCores * Math.max(0, now - record.accountedAt)) / 1000;
        record.accountedAt = Math.max(record.accountedAt, now);
        stats.push({
          containerId: record.status.id,
          sandboxId: record.status.sandboxId,
          timestamp: now,
          cpuUsageCoreNanoSeconds: Math.round(record.cpuNanos),
          memoryWorkingSetBytes: usage.memoryWorkingSetBytes,
        });
      }
    }
    return stats;
  }

  watchContainerEvents(listener: (event: ContainerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many sandboxes exist (for tests and the hollow-node summary). */
  sandboxCount(): number {
    return this.sandboxes.size;
  }

  private exit(containerId: string, exitCode: number): void {
    const record = this.containers.get(containerId);
    if (!record) return;
    record.exitTimer?.cancel();
    record.exitTimer = undefined;
    const status = record.status;
    if (status.state === 'exited') return;
    if (status.state === 'created') status.startedAt = 0;
    status.state = 'exited';
    status.finishedAt = this.clock.now();
    status.exitCode = exitCode;
    status.reason = exitCode === 0 ? 'Completed' : 'Error';
    this.emit({ type: 'stopped', containerId, sandboxId: status.sandboxId });
  }

  private emit(event: ContainerEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private sandbox(id: string): SandboxRecord {
    const sandbox = this.sandboxes.get(id);
    if (!sandbox) throw new RuntimeError('NotFound', `sandbox ${JSON.stringify(id)} not found`);
    return sandbox;
  }

  private container(id: string): ContainerRecord {
    const record = this.containers.get(id);
    if (!record) throw new RuntimeError('NotFound', `container ${JSON.stringify(id)} not found`);
    return record;
  }

  /** 64 hex digits like a real runtime's IDs, unique per runtime via the seed. */
  private newId(kind: string): string {
    return sha256(`${this.options.idSeed}/${kind}/${this.nextId++}`);
  }

  private delay(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => this.clock.setTimer(ms, resolve));
  }
}
