// Runs one or many nodes in this process. `k8ts kubelet` is one node; `k8ts hollow-nodes` is
// thousands (kubemark's role). Either way they share ONE client, ONE pod informer (its pods, or
// every bound pod, dispatched by spec.nodeName), ONE node informer, one heartbeat loop and one
// status manager, so a hollow node costs little more than its records.
import { EventRecorder, eventSinkFor, SharedInformerFactory, DeletedFinalStateUnknown, type Clock, type Logger, type RestClient } from '@k8ts/client';
import { Kubelet } from './kubelet.ts';
import { NodeHeartbeat, type HeartbeatTiming } from './node/heartbeat.ts';
import type { Node, NodeConfig } from './node/node-object.ts';
import { registerNode } from './node/registration.ts';
import type { Pod } from './pod/pod-types.ts';
import type { ContainerRuntime } from './runtime/runtime.ts';
import { PodStatusManager } from './status/status-manager.ts';

export interface NodeHostOptions {
  client: RestClient;
  clock: Clock;
  logger: Logger;
  nodes: NodeConfig[];
  runtimeFor(config: NodeConfig): ContainerRuntime;
  runtimeName: string;
  timing?: HeartbeatTiming;
  /** concurrent pod status writers */
  statusWorkers?: number;
  /** nodes registered at once */
  registrationConcurrency?: number;
  /** Starting/NodeHasSufficientMemory/…/NodeReady events (a kubelet's; off for hollow fleets) */
  recordNodeEvents?: boolean;
  random?: () => number;
  /** told once every node is registered and the informers have synced */
  onReady?: (summary: { nodes: number }) => void;
}

function nodeRef(name: string) {
  // The kubelet refers to its Node by name, with the name as UID.
  return { kind: 'Node', name, uid: name, apiVersion: 'v1' };
}

function recordStartupEvents(recorder: EventRecorder, name: string): void {
  const ref = nodeRef(name);
  recorder.event(ref, 'Normal', 'Starting', 'Starting kubelet.');
  recorder.event(ref, 'Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
  for (const reason of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID', 'NodeReady']) {
    recorder.event(ref, 'Normal', reason, `Node ${name} status is now: ${reason}`);
  }
}

/** Registers the nodes and runs them until `signal` aborts. */
export async function runNodeHost(options: NodeHostOptions, signal: AbortSignal): Promise<void> {
  const { client, clock, logger } = options;
  const single = options.nodes.length === 1 ? options.nodes[0]!.nodeName : undefined;
  const statusManager = new PodStatusManager({ client, clock, logger, workers: options.statusWorkers });
  const heartbeat = new NodeHeartbeat({ client, clock, logger, timing: options.timing, random: options.random });
  const kubelets = new Map<string, Kubelet>();
  const sink = eventSinkFor(client);

  // Register (a bounded number at a time), then heartbeat each node as soon as it is registered.
  const queue = [...options.nodes];
  const registrations = Array.from({ length: Math.min(options.registrationConcurrency ?? 32, queue.length) }, async () => {
    for (let config = queue.shift(); config && !signal.aborted; config = queue.shift()) {
      const node = await registerNode(client, config, clock, logger, signal);
      if (!node) return;
      const recorder = new EventRecorder(sink, { component: 'kubelet', host: config.nodeName }, { clock, logger });
      if (options.recordNodeEvents) recordStartupEvents(recorder, config.nodeName);
      const kubelet = new Kubelet({ config, runtime: options.runtimeFor(config), runtimeName: options.runtimeName, clock, logger, recorder, statusManager });
      kubelets.set(config.nodeName, kubelet);
      heartbeat.add(config, node);
      kubelet.nodeUpdated(node);
    }
  });
  const running = [statusManager.run(signal), heartbeat.run(signal)];
  await Promise.all(registrations);
  if (signal.aborted) {
    await Promise.all(running);
    return;
  }

  // One watch of pods bound to these nodes (a single node asks for its own only, as the
  // Node authorizer requires of a kubelet); one of the nodes, for their pod CIDRs.
  const podInformers = new SharedInformerFactory(client, {
    clock,
    logger,
    random: options.random,
    tweakListOptions: (o) => void (o.fieldSelector = single ? `spec.nodeName=${single}` : 'spec.nodeName!='),
  });
  const nodeInformers = new SharedInformerFactory(client, {
    clock,
    logger,
    random: options.random,
    ...(single ? { tweakListOptions: (o) => void (o.fieldSelector = `metadata.name=${single}`) } : {}),
  });
  const pods = podInformers.forKind<Pod>({ group: '', version: 'v1', kind: 'Pod' });
  const nodes = nodeInformers.forKind<Node>({ group: '', version: 'v1', kind: 'Node' });
  const kubeletOf = (pod: Pod) => kubelets.get(pod.spec?.nodeName ?? '');
  pods.addEventHandler({
    onAdd: (pod) => kubeletOf(pod)?.podUpdated(pod),
    onUpdate: (_, pod) => kubeletOf(pod)?.podUpdated(pod),
    onDelete: (obj) => {
      const pod = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
      kubeletOf(pod)?.podDeleted(pod);
    },
  });
  const onNode = (node: Node) => {
    kubelets.get(node.metadata.name ?? '')?.nodeUpdated(node);
    heartbeat.nodeUpdated(node);
  };
  nodes.addEventHandler({ onAdd: onNode, onUpdate: (_, node) => onNode(node) });
  podInformers.start(signal);
  nodeInformers.start(signal);
  await podInformers.waitForCacheSync(signal);
  await nodeInformers.waitForCacheSync(signal);
  if (!signal.aborted) options.onReady?.({ nodes: kubelets.size });
  await Promise.all(running);
  for (const kubelet of kubelets.values()) kubelet.stop();
  await Promise.all([podInformers.shutdown(), nodeInformers.shutdown()]);
}
