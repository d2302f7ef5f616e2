// The parts of Nodes, Pods and Leases the node controllers read and write, typed as they travel
// on the wire (JSON names, optional where the API omits them). Other fields pass through as
// `unknown`, so an object read from a lister can be copied, changed and written back whole.
import type { KubeObject } from '@k8ts/api';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
  /** RFC 3339; set on NoExecute taints the node controller adds */
  timeAdded?: string | null;
}

export interface Toleration {
  key?: string;
  /** "" means Equal */
  operator?: 'Exists' | 'Equal' | '';
  value?: string;
  effect?: TaintEffect | '';
  tolerationSeconds?: number | null;
}

export interface NodeCondition {
  type: string;
  status: ConditionStatus;
  lastHeartbeatTime?: string | null;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

export interface Node extends KubeObject {
  spec?: {
    podCIDR?: string;
    podCIDRs?: string[];
    unschedulable?: boolean;
    taints?: Taint[] | null;
    [field: string]: unknown;
  };
  status?: {
    conditions?: NodeCondition[] | null;
    [field: string]: unknown;
  };
}

export interface PodCondition {
  type: string;
  status: ConditionStatus;
  lastProbeTime?: string | null;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

export interface Pod extends KubeObject {
  spec?: {
    nodeName?: string;
    tolerations?: Toleration[] | null;
    [field: string]: unknown;
  };
  status?: {
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
    reason?: string;
    conditions?: PodCondition[] | null;
    [field: string]: unknown;
  };
}

/** coordination.k8s.io/v1 Lease: the kubelet's heartbeat in kube-node-lease. */
export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    /** MicroTime: RFC 3339 with microseconds */
    renewTime?: string | null;
    [field: string]: unknown;
  };
}

export const NODE = { group: '', version: 'v1', kind: 'Node' } as const;
export const POD = { group: '', version: 'v1', kind: 'Pod' } as const;
export const LEASE = { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' } as const;

/** The namespace the kubelets' heartbeat Leases live in (v1.NamespaceNodeLease). */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** A Kubernetes timestamp in ms since the epoch; 0 for Go's zero time (absent or empty). */
export function timeOf(timestamp: string | null | undefined): number {
  if (!timestamp) return 0;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? 0 : ms;
}

export function nodeCondition(node: Node, type: string): NodeCondition | undefined {
  return node.status?.conditions?.find((c) => c.type === type);
}

/** nodeutil.IsNodeReady: the Ready condition is True. */
export function isNodeReady(node: Node): boolean {
  return nodeCondition(node, 'Ready')?.status === 'True';
}

/** "namespace/name", as types.NamespacedName prints. */
export function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}
