// The taint eviction controller (kube-controller-manager's tainteviction package, the former
// "taint manager"): pods bound to a node with NoExecute taints are deleted — at once when they
// do not tolerate every such taint; after the smallest tolerationSeconds of the tolerations
// used when they do (counted from when this controller noticed, not from the taint's
// timeAdded); never when they tolerate all of them forever. Before deleting, it marks the pod
// with the DisruptionTarget condition so the pod's owner can tell why it went.
import {
  isNotFound,
  type Clock,
  type EventRecorder,
  type Lister,
  type Logger,
  type RateLimitingQueue,
  type ResourceClient,
  type SharedIndexInformer,
} from '@k8ts/client';
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import type { Controller } from '../../controller/context.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';
import { objectOf } from '../tombstone.ts';
import { podKey, type Node, type Pod, type PodCondition, type Taint, type Toleration } from './node-types.ts';
import { ensurePodNodeNameIndex, podsOnNode } from './pod-node-index.ts';
import { matchingTolerations, minTolerationMs, noExecuteTaints } from './taints.ts';
import { TimedWorkers } from './timed-workers.ts';

export const TAINT_EVICTION_CONTROLLER = 'taint-eviction-controller';

/** tainteviction's retries for one deletion. */
const DELETE_ATTEMPTS = 5;
const WORKERS = 8;

export interface TaintEvictionControllerDeps {
  pods: SharedIndexInformer<Pod>;
  nodes: SharedIndexInformer<Node>;
  podClient: ResourceClient<Pod>;
  /** source component "taint-eviction-controller" */
  recorder: EventRecorder;
  /** "noexec_taint_node"; keys are node names */
  nodeQueue: RateLimitingQueue<string>;
  /** "noexec_taint_pod"; keys are "namespace/name" */
  podQueue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
}

