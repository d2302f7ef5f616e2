// The node IPAM controller with Kubernetes' default "RangeAllocator": every node gets one
// subnet per cluster CIDR (two for dual-stack) in spec.podCIDRs (and the first in the older
// spec.podCIDR); the kubelet and the network plugin take pod addresses from it. At start the
// subnets nodes already have are marked used (and the service range, where it overlaps), so a
// restart never hands one out twice; a deleted node's subnets go back to the pool.
import { isConflict, isNotFound, type Clock, type EventRecorder, type Lister, type Logger, type RateLimitingQueue, type ResourceClient, type SharedIndexInformer } from '@k8ts/client';
import type { Controller } from '../../controller/context.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';
import { recordNodeStatusChange } from '../nodelifecycle/node-updates.ts';
import type { Node } from '../nodelifecycle/node-types.ts';
import { objectOf } from '../tombstone.ts';
import { overlaps, parseCidr } from './cidr.ts';
import { CidrSet } from './cidr-set.ts';

export const NODE_IPAM_CONTROLLER = 'node-ipam-controller';

/** cidrUpdateRetries: patch attempts before giving the subnets back. */
const CIDR_UPDATE_ATTEMPTS = 3;
const WORKERS = 30;

export interface RangeAllocatorDeps {
  nodes: SharedIndexInformer<Node>;
  nodeClient: ResourceClient<Node>;
  /** source component "cidrAllocator" */
  recorder: EventRecorder;
  /** one or two (dual-stack) cluster CIDRs, with the node subnet size for each */
  clusterCidrs: { cidr: string; nodeMaskSize: number }[];
  /** --service-cluster-ip-range's ranges: never handed to nodes */
  serviceCidrs: string[];
  /** "cidrallocator_node"; keys are node names */
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
}

export class RangeAllocator implements Controller {
  private readonly lister: Lister<Node>;
  private readonly sets: CidrSet[];
  /**
   * Nodes given subnets whose update the informer has not shown yet. A node event from
   * before the patch (a kubelet heartbeat) can requeue the node while the cache still shows it
   * without podCIDRs; allocating again then would give it a second subnet and leak the first
   * (Kubernetes' allocator kept a nodesInProcessing set for the same reason).
   */
  private readonly patched = new Set<string>();

  constructor(private readonly deps: RangeAllocatorDeps) {
    this.lister = deps.nodes.lister();
    this.sets = deps.clusterCidrs.map(({ cidr, nodeMaskSize }) => new CidrSet(cidr, nodeMaskSize));
    for (const service of deps.serviceCidrs) this.filterOutServiceRange(service);
    deps.nodes.addEventHandler({
      onAdd: (node) => deps.queue.add(node.metadata.name!),
      onUpdate: (_old, node) => {
        if ((node.spec?.podCIDRs ?? []).length === 0) deps.queue.add(node.metadata.name!);
      },
      onDelete: (obj) => {
        const node = objectOf(obj);
        this.patched.delete(node.metadata.name!);
        this.releaseCidrs(node);
      },
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { nodes, queue, clock, logger } = this.deps;
    logger.info('Starting range CIDR allocator');
    if (!(await waitForNamedCacheSync('cidrallocator', [() => nodes.hasSynced()], signal, logger, clock))) return;
    // Subnets already given out are taken before anything new is allocated.
    for (const node of this.lister.list()) {
      if ((node.spec?.podCIDRs ?? []).length > 0) this.occupyCidrs(node);
    }
    await runWorkers({ controller: NODE_IPAM_CONTROLLER, queue, workers: WORKERS, sync: (name) => this.syncNode(name), logger }, signal);
  }

  /** AllocateOrOccupyCIDR for one node. */
  async syncNode(name: string): Promise<void> {
    const node = this.lister.get('', name);
    if (!node) return;
    if ((node.spec?.podCIDRs ?? []).length > 0) {
      this.patched.delete(name);
      this.occupyCidrs(node);
      return;
    }
    // Already given its subnets; the cache has not caught up with the patch yet.
    if (this.patched.has(name)) return;
    const allocated: string[] = [];
    for (const [index, set] of this.sets.entries()) {
      try {
        allocated.push(set.allocateNext());
      } catch (err) {
        allocated.forEach((cidr, i) => this.sets[i]!.release(cidr));
        recordNodeStatusChange(this.deps.recorder, node, 'CIDRNotAvailable');
        throw new Error(`failed to allocate cidr from cluster cidr at idx:${index}: ${(err as Error).message}`, { cause: err });
      }
    }
    await this.updateCidrsAllocation(node, allocated);
  }

  private async updateCidrsAllocation(node: Node, cidrs: string[]): Promise<void> {
    const { nodeClient, logger, recorder } = this.deps;
    const name = node.metadata.name!;
    let lastError: unknown;
    // Not guarded by resourceVersion, as Kubernetes' allocator is not: a kubelet's status
    // heartbeat would make it conflict, and each retry would take the next subnet. Only this
    // controller sets podCIDRs, and one worker handles a node at a time.
    const patch = { spec: { podCIDR: cidrs[0], podCIDRs: cidrs } };
    for (let attempt = 0; attempt < CIDR_UPDATE_ATTEMPTS; attempt++) {
      try {
        await nodeClient.patch(name, 'strategic', patch);
        this.patched.add(name);
        logger.info(`Set node ${name} PodCIDR to ${JSON.stringify(cidrs)}`);
        return;
      } catch (err) {
        lastError = err;
        if (isConflict(err)) {
          // Decided on a stale node: give the subnets back and look again once the cache catches up.
          cidrs.forEach((cidr, i) => this.sets[i]!.release(cidr));
          throw err;
        }
        if (isNotFound(err)) break;
      }
    }
    logger.warn(`Failed to update node ${name} PodCIDR to ${JSON.stringify(cidrs)} after multiple attempts: ${(lastError as Error).message}`);
    recordNodeStatusChange(recorder, node, 'CIDRAssignmentFailed');
    cidrs.forEach((cidr, i) => this.sets[i]!.release(cidr));
    throw lastError;
  }

  private occupyCidrs(node: Node): void {
    for (const [index, cidr] of (node.spec?.podCIDRs ?? []).entries()) {
      const set = this.sets[index];
      if (!set) {
        this.deps.logger.warn(`node:${node.metadata.name} has an allocated cidr: ${cidr} at index:${index} that does not exist in cluster cidrs configuration`);
        continue;
      }
      try {
        set.occupy(cidr);
      } catch (err) {
        this.deps.logger.warn(`failed to mark cidr[${cidr}] at idx [${index}] as occupied for node: ${node.metadata.name}: ${(err as Error).message}`);
      }
    }
  }

  private releaseCidrs(node: Node): void {
    for (const [index, cidr] of (node.spec?.podCIDRs ?? []).entries()) {
      try {
        this.sets[index]?.release(cidr);
      } catch (err) {
        this.deps.logger.warn(`error when releasing CIDR ${cidr}: ${(err as Error).message}`);
      }
    }
  }

  private filterOutServiceRange(serviceCidr: string): void {
    const service = parseCidr(serviceCidr);
    for (const set of this.sets) {
      if (overlaps(set.cluster, service)) set.occupy(serviceCidr);
    }
  }
}
