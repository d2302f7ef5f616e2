// The pod garbage collector (kube-controller-manager's podgc). Every 20 s it force-deletes
// (grace period 0) pods nobody else will clean up:
//  - finished pods (Succeeded/Failed) beyond --terminated-pod-gc-threshold, evicted ones
//    first, then the oldest;
//  - pods terminating on a node that is not Ready and carries the out-of-service taint (an
//    administrator's word that the node is gone and its workloads may be started elsewhere);
//  - pods bound to a node that no longer exists — after a 40 s quarantine, and only once a
//    GET confirms the node is gone, so a node the cache has not seen yet is not mistaken;
//  - pods being deleted that were never scheduled (no kubelet will finish them).
// A pod not yet finished is first marked Failed (orphans also get a DisruptionTarget
// condition) so that whoever watches it — a Job, say — sees why it ended.
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import { isNotFound, sleep, type Clock, type Lister, type Logger, type ResourceClient, type SharedIndexInformer } from '@k8ts/client';
import type { Controller } from '../../controller/context.ts';
import { waitForNamedCacheSync } from '../../controller/workers.ts';
import { isNodeReady, podKey, timeOf, type Node, type Pod, type PodCondition } from '../nodelifecycle/node-types.ts';
import { TAINT_NODE_OUT_OF_SERVICE } from '../nodelifecycle/taints.ts';

export const POD_GC_CONTROLLER = 'pod-garbage-collector-controller';

export interface PodGcOptions {
  /** --terminated-pod-gc-threshold; 0 keeps every finished pod */
  terminatedPodThreshold: number;
  /** gcCheckPeriod: 20 s */
  gcCheckPeriodMs: number;
  /** quarantineTime: how long a missing node may take to show up before its pods go (40 s) */
  quarantineMs: number;
}

export const POD_GC_DEFAULTS: PodGcOptions = { terminatedPodThreshold: 12500, gcCheckPeriodMs: 20_000, quarantineMs: 40_000 };

export interface PodGcControllerDeps {
  pods: SharedIndexInformer<Pod>;
  nodes: SharedIndexInformer<Node>;
  podClient: ResourceClient<Pod>;
  nodeClient: ResourceClient<Node>;
  options: PodGcOptions;
  clock: Clock;
  logger: Logger;
}

const isTerminated = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const isEvicted = (pod: Pod): boolean => pod.status?.phase === 'Failed' && pod.status.reason === 'Evicted';