function sameTaints(a: readonly Taint[], b: readonly Taint[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameTolerations(a: readonly Toleration[] | null | undefined, b: readonly Toleration[] | null | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

export class TaintEvictionController implements Controller {
  private readonly podLister: Lister<Pod>;
  private readonly nodeLister: Lister<Node>;
  /** each tainted node's NoExecute taints, as last handled */
  private readonly taintedNodes = new Map<string, Taint[]>();
  private readonly evictions: TimedWorkers;

  constructor(private readonly deps: TaintEvictionControllerDeps) {
    this.podLister = deps.pods.lister();
    this.nodeLister = deps.nodes.lister();
    this.evictions = new TimedWorkers(deps.clock, (key) => this.deletePod(key));
    ensurePodNodeNameIndex(deps.pods);
    deps.pods.addEventHandler({
      onAdd: (pod) => deps.podQueue.add(podKey(pod)),
      onUpdate: (old, pod) => {
        // Only a new node or new tolerations change the verdict.
        if (old.spec?.nodeName === pod.spec?.nodeName && sameTolerations(old.spec?.tolerations, pod.spec?.tolerations)) return;
        deps.podQueue.add(podKey(pod));
      },
      onDelete: (pod) => deps.podQueue.add(podKey(objectOf(pod))),
    });
    deps.nodes.addEventHandler({
      onAdd: (node) => deps.nodeQueue.add(node.metadata.name!),
      onUpdate: (old, node) => {
        if (sameTaints(noExecuteTaints(old), noExecuteTaints(node))) return;
        deps.nodeQueue.add(node.metadata.name!);
      },
      onDelete: (node) => deps.nodeQueue.add(objectOf(node).metadata.name!),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { pods, nodes, nodeQueue, podQueue, clock, logger } = this.deps;
    logger.info(`Starting controller ${TAINT_EVICTION_CONTROLLER}`);
    if (!(await waitForNamedCacheSync(TAINT_EVICTION_CONTROLLER, [() => pods.hasSynced(), () => nodes.hasSynced()], signal, logger, clock))) return;
    await Promise.all([
      runWorkers({ controller: TAINT_EVICTION_CONTROLLER, queue: nodeQueue, workers: WORKERS, sync: async (name) => this.handleNodeUpdate(name), logger }, signal),
      runWorkers({ controller: TAINT_EVICTION_CONTROLLER, queue: podQueue, workers: WORKERS, sync: async (key) => this.handlePodUpdate(key), logger }, signal),
    ]);
  }

  handleNodeUpdate(name: string): void {
    const node = this.nodeLister.get('', name);
    if (!node) {
      // Its pods are the pod garbage collector's business now.
      this.taintedNodes.delete(name);
      return;
    }
    const taints = noExecuteTaints(node);
    if (taints.length === 0) this.taintedNodes.delete(name);
    else this.taintedNodes.set(name, taints);
    const pods = podsOnNode(this.deps.pods, name);
    if (taints.length === 0) {
      for (const pod of pods) this.cancelWithEvent(podKey(pod));
      return;
    }
    const now = this.deps.clock.now();
    for (const pod of pods) this.processPodOnNode(podKey(pod), pod.spec?.tolerations ?? [], taints, now);
  }

  handlePodUpdate(key: string): void {
    const [namespace, name] = key.split('/');
    const pod = this.podLister.get(namespace!, name!);
    if (!pod) {
      this.cancelWithEvent(key);
      return;
    }
    const nodeName = pod.spec?.nodeName;
    const taints = nodeName ? this.taintedNodes.get(nodeName) : undefined;
    // Untainted (or unknown yet: the node's own update will come) means nothing to do.
    if (!taints) return;
    this.processPodOnNode(key, pod.spec?.tolerations ?? [], taints, this.deps.clock.now());
  }

  private processPodOnNode(key: string, tolerations: readonly Toleration[], taints: readonly Taint[], now: number): void {
    if (taints.length === 0) this.cancelWithEvent(key);
    const { allTolerated, used } = matchingTolerations(taints, tolerations);
    if (!allTolerated) {
      this.deps.logger.info(`Not all taints are tolerated after update for pod ${key} on its node`);
      this.cancelWithEvent(key);
      this.evictions.add(key, now, now);
      return;
    }
    const tolerationMs = minTolerationMs(used);
    if (tolerationMs < 0) {
      this.cancelWithEvent(key);
      return;
    }
    let startTime = now;
    const scheduled = this.evictions.scheduled(key);
    if (scheduled) {
      // Kubernetes keeps an eviction scheduled earlier with its original deadline; only one
      // scheduled at this same instant is replaced.
      startTime = scheduled.createdAt;
      if (startTime + tolerationMs < now + tolerationMs) return;
      this.cancelWithEvent(key);
    }
    this.evictions.add(key, startTime, startTime + tolerationMs);
  }

  private cancelWithEvent(key: string): void {
    if (!this.evictions.cancel(key)) return;
    const [namespace, name] = key.split('/');
    this.deps.recorder.event({ apiVersion: 'v1', kind: 'Pod', name, namespace }, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  /** The eviction itself: the event, the DisruptionTarget condition, then a graceful delete. */
  private async deletePod(key: string): Promise<void> {
    const [namespace, name] = key.split('/') as [string, string];
    this.deps.logger.info(`Deleting pod ${key} (controller ${TAINT_EVICTION_CONTROLLER})`);
    this.deps.recorder.event({ apiVersion: 'v1', kind: 'Pod', name, namespace }, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    let lastError: unknown;
    for (let attempt = 0; attempt < DELETE_ATTEMPTS; attempt++) {
      try {
        await this.addConditionAndDelete(namespace, name);
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        lastError = err;
      }
    }
    this.deps.logger.warn(`${TAINT_EVICTION_CONTROLLER}: deleting pod ${key} failed: ${(lastError as Error).message}`);
    throw lastError;
  }

  private async addConditionAndDelete(namespace: string, name: string): Promise<void> {
    const pods = this.deps.podClient.namespace(namespace);
    const pod = await pods.get(name);
    const condition: PodCondition = {
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
      lastTransitionTime: formatRfc3339(Math.floor(this.deps.clock.now() / 1000)),
    };
    const existing = pod.status?.conditions?.find((c) => c.type === condition.type);
    const unchanged = existing?.status === condition.status && existing.reason === condition.reason && existing.message === condition.message;
    if (!unchanged) {
      await pods.patch(name, 'strategic', { metadata: { uid: pod.metadata.uid }, status: { conditions: [condition] } }, { subresource: 'status' });
    }
    await pods.delete(name);
  }
}
