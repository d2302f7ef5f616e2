// The node lifecycle controller (kube-controller-manager's nodelifecycle package). Three loops:
//  - every --node-monitor-period it checks each node's heartbeats (node-health.ts): a node
//    silent for the grace period gets its conditions set to Unknown, its pods marked not
//    ready, and is queued for a NoExecute taint (node.kubernetes.io/unreachable, or not-ready
//    when the kubelet itself reports Ready=False); a Ready node loses those taints. It also
//    judges each zone's health and sets how fast that zone's nodes may be tainted (zones.ts);
//  - every 100 ms it taints queued nodes as fast as their zone's rate allows; evicting the
//    pods is then the taint eviction controller's job;
//  - on every node change it keeps the NoSchedule taints in step with the node's conditions
//    and spec.unschedulable (TaintNodesByCondition), which is what keeps the scheduler away.
// A pod newly bound to a node that is not Ready is marked not ready at once.
import { sleep, type Clock, type EventRecorder, type Lister, type Logger, type RateLimitingQueue, type ResourceClient, type SharedIndexInformer } from '@k8ts/client';
import type { Controller } from '../../controller/context.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';
import { objectOf } from '../tombstone.ts';
import { checkNodeHealth, healthAfterStatusUpdate, type NodeHealth } from './node-health.ts';
import { markPodsNotReady, recordNodeEvent, recordNodeStatusChange, updateNodeTaints } from './node-updates.ts';
import { NODE_LEASE_NAMESPACE, nodeCondition, podKey, type Lease, type Node, type NodeCondition, type Pod } from './node-types.ts';
import { ensurePodNodeNameIndex, podsOnNode } from './pod-node-index.ts';
import { NOT_READY_NO_EXECUTE, reconcileNoScheduleTaints, swapTaints, taintExists, UNREACHABLE_NO_EXECUTE } from './taints.ts';
import { ZoneTaintingQueue } from './tainting-queue.ts';
import { computeZoneState, EXCLUDE_DISRUPTION_LABEL, zoneEvictionQps, zoneKey, type ZoneState } from './zones.ts';

export const NODE_LIFECYCLE_CONTROLLER = 'node-lifecycle-controller';

/** How often queued nodes are tainted (scheduler.NodeEvictionPeriod). */
const TAINTING_PASS_PERIOD_MS = 100;
/** scheduler.UpdateWorkerSize: workers for node updates. */
const NODE_UPDATE_WORKERS = 8;
const POD_UPDATE_WORKERS = 4;

export interface NodeLifecycleOptions {
  nodeMonitorPeriodMs: number;
  nodeMonitorGracePeriodMs: number;
  nodeStartupGracePeriodMs: number;
  nodeEvictionRate: number;
  secondaryNodeEvictionRate: number;
  largeClusterSizeThreshold: number;
  unhealthyZoneThreshold: number;
}

export const NODE_LIFECYCLE_DEFAULTS: NodeLifecycleOptions = {
  nodeMonitorPeriodMs: 5_000,
  nodeMonitorGracePeriodMs: 40_000,
  nodeStartupGracePeriodMs: 60_000,
  nodeEvictionRate: 0.1,
  secondaryNodeEvictionRate: 0.01,
  largeClusterSizeThreshold: 50,
  unhealthyZoneThreshold: 0.55,
};

export interface NodeLifecycleControllerDeps {
  nodes: SharedIndexInformer<Node>;
  pods: SharedIndexInformer<Pod>;
  leases: SharedIndexInformer<Lease>;
  nodeClient: ResourceClient<Node>;
  podClient: ResourceClient<Pod>;
  /** source component "node-controller" */
  recorder: EventRecorder;
  /** Kubernetes names it "node_lifecycle_controller" */
  nodeUpdateQueue: RateLimitingQueue<string>;
  /** "node_lifecycle_controller_pods"; keys are "namespace/name" */
  podUpdateQueue: RateLimitingQueue<string>;
  options: NodeLifecycleOptions;
  clock: Clock;
  logger: Logger;
}

export class NodeLifecycleController implements Controller {
  private readonly nodeLister: Lister<Node>;
  private readonly podLister: Lister<Pod>;
  private readonly leaseLister: Lister<Lease>;
  private readonly health = new Map<string, NodeHealth>();
  /** nodes seen by the last monitor pass, for RegisteredNode / RemovingNode */
  private readonly knownNodes = new Map<string, Node>();
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly tainters = new Map<string, ZoneTaintingQueue>();
  /** nodes whose pods still need marking not ready after a failed attempt */
  private readonly nodesToRetry = new Set<string>();

