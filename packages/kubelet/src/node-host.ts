// Runs one or many nodes in this process. `k8ts kubelet` is one node; `k8ts hollow-nodes` is
// thousands (kubemark's role). Either way they share ONE client, ONE pod informer (its pods, or
// every bound pod, dispatched by spec.nodeName), ONE node informer, one heartbeat loop and one
// status manager, so a hollow node costs little more than its records. Each node also serves
// its kubelet HTTPS API (server/) on its own address, with stats from its runtime (stats/).
import { EventRecorder, eventSinkFor, SharedInformerFactory, DeletedFinalStateUnknown, type Clock, type Logger, type RestClient } from '@k8ts/client';
import { Kubelet } from './kubelet.ts';
import { startKubeletServer, type KubeletServer } from './server/kubelet-server.ts';
import { selfSignedServingCertificate } from './server/serving-certificate.ts';
import { HOLLOW_NODE_SYSTEM_USAGE } from './stats/node-usage.ts';
import { resourceMetricsText } from './stats/resource-metrics-text.ts';
import { ResourceStatsProvider } from './stats/stats-provider.ts';
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
  /** `podAnnotations`: the current annotations of a pod bound to these nodes, by UID */
  runtimeFor(config: NodeConfig, podAnnotations: (uid: string) => Readonly<Record<string, string>> | undefined): ContainerRuntime;
  /** each node's kubelet HTTPS server (/healthz, /metrics/resource); none when absent */
  server?: KubeletServerSettings;
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

export interface KubeletServerSettings {
  /** --port: 10250, or 0 for a free one (reported in the Node's daemonEndpoints) */
  port: number;
  /** PEM: CAs whose client certificates may call the server */
  clientCaPem: string;
  /** the serving certificate and key (PEM); a self-signed one is made when absent */
  tls?: { certPem: string; keyPem: string };
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
  // Kept by the pod informer below; the fake runtime reads its usage annotations from here.
  const annotations = new Map<string, Readonly<Record<string, string>>>();
  const runtimes = new Map(options.nodes.map((config) => [config.nodeName, options.runtimeFor(config, (uid) => annotations.get(uid))]));
  const servers = options.server ? await startServers(options, options.server, runtimes) : [];
  const ports = new Map(servers.map((s) => [s.nodeName, s.port]));

  // Register (a bounded number at a time), then heartbeat each node as soon as it is registered.
  const queue = [...options.nodes];
  const registrations = Array.from({ length: Math.min(options.registrationConcurrency ?? 32, queue.length) }, async () => {
    for (let next = queue.shift(); next && !signal.aborted; next = queue.shift()) {
      const port = ports.get(next.nodeName);
      const config = port === undefined ? next : { ...next, kubeletPort: port };
      const node = await registerNode(client, config, clock, logger, signal);
      if (!node) return;
      const recorder = new EventRecorder(sink, { component: 'kubelet', host: config.nodeName }, { clock, logger });
      if (options.recordNodeEvents) recordStartupEvents(recorder, config.nodeName);
      const kubelet = new Kubelet({ config, runtime: runtimes.get(config.nodeName)!, runtimeName: options.runtimeName, clock, logger, recorder, statusManager });
      kubelets.set(config.nodeName, kubelet);
      heartbeat.add(config, node);
      kubelet.nodeUpdated(node);
    }
  });
  const running = [statusManager.run(signal), heartbeat.run(signal)];
  await Promise.all(registrations);
  if (signal.aborted) {
    await Promise.all(running);
    await Promise.all(servers.map((s) => s.close()));
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
  const podChanged = (pod: Pod) => {
    annotations.set(pod.metadata.uid ?? '', pod.metadata.annotations ?? {});
    kubeletOf(pod)?.podUpdated(pod);
  };
  pods.addEventHandler({
    onAdd: podChanged,
    onUpdate: (_, pod) => podChanged(pod),
    onDelete: (obj) => {
      const pod = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
      annotations.delete(pod.metadata.uid ?? '');
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
  await Promise.all([podInformers.shutdown(), nodeInformers.shutdown(), ...servers.map((s) => s.close())]);
}

/**
 * Starts every node's server before any node registers, so each Node is created with the port
 * it serves on. A server that cannot listen (its port taken) is reported and the node runs
 * without one — its pods still run; only its resource metrics are missing. (A real kubelet exits
 * instead; several hollow clusters on one machine must not take each other's nodes down.)
 */
async function startServers(
  options: NodeHostOptions,
  settings: KubeletServerSettings,
  runtimes: ReadonlyMap<string, ContainerRuntime>,
): Promise<(KubeletServer & { nodeName: string })[]> {
  const { clock, logger } = options;
  // One certificate for the host's nodes, naming the first few of them: a fleet's thousands of
  // names would only make every handshake heavy, and the apiserver does not verify kubelets
  // unless told to (--kubelet-certificate-authority).
  const named = options.nodes.slice(0, 64);
  const tls =
    settings.tls ??
    (await selfSignedServingCertificate(
      options.nodes[0]?.hostname ?? 'kubelet',
      { dnsNames: named.map((n) => n.hostname), ipAddresses: named.map((n) => n.nodeIP) },
      new Date(clock.now()),
    ));
  const started: (KubeletServer & { nodeName: string })[] = [];
  for (const config of options.nodes) {
    const stats = new ResourceStatsProvider(runtimes.get(config.nodeName)!, clock, HOLLOW_NODE_SYSTEM_USAGE);
    const resourceMetrics = async () =>
      resourceMetricsText(
        await stats.collect().catch((err: unknown) => {
          logger.warn(`node ${JSON.stringify(config.nodeName)}: Error getting summary for resourceMetric prometheus endpoint: ${(err as Error).message}`);
          return undefined;
        }),
      );
    try {
      const server = await startKubeletServer({ nodeName: config.nodeName, address: config.nodeIP, port: settings.port, tls, clientCaPem: settings.clientCaPem, resourceMetrics, logger });
      started.push({ ...server, nodeName: config.nodeName });
      if (options.nodes.length === 1) logger.info(`serving the kubelet API on https://${server.address}:${server.port}`);
    } catch (err) {
      logger.warn(`node ${JSON.stringify(config.nodeName)}: not serving the kubelet API: ${(err as Error).message}`);
    }
  }
  if (options.nodes.length > 1 && started.length > 0) logger.info(`${started.length} nodes serve the kubelet API, from https://${started[0]!.address}:${started[0]!.port}`);
  return started;
}
