// Pods, Services and Nodes for the endpoint controllers' tests, as the apiserver would return
// them once the kubelet has reported the pod's status.
import type { Node, Pod, Service, ServicePort } from './types.ts';

export const T0 = Date.UTC(2025, 0, 1) / 1000;
export const at = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

export interface PodOptions {
  labels?: Record<string, string>;
  ip?: string;
  ready?: boolean;
  readySince?: number;
  nodeName?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  terminating?: boolean;
  phase?: string;
  hostname?: string;
  subdomain?: string;
  uid?: string;
}

export function pod(namespace: string, name: string, options: PodOptions = {}): Pod {
  const ready = options.ready ?? true;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: options.labels ?? { app: 'web' },
      ...(options.uid ? { uid: options.uid } : {}),
      ...(options.terminating ? { deletionTimestamp: at(T0 + 100), deletionGracePeriodSeconds: 30 } : {}),
    },
    spec: {
      nodeName: options.nodeName ?? 'node-1',
      ...(options.hostname ? { hostname: options.hostname } : {}),
      ...(options.subdomain ? { subdomain: options.subdomain } : {}),
      containers: [{ name: 'app', ports: options.ports ?? [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }],
    },
    status: {
      phase: options.phase ?? 'Running',
      ...(options.ip === '' ? {} : { podIP: options.ip ?? '10.244.1.10', podIPs: [{ ip: options.ip ?? '10.244.1.10' }] }),
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: at(options.readySince ?? T0) }],
    },
  };
}

export interface ServiceOptions {
  selector?: Record<string, string> | null;
  ports?: ServicePort[];
  clusterIP?: string;
  labels?: Record<string, string>;
  publishNotReadyAddresses?: boolean;
  type?: string;
  uid?: string;
}

export function service(namespace: string, name: string, options: ServiceOptions = {}): Service {
  const selector = options.selector === undefined ? { app: 'web' } : options.selector;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, creationTimestamp: at(T0), ...(options.labels ? { labels: options.labels } : {}), ...(options.uid ? { uid: options.uid } : {}) },
    spec: {
      type: options.type ?? 'ClusterIP',
      ...(selector ? { selector } : {}),
      clusterIP: options.clusterIP ?? '10.96.0.20',
      ipFamilies: ['IPv4'],
      ports: options.ports ?? [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }],
      ...(options.publishNotReadyAddresses ? { publishNotReadyAddresses: true } : {}),
    },
  };
}

export function node(name: string, zone?: string): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(zone ? { 'topology.kubernetes.io/zone': zone } : {}) } },
  };
}