  constructor(private readonly deps: NodeLifecycleControllerDeps) {
    this.nodeLister = deps.nodes.lister();
    this.podLister = deps.pods.lister();
    this.leaseLister = deps.leases.lister();
    ensurePodNodeNameIndex(deps.pods);
    deps.nodes.addEventHandler({
      onAdd: (node) => deps.nodeUpdateQueue.add(node.metadata.name!),
      onUpdate: (_old, node) => deps.nodeUpdateQueue.add(node.metadata.name!),
      onDelete: (node) => this.nodesToRetry.delete(objectOf(node).metadata.name!),
    });
    deps.pods.addEventHandler({
      onAdd: (pod) => this.podUpdated(undefined, pod),
      onUpdate: (old, pod) => this.podUpdated(old, pod),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { nodes, pods, leases, nodeUpdateQueue, podUpdateQueue, clock, logger, options } = this.deps;
    logger.info('Starting node controller');
    const synced = [() => nodes.hasSynced(), () => pods.hasSynced(), () => leases.hasSynced()];
    if (!(await waitForNamedCacheSync('taint', synced, signal, logger, clock))) return;
    logger.info(`Controller will taint nodes with NoExecute taints (node-monitor-period ${options.nodeMonitorPeriodMs} ms)`);
    await Promise.all([
      runWorkers({ controller: NODE_LIFECYCLE_CONTROLLER, queue: nodeUpdateQueue, workers: NODE_UPDATE_WORKERS, sync: (name) => this.syncNodeTaints(name), logger }, signal),
      runWorkers({ controller: NODE_LIFECYCLE_CONTROLLER, queue: podUpdateQueue, workers: POD_UPDATE_WORKERS, sync: (key) => this.processPod(key), logger }, signal),
      this.every(TAINTING_PASS_PERIOD_MS, () => this.doNoExecuteTaintingPass(), signal),
      this.every(options.nodeMonitorPeriodMs, () => this.monitorNodeHealth(), signal),
    ]);
  }

  /** wait.Until: runs `pass` now and then `periodMs` after each run ends, until aborted. */
  private async every(periodMs: number, pass: () => Promise<void>, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await pass();
      } catch (err) {
        this.deps.logger.warn(`${NODE_LIFECYCLE_CONTROLLER}: ${(err as Error).message}`);
      }
      if (!(await sleep(this.deps.clock, periodMs, signal))) return;
    }
  }

  private podUpdated(old: Pod | undefined, pod: Pod): void {
    const nodeName = pod.spec?.nodeName;
    if (nodeName && nodeName !== old?.spec?.nodeName) this.deps.podUpdateQueue.add(podKey(pod));
  }

