// framework.NodeInfo and framework.PodInfo: a node with the pods the scheduler believes run on
// it, and the aggregates every filter needs (requested resources, host ports, pods with
// affinity) kept up to date as pods are added and removed, so no plugin re-sums a node.
import { labelSelectorFromObject, matchesLabels, type LabelSelector } from '@k8ts/api/selectors/index.ts';
import { addResource, cloneResource, nodeAllocatable, podRequests, subtractResource } from './resources.ts';
import { emptyResource, type Node, type Pod, type PodAffinityTermJson, type Resource } from './types.ts';

/** A pod affinity term ready to match: the namespaces it covers and its parsed selectors. */
export interface AffinityTerm {
  namespaces: Set<string>;
  /** null (no labelSelector) matches no pod */
  selector: LabelSelector | null;
  topologyKey: string;
  /** null (no namespaceSelector) matches no namespace; [] matches every namespace */
  namespaceSelector: LabelSelector | null;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

/** framework.PodInfo: a pod with what the scheduler derives from it once. */
export interface PodInfo {
  pod: Pod;
  requiredAffinityTerms: AffinityTerm[];
  requiredAntiAffinityTerms: AffinityTerm[];
  preferredAffinityTerms: WeightedAffinityTerm[];
  preferredAntiAffinityTerms: WeightedAffinityTerm[];
  /** resourcehelper.PodRequests */
  requests: Resource;
  /** requests with the 100m / 200Mi defaults for containers that name none */
  nonZeroRequests: Resource;
  /** host ports the pod claims (hostIP defaults to 0.0.0.0, protocol to TCP) */
  hostPorts: HostPort[];
}

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** framework.AffinityTerm.Matches: the pod's namespace is covered and its labels match. */
export function affinityTermMatches(term: AffinityTerm, pod: Pod, namespaceLabels: Record<string, string> | undefined): boolean {
  const namespace = pod.metadata.namespace ?? '';
  const namespaceCovered = term.namespaces.has(namespace) || (term.namespaceSelector !== null && namespaceLabels !== undefined && matchesLabels(term.namespaceSelector, namespaceLabels));
  return namespaceCovered && matchesLabels(term.selector, pod.metadata.labels);
}

function newAffinityTerm(pod: Pod, term: PodAffinityTermJson): AffinityTerm {
  // No namespaces and no namespaceSelector means "the pod's own namespace".
  const namespaces = new Set(term.namespaces ?? []);
  if (namespaces.size === 0 && !term.namespaceSelector) namespaces.add(pod.metadata.namespace ?? '');
  return {
    namespaces,
    selector: labelSelectorFromObject(term.labelSelector),
    topologyKey: term.topologyKey,
    namespaceSelector: labelSelectorFromObject(term.namespaceSelector),
  };
}

function hostPortsOf(pod: Pod): HostPort[] {
  const ports: HostPort[] = [];
  for (const list of [pod.spec.initContainers ?? [], pod.spec.containers ?? []]) {
    for (const container of list) {
      for (const p of container.ports ?? []) {
        if (!p.hostPort || p.hostPort <= 0) continue;
        ports.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
      }
    }
  }
  return ports;
}

/** Builds a PodInfo. Throws SelectorError for an affinity term with an invalid selector. */
export function newPodInfo(pod: Pod): PodInfo {
  const podAffinity = pod.spec.affinity?.podAffinity;
  const podAntiAffinity = pod.spec.affinity?.podAntiAffinity;
  const weighted = (terms: { weight: number; podAffinityTerm: PodAffinityTermJson }[] | null | undefined) =>
    (terms ?? []).map((t) => ({ ...newAffinityTerm(pod, t.podAffinityTerm), weight: t.weight }));
  return {
    pod,
    requiredAffinityTerms: (podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => newAffinityTerm(pod, t)),
    requiredAntiAffinityTerms: (podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => newAffinityTerm(pod, t)),
    preferredAffinityTerms: weighted(podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinityTerms: weighted(podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    requests: podRequests(pod),
    nonZeroRequests: podRequests(pod, true),
    hostPorts: hostPortsOf(pod),
  };
}

function podKey(pod: Pod): string {
  return pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`;
}

let lastGeneration = 0;
/** Generations only grow, so a cache can tell which NodeInfos changed since its last snapshot. */
export function nextGeneration(): number {
  return ++lastGeneration;
}

/**
 * Host ports in use on a node: ip → set of "protocol/port". 0.0.0.0 conflicts with every IP
 * (HostPortInfo.CheckConflict).
 */
export class HostPortInfo {
  readonly byIp = new Map<string, Map<string, number>>();

  add(port: HostPort): void {
    let ports = this.byIp.get(port.ip);
    if (!ports) this.byIp.set(port.ip, (ports = new Map()));
    const key = `${port.protocol}/${port.port}`;
    ports.set(key, (ports.get(key) ?? 0) + 1);
  }

  remove(port: HostPort): void {
    const ports = this.byIp.get(port.ip);
    const key = `${port.protocol}/${port.port}`;
    const count = ports?.get(key);
    if (!ports || count === undefined) return;
    if (count > 1) ports.set(key, count - 1);
    else ports.delete(key);
    if (ports.size === 0) this.byIp.delete(port.ip);
  }

  conflicts(port: HostPort): boolean {
    const key = `${port.protocol}/${port.port}`;
    if (port.ip === '0.0.0.0') {
      for (const ports of this.byIp.values()) if (ports.has(key)) return true;
      return false;
    }
    return Boolean(this.byIp.get(port.ip)?.has(key) || this.byIp.get('0.0.0.0')?.has(key));
  }

  get size(): number {
    let n = 0;
    for (const ports of this.byIp.values()) n += ports.size;
    return n;
  }

  clone(): HostPortInfo {
    const copy = new HostPortInfo();
    for (const [ip, ports] of this.byIp) copy.byIp.set(ip, new Map(ports));
    return copy;
  }
}

/** An image on a node and how many nodes have it (ImageLocality spreads its score by that). */
export interface ImageStateSummary {
  size: number;
  numNodes: number;
}

export class NodeInfo {
  node: Node | undefined = undefined;
  pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  usedPorts = new HostPortInfo();
  requested: Resource = emptyResource();
  nonZeroRequested: Resource = emptyResource();
  allocatable: Resource = emptyResource();
  /** image name → state, filled by the cache from node.status.images */
  imageStates = new Map<string, ImageStateSummary>();
  generation = nextGeneration();

  constructor(node?: Node, ...pods: Pod[]) {
    if (node) this.setNode(node);
    for (const pod of pods) this.addPod(pod);
  }

  get name(): string {
    return this.node?.metadata.name ?? '';
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
    this.generation = nextGeneration();
  }

  addPod(pod: Pod): void {
    this.addPodInfo(newPodInfo(pod));
  }

  addPodInfo(info: PodInfo): void {
    this.pods.push(info);
    if (info.pod.spec.affinity?.podAffinity || info.pod.spec.affinity?.podAntiAffinity) this.podsWithAffinity.push(info);
    if (info.requiredAntiAffinityTerms.length > 0) this.podsWithRequiredAntiAffinity.push(info);
    this.update(info, 1);
  }

  /** Removes the pod with this pod's UID (or namespace/name); false when it is not on the node. */
  removePod(pod: Pod): boolean {
    const key = podKey(pod);
    const index = this.pods.findIndex((p) => podKey(p.pod) === key);
    if (index < 0) return false;
    const info = this.pods[index];
    this.pods.splice(index, 1);
    const without = (list: PodInfo[]) => list.filter((p) => p !== info);
    this.podsWithAffinity = without(this.podsWithAffinity);
    this.podsWithRequiredAntiAffinity = without(this.podsWithRequiredAntiAffinity);
    this.update(info, -1);
    return true;
  }

  private update(info: PodInfo, sign: 1 | -1): void {
    if (sign > 0) {
      addResource(this.requested, info.requests);
      this.nonZeroRequested.milliCpu += info.nonZeroRequests.milliCpu;
      this.nonZeroRequested.memory += info.nonZeroRequests.memory;
      for (const port of info.hostPorts) this.usedPorts.add(port);
    } else {
      subtractResource(this.requested, info.requests);
      this.nonZeroRequested.milliCpu -= info.nonZeroRequests.milliCpu;
      this.nonZeroRequested.memory -= info.nonZeroRequests.memory;
      for (const port of info.hostPorts) this.usedPorts.remove(port);
    }
    this.generation = nextGeneration();
  }

  /** A copy whose pod lists and aggregates can change without touching this one (PodInfos are shared). */
  clone(): NodeInfo {
    const copy = new NodeInfo();
    copy.node = this.node;
    copy.pods = [...this.pods];
    copy.podsWithAffinity = [...this.podsWithAffinity];
    copy.podsWithRequiredAntiAffinity = [...this.podsWithRequiredAntiAffinity];
    copy.usedPorts = this.usedPorts.clone();
    copy.requested = cloneResource(this.requested);
    copy.nonZeroRequested = cloneResource(this.nonZeroRequested);
    copy.allocatable = cloneResource(this.allocatable);
    copy.imageStates = this.imageStates;
    copy.generation = this.generation;
    return copy;
  }
}

/** The cluster as one scheduling cycle sees it: every node with a Node object, in a stable order. */
export interface Snapshot {
  nodeInfoList: NodeInfo[];
  havePodsWithAffinityList: NodeInfo[];
  havePodsWithRequiredAntiAffinityList: NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
}

export function newSnapshot(nodeInfos: NodeInfo[]): Snapshot {
  const byName = new Map<string, NodeInfo>();
  const nodeInfoList: NodeInfo[] = [];
  for (const info of nodeInfos) {
    if (!info.node) continue;
    nodeInfoList.push(info);
    byName.set(info.name, info);
  }
  return {
    nodeInfoList,
    havePodsWithAffinityList: nodeInfoList.filter((n) => n.podsWithAffinity.length > 0),
    havePodsWithRequiredAntiAffinityList: nodeInfoList.filter((n) => n.podsWithRequiredAntiAffinity.length > 0),
    get: (nodeName) => byName.get(nodeName),
  };
}
