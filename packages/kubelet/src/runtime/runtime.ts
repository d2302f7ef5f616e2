// The container runtime as the kubelet sees it: the Container Runtime Interface (CRI) reduced to
// what a node agent needs. A pod runs in a sandbox (its network namespace, with the pod IP);
// containers are created in the sandbox, started, and eventually exit; the runtime reports each
// change as a ContainerEvent (CRI's GetContainerEvents stream, the "evented PLEG"), so the
// kubelet never has to poll. Implementations: the fake runtime (runtime/fake, simulated
// containers for hollow nodes) and, later, Docker. Nothing here is specific to either.

/** CRI's ContainerState. */
export type ContainerRuntimeState = 'created' | 'running' | 'exited' | 'unknown';

export interface PodSandboxConfig {
  /** pod name, namespace and uid (CRI's PodSandboxMetadata) */
  name: string;
  namespace: string;
  uid: string;
  /** how many sandboxes this pod had before */
  attempt: number;
  labels: Record<string, string>;
  /** the pod's annotations; runtimes may read behaviour from them */
  annotations: Record<string, string>;
  /** the pod shares the node's network namespace: no pod IP is allocated */
  hostNetwork: boolean;
}

export interface PodSandboxStatus {
  id: string;
  config: PodSandboxConfig;
  state: 'ready' | 'notready';
  createdAt: number;
  /** the pod IP, empty for host-network sandboxes */
  ip: string;
}

export interface ContainerConfig {
  name: string;
  /** how many times this container was created in this pod before (its restart count) */
  attempt: number;
  /** the image as the pod names it */
  image: string;
  command: string[];
  args: string[];
}

export interface ContainerStatus {
  id: string;
  sandboxId: string;
  name: string;
  attempt: number;
  state: ContainerRuntimeState;
  /** epoch milliseconds; 0 when not yet */
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  /** for exited containers: "Completed", "Error", … */
  reason: string;
  message: string;
  /** the image normalized as the runtime stores it, e.g. docker.io/library/nginx:latest */
  image: string;
  /** the image's content reference, e.g. docker.io/library/nginx@sha256:… */
  imageRef: string;
}

export interface ImageInfo {
  /** the normalized name, e.g. docker.io/library/nginx:latest */
  image: string;
  imageRef: string;
  sizeBytes: number;
}

/**
 * CRI's ContainerStats for a running container: the CPU time it has used since it started and
 * its memory working set, measured at `timestamp`. Usage is derived from these by whoever
 * samples twice (the resource metrics pipeline computes CPU rates from two samples).
 */
export interface ContainerStats {
  containerId: string;
  sandboxId: string;
  /** epoch milliseconds the numbers were measured at */
  timestamp: number;
  /** cumulative CPU time, in core-nanoseconds */
  cpuUsageCoreNanoSeconds: number;
  memoryWorkingSetBytes: number;
}

export type ContainerEventType = 'created' | 'started' | 'stopped' | 'deleted';

export interface ContainerEvent {
  type: ContainerEventType;
  containerId: string;
  sandboxId: string;
}

export interface RuntimeVersion {
  runtimeName: string;
  runtimeVersion: string;
}

/** Thrown by runtime calls; `code` says which CRI step failed, the message what to do. */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  constructor(
    readonly code: 'SandboxNetworkNotReady' | 'NotFound' | 'ImagePullFailed' | 'Internal',
    message: string,
  ) {
    super(message);
  }
}

export interface ContainerRuntime {
  version(): Promise<RuntimeVersion>;
  /** CRI UpdateRuntimeConfig: the node's pod CIDR, once node IPAM has assigned it */
  updateRuntimeConfig(config: { podCidr: string }): Promise<void>;

  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  podSandboxStatus(sandboxId: string): Promise<PodSandboxStatus>;
  /** stops every container of the sandbox and releases its network (the pod IP) */
  stopPodSandbox(sandboxId: string): Promise<void>;
  removePodSandbox(sandboxId: string): Promise<void>;

  /** the image if present on the node */
  imageStatus(image: string): Promise<ImageInfo | undefined>;
  pullImage(image: string): Promise<ImageInfo>;

  createContainer(sandboxId: string, config: ContainerConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** SIGTERM, then SIGKILL after `timeoutSeconds` */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  containerStatus(containerId: string): Promise<ContainerStatus>;
  /** the containers of one sandbox, or of every sandbox */
  listContainers(filter?: { sandboxId?: string }): Promise<ContainerStatus[]>;
  /** CRI ListContainerStats: the stats of every running container */
  listContainerStats(): Promise<ContainerStats[]>;

  /** subscribes to container state changes; returns the unsubscribe function */
  watchContainerEvents(listener: (event: ContainerEvent) => void): () => void;
}