/** byEvictionAndCreationTimestamp: evicted pods first, then oldest first, then by name. */
function deletionOrder(a: Pod, b: Pod): number {
  if (isEvicted(a) !== isEvicted(b)) return isEvicted(a) ? -1 : 1;
  const created = timeOf(a.metadata.creationTimestamp) - timeOf(b.metadata.creationTimestamp);
  if (created !== 0) return created;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

export class PodGcController implements Controller {
  private readonly podLister: Lister<Pod>;
  private readonly nodeLister: Lister<Node>;
  /** node names pods are bound to but the cache lacks, with when to check them (orphaned_pods_nodes) */
  private readonly quarantine = new Map<string, number>();

  constructor(private readonly deps: PodGcControllerDeps) {
    this.podLister = deps.pods.lister();
    this.nodeLister = deps.nodes.lister();
  }

  async run(signal: AbortSignal): Promise<void> {
    const { pods, nodes, clock, logger, options } = this.deps;
    logger.info(`Starting controller ${POD_GC_CONTROLLER}`);
    if (!(await waitForNamedCacheSync(POD_GC_CONTROLLER, [() => pods.hasSynced(), () => nodes.hasSynced()], signal, logger, clock))) return;
    while (!signal.aborted) {
      await this.gc();
      if (!(await sleep(clock, options.gcCheckPeriodMs, signal))) return;
    }
  }

  /** One pass. */
  async gc(): Promise<void> {
    const pods = this.podLister.list();
    const nodes = this.nodeLister.list();
    if (this.deps.options.terminatedPodThreshold > 0) await this.gcTerminated(pods);
    await this.gcTerminating(pods);
    await this.gcOrphaned(pods, nodes);
    await this.gcUnscheduledTerminating(pods);
  }

  private async gcTerminated(pods: readonly Pod[]): Promise<void> {
    const terminated = pods.filter(isTerminated);
    const deleteCount = terminated.length - this.deps.options.terminatedPodThreshold;
    if (deleteCount <= 0) return;
    this.deps.logger.info(`Garbage collecting ${deleteCount} pods`);
    await Promise.all(terminated.sort(deletionOrder).slice(0, deleteCount).map((pod) => this.markFailedAndDelete(pod)));
  }

  private async gcTerminating(pods: readonly Pod[]): Promise<void> {
    const outOfService = pods.filter((pod) => {
      if (!pod.metadata.deletionTimestamp || !pod.spec?.nodeName) return false;
      const node = this.nodeLister.get('', pod.spec.nodeName);
      return node !== undefined && !isNodeReady(node) && (node.spec?.taints ?? []).some((t) => t.key === TAINT_NODE_OUT_OF_SERVICE);
    });
    if (outOfService.length === 0) return;
    this.deps.logger.info(`Garbage collecting ${outOfService.length} pods that are terminating on node tainted with ${TAINT_NODE_OUT_OF_SERVICE}`);
    await Promise.all(outOfService.sort(deletionOrder).map((pod) => this.markFailedAndDelete(pod)));
  }

  private async gcOrphaned(pods: readonly Pod[], nodes: readonly Node[]): Promise<void> {
    const now = this.deps.clock.now();
    const existing = new Set(nodes.map((n) => n.metadata.name!));
    for (const pod of pods) {
      const nodeName = pod.spec?.nodeName;
      if (nodeName && !existing.has(nodeName) && !this.quarantine.has(nodeName)) this.quarantine.set(nodeName, now + this.deps.options.quarantineMs);
    }
    const deleted = await this.discoverDeletedNodes(existing, now);
    for (const pod of pods) {
      if (!deleted.has(pod.spec?.nodeName ?? '')) continue;
      this.deps.logger.info(`Found orphaned Pod ${podKey(pod)} assigned to the Node ${pod.spec!.nodeName}, deleting`);
      const condition: PodCondition = {
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'DeletionByPodGC',
        message: 'PodGC: node no longer exists',
        lastTransitionTime: formatRfc3339(Math.floor(now / 1000)),
      };
      if (await this.markFailedAndDelete(pod, condition)) this.deps.logger.info(`Forced deletion of orphaned Pod ${podKey(pod)} succeeded`);
    }
  }

  /** The quarantined nodes now due that are still missing and that the apiserver confirms are gone. */
  private async discoverDeletedNodes(existing: ReadonlySet<string>, now: number): Promise<Set<string>> {
    const deleted = new Set<string>();
    for (const [name, due] of [...this.quarantine]) {
      if (due > now) continue;
      this.quarantine.delete(name);
      if (existing.has(name)) continue;
      try {
        await this.deps.nodeClient.get(name);
      } catch (err) {
        if (isNotFound(err)) deleted.add(name);
        // Any other error: the next pass quarantines the node again.
        else this.deps.logger.warn(`Error while getting node ${name}: ${(err as Error).message}`);
      }
    }
    return deleted;
  }

  private async gcUnscheduledTerminating(pods: readonly Pod[]): Promise<void> {
    for (const pod of pods) {
      if (!pod.metadata.deletionTimestamp || pod.spec?.nodeName) continue;
      this.deps.logger.info(`Found unscheduled terminating Pod ${podKey(pod)} not assigned to any Node, deleting`);
      if (await this.markFailedAndDelete(pod)) this.deps.logger.info(`Forced deletion of unscheduled terminating Pod ${podKey(pod)} succeeded`);
    }
  }

  /** markFailedAndDeletePodWithCondition; false when it failed (logged). */
  private async markFailedAndDelete(pod: Pod, condition?: PodCondition): Promise<boolean> {
    const key = podKey(pod);
    const pods = this.deps.podClient.namespace(pod.metadata.namespace ?? '');
    this.deps.logger.info(`PodGC is force deleting Pod ${key}`);
    try {
      if (!isTerminated(pod)) {
        // No kubelet will ever finish this pod: record that it failed, and why, before it goes.
        const status = { phase: 'Failed', ...(condition ? { conditions: [condition] } : {}) };
        await pods.patch(pod.metadata.name!, 'strategic', { metadata: { uid: pod.metadata.uid }, status }, { subresource: 'status' });
      }
      await pods.delete(pod.metadata.name!, { gracePeriodSeconds: 0 });
      return true;
    } catch (err) {
      if (!isNotFound(err)) this.deps.logger.warn(`${POD_GC_CONTROLLER}: deleting pod ${key} failed: ${(err as Error).message}`);
      return false;
    }
  }
}
