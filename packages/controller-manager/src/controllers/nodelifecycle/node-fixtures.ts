// Nodes, Leases and Pods for the node controllers' tests, shaped as the kubelet and the
// scheduler leave them.
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import type { RestClient } from '@k8ts/client';
import type { ControllerHarness } from '../../testing/harness.ts';
import { LEASE, NODE_LEASE_NAMESPACE, type Lease, type Node, type NodeCondition, type Pod, type PodCondition, type Taint, type Toleration } from './node-types.ts';

export const stamp = (ms: number): string => formatRfc3339(Math.floor(ms / 1000));
const microStamp = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** The conditions a healthy kubelet reports, heartbeating at `at`. */
export function healthyConditions(at: number): NodeCondition[] {
  const kubelet = (type: string, status: 'True' | 'False', reason: string, message: string): NodeCondition => ({
    type,
    status,
    lastHeartbeatTime: stamp(at),
    lastTransitionTime: stamp(at),
    reason,
    message,
  });
  return [
    kubelet('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    kubelet('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    kubelet('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    kubelet('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export interface NodeOptions {
  conditions?: NodeCondition[];
  taints?: Taint[];
  labels?: Record<string, string>;
  podCIDR?: string;
  unschedulable?: boolean;
  createdAt?: number;
}

export function node(name: string, options: NodeOptions = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, ...options.labels },
      ...(options.createdAt !== undefined ? { creationTimestamp: stamp(options.createdAt) } : {}),
    },
    spec: {
      ...(options.podCIDR ? { podCIDR: options.podCIDR, podCIDRs: [options.podCIDR] } : {}),
      ...(options.unschedulable ? { unschedulable: true } : {}),
      ...(options.taints ? { taints: options.taints } : {}),
    },
    status: { conditions: options.conditions ?? [] },
  };
}

export function lease(nodeName: string, renewedAt: number): Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: nodeName, namespace: NODE_LEASE_NAMESPACE },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: 40, renewTime: microStamp(renewedAt) },
  };
}

export interface PodOptions {
  nodeName?: string;
  tolerations?: Toleration[];
  phase?: NonNullable<Pod['status']>['phase'];
  ready?: boolean;
  createdAt?: number;
  deleting?: boolean;
  reason?: string;
}

export function pod(namespace: string, name: string, options: PodOptions = {}): Pod {
  const conditions: PodCondition[] = options.ready === undefined ? [] : [{ type: 'Ready', status: options.ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: stamp(0) }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      ...(options.createdAt !== undefined ? { creationTimestamp: stamp(options.createdAt) } : {}),
      ...(options.deleting ? { deletionTimestamp: stamp(0), deletionGracePeriodSeconds: 30 } : {}),
    },
    spec: {
      containers: [{ name: 'c', image: 'nginx' }],
      ...(options.nodeName ? { nodeName: options.nodeName } : {}),
      ...(options.tolerations ? { tolerations: options.tolerations } : {}),
    },
    status: { phase: options.phase ?? 'Running', conditions, ...(options.reason ? { reason: options.reason } : {}) },
  };
}

/** What a kubelet does every 10 s: renew its Lease. */
export async function renewLease(client: RestClient, nodeName: string, now: number): Promise<void> {
  await client.forKind<Lease>(LEASE).namespace(NODE_LEASE_NAMESPACE).patch(nodeName, 'merge', { spec: { renewTime: microStamp(now) } });
}

/** "reason: message" of every Event stored so far, about objects of `kind`. */
export function eventsAbout(h: ControllerHarness, kind: string): string[] {
  return h.api
    .list<{ apiVersion: string; kind: string; metadata: object; reason?: string; message?: string; involvedObject?: { kind?: string } }>('v1', 'Event')
    .filter((e) => e.involvedObject?.kind === kind)
    .map((e) => `${e.reason}: ${e.message}`);
}