  /** A pod bound to a node that is not Ready is marked not ready at once. */
  async processPod(key: string): Promise<void> {
    const [namespace, name] = key.split('/');
    const pod = this.podLister.get(namespace!, name!);
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName) return;
    const ready = this.health.get(nodeName)?.readyCondition;
    // No health yet: the next monitor pass handles the node and its pods together.
    if (!ready || !this.nodeLister.get('', nodeName)) return;
    if (ready.status !== 'True') await markPodsNotReady(this.deps.podClient, this.deps.recorder, [pod], nodeName, this.deps.clock.now());
  }

  /** doNoScheduleTaintingPass: the node's condition taints follow its conditions. */
  async syncNodeTaints(name: string): Promise<void> {
    const node = this.nodeLister.get('', name);
    if (!node) return;
    await updateNodeTaints(this.deps.nodeClient, node, reconcileNoScheduleTaints);
  }

  /** monitorNodeHealth: one pass over every node. */
  async monitorNodeHealth(): Promise<void> {
    const { recorder, options, clock } = this.deps;
    const nodes = this.nodeLister.list();
    const present = new Set(nodes.map((n) => n.metadata.name!));
    for (const node of nodes) {
      const name = node.metadata.name!;
      this.ensureZone(node);
      if (this.knownNodes.has(name)) continue;
      recordNodeEvent(recorder, node, 'Normal', 'RegisteredNode', `Registered Node ${name} in Controller`);
      this.knownNodes.set(name, node);
      await this.markNodeAsReachable(node);
    }
    for (const [name, node] of this.knownNodes) {
      if (present.has(name)) continue;
      recordNodeEvent(recorder, node, 'Normal', 'RemovingNode', `Removing Node ${name} from Controller`);
      this.knownNodes.delete(name);
      this.health.delete(name);
    }

    const zoneConditions = new Map<string, (NodeCondition | undefined)[]>();
    for (const node of nodes) {
      const result = await this.updateNodeHealth(node);
      if (!result) continue;
      const { observedReady, currentReady } = result;
      if (node.metadata.labels?.[EXCLUDE_DISRUPTION_LABEL] === undefined) {
        const zone = zoneKey(node);
        zoneConditions.set(zone, [...(zoneConditions.get(zone) ?? []), currentReady]);
      }
      if (!currentReady) continue;
      const name = node.metadata.name!;
      await this.processTaintBasedEviction(node, observedReady);
      const becameNotReady = currentReady.status !== 'True' && observedReady.status === 'True';
      if (becameNotReady) recordNodeStatusChange(recorder, node, 'NodeNotReady');
      if (becameNotReady || (this.nodesToRetry.has(name) && observedReady.status !== 'True')) {
        try {
          await markPodsNotReady(this.deps.podClient, recorder, podsOnNode(this.deps.pods, name), name, clock.now());
        } catch (err) {
          this.deps.logger.warn(`unable to mark all pods NotReady on node ${name}: ${(err as Error).message}; queuing for retry`);
          this.nodesToRetry.add(name);
          continue;
        }
      }
      this.nodesToRetry.delete(name);
    }
    await this.handleDisruption(zoneConditions, nodes, options);
  }

  /** tryUpdateNodeHealth, retried from a fresh read when the status write fails. */
  private async updateNodeHealth(cached: Node): Promise<{ observedReady: NodeCondition; currentReady: NodeCondition | undefined } | undefined> {
    const { nodeClient, options, clock, logger } = this.deps;
    const name = cached.metadata.name!;
    let node = cached;
    for (let attempt = 1; attempt <= 5; attempt++) {
      const now = clock.now();
      const lease = this.leaseLister.get(NODE_LEASE_NAMESPACE, name);
      const check = checkNodeHealth(node, this.health.get(name), lease, now, {
        monitorGraceMs: options.nodeMonitorGracePeriodMs,
        startupGraceMs: options.nodeStartupGracePeriodMs,
      });
      if (!check.statusUpdate) {
        this.health.set(name, check.health);
        return check;
      }
      logger.info(`node ${name} hasn't been updated for ${now - check.health.probeTimestamp} ms: setting its conditions to Unknown`);
      try {
        await nodeClient.updateStatus(check.statusUpdate);
        this.health.set(name, healthAfterStatusUpdate(check, now));
        return check;
      } catch (err) {
        logger.warn(`Failed to update node ${name} status: ${(err as Error).message}`);
      }
      try {
        node = await nodeClient.get(name);
      } catch {
        logger.warn(`Failed while getting a Node to retry updating node health. Probably Node ${name} was deleted`);
        return undefined;
      }
    }
    logger.warn(`Update health of Node ${name} from Controller error, Skipping - no pods will be evicted`);
    return undefined;
  }

  /** Queues a not-ready node for its NoExecute taint, swaps the taint when Ready changes between False and Unknown, and clears both once Ready. */
  private async processTaintBasedEviction(node: Node, observedReady: NodeCondition): Promise<void> {
    const now = this.deps.clock.now();
    const taints = node.spec?.taints;
    switch (observedReady.status) {
      case 'False':
        if (taintExists(taints, UNREACHABLE_NO_EXECUTE)) await this.swapNoExecuteTaint(node, NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE);
        else this.markNodeForTainting(node, NOT_READY_NO_EXECUTE, now);
        break;
      case 'Unknown':
        if (taintExists(taints, NOT_READY_NO_EXECUTE)) await this.swapNoExecuteTaint(node, UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE);
        else this.markNodeForTainting(node, UNREACHABLE_NO_EXECUTE, now);
        break;
      case 'True':
        await this.markNodeAsReachable(node);
        break;
    }
  }

  private markNodeForTainting(node: Node, wanted: typeof NOT_READY_NO_EXECUTE, now: number): void {
    const tainter = this.ensureZone(node);
    // Forget an earlier tainting the node no longer shows, so it is tainted again.
    if (!taintExists(node.spec?.taints, wanted)) tainter.remove(node.metadata.name!);
    tainter.add(node.metadata.name!, now);
  }

  private async markNodeAsReachable(node: Node): Promise<void> {
    try {
      await updateNodeTaints(this.deps.nodeClient, node, (current) => swapTaints(current.spec?.taints, [], [UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE], 0));
    } catch (err) {
      this.deps.logger.warn(`Failed to remove NoExecute taints from node ${node.metadata.name}: ${(err as Error).message}`);
      return;
    }
    this.tainters.get(zoneKey(node))?.remove(node.metadata.name!);
  }

  private async swapNoExecuteTaint(node: Node, add: typeof NOT_READY_NO_EXECUTE, remove: typeof NOT_READY_NO_EXECUTE): Promise<boolean> {
    try {
      return await updateNodeTaints(this.deps.nodeClient, node, (current) => swapTaints(current.spec?.taints, [add], [remove], this.deps.clock.now()));
    } catch (err) {
      this.deps.logger.warn(`Failed to swap taint ${remove.key} for ${add.key} on node ${node.metadata.name}: ${(err as Error).message}. Will try again in the next cycle`);
      return false;
    }
  }

  /** doNoExecuteTaintingPass: taints queued nodes, each zone at its own rate. */
  async doNoExecuteTaintingPass(): Promise<void> {
    const now = (): number => this.deps.clock.now();
    for (const tainter of [...this.tainters.values()]) {
      await tainter.process(now, async (name) => {
        const node = this.nodeLister.get('', name);
        if (!node) return { done: true };
        const ready = nodeCondition(node, 'Ready');
        if (!ready) return { done: false, retryAfterMs: 50 };
        // It is Ready again: nothing to taint.
        if (ready.status === 'True') return { done: true };
        // not-ready and unreachable mirror Ready False and Unknown, so only one is ever present.
        const swapped =
          ready.status === 'False'
            ? await this.swapNoExecuteTaint(node, NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE)
            : await this.swapNoExecuteTaint(node, UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE);
        return swapped ? { done: true } : { done: false, retryAfterMs: 0 };
      });
    }
  }

  private ensureZone(node: Node): ZoneTaintingQueue {
    const zone = zoneKey(node);
    let tainter = this.tainters.get(zone);
    if (!tainter) {
      this.zoneStates.set(zone, 'Initial');
      tainter = new ZoneTaintingQueue(this.deps.options.nodeEvictionRate);
      this.tainters.set(zone, tainter);
    }
    return tainter;
  }

  /** handleDisruption: zone states and their tainting rates, and the all-zones-down mode. */
  private async handleDisruption(zoneConditions: Map<string, (NodeCondition | undefined)[]>, nodes: readonly Node[], options: NodeLifecycleOptions): Promise<void> {
    const { logger, clock } = this.deps;
    const disruption = {
      evictionQps: options.nodeEvictionRate,
      secondaryEvictionQps: options.secondaryNodeEvictionRate,
      largeClusterThreshold: options.largeClusterSizeThreshold,
      unhealthyZoneThreshold: options.unhealthyZoneThreshold,
    };
    const newStates = new Map<string, ZoneState>();
    let allFullyDisrupted = true;
    for (const [zone, conditions] of zoneConditions) {
      const { state } = computeZoneState(conditions, options.unhealthyZoneThreshold);
      newStates.set(zone, state);
      allFullyDisrupted &&= state === 'FullDisruption';
      if (!this.zoneStates.has(zone)) this.zoneStates.set(zone, 'Initial');
    }
    let allWereFullyDisrupted = true;
    for (const [zone, state] of this.zoneStates) {
      if (!zoneConditions.has(zone)) {
        this.zoneStates.delete(zone);
        continue;
      }
      if (state !== 'FullDisruption') allWereFullyDisrupted = false;
    }
    if (allFullyDisrupted && allWereFullyDisrupted) return;
    const sizeOf = (zone: string): number => zoneConditions.get(zone)?.length ?? 0;
    if (allFullyDisrupted) {
      logger.info('Controller detected that all Nodes are not-Ready. Entering master disruption mode');
      for (const node of nodes) await this.markNodeAsReachable(node);
      for (const zone of this.zoneStates.keys()) {
        this.tainters.get(zone)?.setQps(0);
        this.zoneStates.set(zone, 'FullDisruption');
      }
      return;
    }
    if (allWereFullyDisrupted) {
      logger.info('Controller detected that some Nodes are Ready. Exiting master disruption mode');
      // Give every node a fresh grace period: they may merely have been unreachable from here.
      const now = clock.now();
      for (const node of nodes) {
        const health = this.health.get(node.metadata.name!);
        if (health) this.health.set(node.metadata.name!, { ...health, probeTimestamp: now, readyTransitionTimestamp: now });
      }
      for (const zone of this.zoneStates.keys()) {
        const state = newStates.get(zone) ?? 'Normal';
        this.tainters.get(zone)?.setQps(zoneEvictionQps(state, sizeOf(zone), disruption));
        this.zoneStates.set(zone, state);
      }
      return;
    }
    for (const [zone, state] of this.zoneStates) {
      const next = newStates.get(zone) ?? state;
      if (next === state) continue;
      logger.info(`Controller detected that zone ${JSON.stringify(zone)} is now in state ${next}`);
      this.tainters.get(zone)?.setQps(zoneEvictionQps(next, sizeOf(zone), disruption));
      this.zoneStates.set(zone, next);
    }
  }

  /** The zone states as last judged (for tests and debugging). */
  zoneState(zone: string): ZoneState | undefined {
    return this.zoneStates.get(zone);
  }
}
