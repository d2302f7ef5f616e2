// The Node a kubelet registers and the status it keeps posting (kubelet_node_status.go's
// initialNode and setNodeStatus): default labels, the capacity it offers and what is allocatable
// after the default hard-eviction reserve (memory.available<100Mi, nodefs.available<10%), its
// addresses, version info, and the four conditions with the kubelet's reasons and messages.
// Plain functions of the configuration, the previous status and the time.
import type { KubeObject } from '@k8ts/api';
import { canonicalQuantity, parseQuantity, quantityValue, subtractQuantities } from '@k8ts/api/quantity/index.ts';
import { apiTime } from '../pod/api-time.ts';
import type { Taint } from './node-flags.ts';

export const KUBELET_VERSION = 'v1.32.0';
export const KUBELET_PORT = 10250;

export interface NodeConfig {
  nodeName: string;
  /** the kubernetes.io/hostname label and the Hostname address */
  hostname: string;
  nodeIP: string;
  labels: Record<string, string>;
  taints: Taint[];
  cpu: string;
  memory: string;
  maxPods: number;
  ephemeralStorage: string;
  /** "<runtime>://<version>", e.g. fake://1.0.0 */
  containerRuntimeVersion: string;
  /** stable per node, e.g. a hash of the name */
  machineID: string;
  bootID: string;
  /** the port the kubelet's HTTPS server listens on (status.daemonEndpoints); default 10250 */
  kubeletPort?: number;
}

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastHeartbeatTime?: string | null;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

export interface NodeStatus {
  capacity?: Record<string, string>;
  allocatable?: Record<string, string>;
  conditions?: NodeCondition[];
  addresses?: { type: string; address: string }[];
  daemonEndpoints?: { kubeletEndpoint: { Port: number } };
  nodeInfo?: Record<string, string>;
}

export interface Node extends KubeObject {
  spec?: { podCIDR?: string; podCIDRs?: string[]; taints?: Taint[]; unschedulable?: boolean };
  status?: NodeStatus;
}

/** Labels every kubelet puts on its node; registration restores them if they were changed. */
export function defaultNodeLabels(config: NodeConfig): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': config.hostname,
    'kubernetes.io/os': 'linux',
  };
}

function resources(config: NodeConfig): { capacity: Record<string, string>; allocatable: Record<string, string> } {
  const capacity = {
    cpu: canonicalQuantity(parseQuantity(config.cpu)),
    'ephemeral-storage': canonicalQuantity(parseQuantity(config.ephemeralStorage)),
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: canonicalQuantity(parseQuantity(config.memory)),
    pods: String(config.maxPods),
  };
  const storage = quantityValue(parseQuantity(config.ephemeralStorage));
  const allocatable = {
    ...capacity,
    'ephemeral-storage': String((storage * 9n) / 10n),
    memory: canonicalQuantity(subtractQuantities(parseQuantity(config.memory), parseQuantity('100Mi'))),
  };
  return { capacity, allocatable };
}

const HEALTHY: Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'>[] = [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];

/** The node's conditions at `now`: heartbeat now, transition kept while the status is unchanged. */
export function nodeConditions(previous: NodeCondition[], now: number): NodeCondition[] {
  return HEALTHY.map((c) => {
    const old = previous.find((p) => p.type === c.type);
    const lastTransitionTime = old?.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : apiTime(now);
    return { type: c.type, status: c.status, lastHeartbeatTime: apiTime(now), lastTransitionTime, reason: c.reason, message: c.message };
  });
}

export function nodeStatus(config: NodeConfig, previous: NodeStatus | undefined, now: number): NodeStatus {
  return {
    ...resources(config),
    conditions: nodeConditions(previous?.conditions ?? [], now),
    addresses: [
      { type: 'InternalIP', address: config.nodeIP },
      { type: 'Hostname', address: config.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: config.kubeletPort ?? KUBELET_PORT } },
    nodeInfo: {
      machineID: config.machineID,
      systemUUID: config.machineID,
      bootID: config.bootID,
      kernelVersion: '6.8.0-k8ts',
      osImage: 'k8ts hollow node',
      containerRuntimeVersion: config.containerRuntimeVersion,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
}

/** Whether two statuses differ in anything but heartbeat times (then the kubelet must post). */
export function nodeStatusChanged(a: NodeStatus | undefined, b: NodeStatus): boolean {
  const strip = (s: NodeStatus | undefined) => JSON.stringify({ ...s, conditions: (s?.conditions ?? []).map(({ lastHeartbeatTime: _, ...rest }) => rest) });
  return strip(a) !== strip(b);
}

/** The Node object the kubelet creates when it registers. */
export function initialNode(config: NodeConfig, now: number): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: config.nodeName,
      labels: { ...defaultNodeLabels(config), ...config.labels },
      annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: config.taints.length > 0 ? { taints: config.taints } : {},
    status: nodeStatus(config, undefined, now),
  };
}
