// One node's agent: the pods bound to the node, each with its pod worker, the node's container
// runtime, and the routing between them — informer changes go to the pod's worker, runtime
// container events to the worker owning the sandbox, and a pod CIDR assigned by node IPAM to
// the runtime's network (then every pod waiting for a sandbox is tried again).
import { errorMessage, type Clock, type EventRecorder, type Logger } from '@k8ts/client';
import type { Node, NodeConfig } from './node/node-object.ts';
import { CrashLoopBackoff } from './pod/crash-loop-backoff.ts';
import { PodWorker, type PodWorkerContext } from './pod/pod-worker.ts';
import type { Pod } from './pod/pod-types.ts';
import type { ContainerRuntime } from './runtime/runtime.ts';
import type { PodStatusManager } from './status/status-manager.ts';

export interface KubeletDeps {
  config: NodeConfig;
  runtime: ContainerRuntime;
  /** the scheme of container IDs: "fake", "docker" */
  runtimeName: string;
  clock: Clock;
  logger: Logger;
  recorder: EventRecorder;
  statusManager: PodStatusManager;
}

export class Kubelet {
  private readonly workers = new Map<string, PodWorker>();
  private readonly bySandbox = new Map<string, PodWorker>();
  private readonly context: PodWorkerContext;
  private podCidr = '';
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: KubeletDeps) {
    this.context = {
      nodeName: deps.config.nodeName,
      runtime: deps.runtime,
      runtimeName: deps.runtimeName,
      clock: deps.clock,
      logger: deps.logger,
      recorder: deps.recorder,
      statusManager: deps.statusManager,
      backoff: new CrashLoopBackoff(),
      nodeIPs: () => [deps.config.nodeIP],
      bindSandbox: (id, worker) => this.bySandbox.set(id, worker),
      unbindSandbox: (id) => this.bySandbox.delete(id),
      finished: (uid) => this.workers.delete(uid),
    };
    this.unsubscribe = deps.runtime.watchContainerEvents((event) => this.bySandbox.get(event.sandboxId)?.trigger());
  }

  get nodeName(): string {
    return this.deps.config.nodeName;
  }

  /** A pod bound to this node was added or changed. */
  podUpdated(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    const worker = this.workers.get(uid);
    if (worker) {
      worker.update(pod);
      return;
    }
    const created = new PodWorker(this.context, pod);
    this.workers.set(uid, created);
    created.update(pod);
  }

  /** A pod bound to this node left the API. */
  podDeleted(pod: Pod): void {
    this.workers.get(pod.metadata.uid ?? '')?.remove();
  }

  /** The Node changed; once it has a pod CIDR the runtime can give pods addresses. */
  nodeUpdated(node: Node): void {
    const cidr = node.spec?.podCIDR ?? '';
    if (cidr === '' || cidr === this.podCidr) return;
    this.podCidr = cidr;
    this.deps.runtime.updateRuntimeConfig({ podCidr: cidr }).then(
      () => {
        this.deps.logger.info(`node ${JSON.stringify(this.nodeName)}: pod CIDR ${cidr}`);
        for (const worker of this.workers.values()) worker.trigger();
      },
      (err) => this.deps.logger.warn(`node ${JSON.stringify(this.nodeName)}: cannot use pod CIDR ${cidr}: ${errorMessage(err)}`),
    );
  }

  podCount(): number {
    return this.workers.size;
  }

  stop(): void {
    this.unsubscribe();
  }
}
