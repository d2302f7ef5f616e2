// Small builders for scheduler tests: nodes and pods as the apiserver would hand them over.
import type { Container, Node, Pod, PodSpec, Taint } from '../types.ts';

export interface NodeOptions {
  cpu?: string;
  memory?: string;
  pods?: number;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  images?: { names: string[]; sizeBytes: number }[];
}

export function makeNode(name: string, options: NodeOptions = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, labels: { 'kubernetes.io/hostname': name, ...(options.labels ?? {}) } },
    spec: { ...(options.taints ? { taints: options.taints } : {}), ...(options.unschedulable ? { unschedulable: true } : {}) },
    status: {
      allocatable: { cpu: options.cpu ?? '4', memory: options.memory ?? '8Gi', pods: String(options.pods ?? 110), 'ephemeral-storage': '100Gi' },
      ...(options.images ? { images: options.images } : {}),
    },
  };
}

export interface PodOptions {
  namespace?: string;
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  priority?: number;
  nodeName?: string;
  startTime?: string;
  spec?: Partial<PodSpec>;
  containers?: Container[];
}

let counter = 0;

export function makePod(name: string, options: PodOptions = {}): Pod {
  const requests: Record<string, string> = {};
  if (options.cpu) requests.cpu = options.cpu;
  if (options.memory) requests.memory = options.memory;
  const containers = options.containers ?? [
    { name: 'app', image: 'nginx', ...(Object.keys(requests).length > 0 ? { resources: { requests } } : {}) },
  ];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      uid: `uid-${name}-${++counter}`,
      ...(options.labels ? { labels: options.labels } : {}),
    },
    spec: {
      containers,
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      ...(options.nodeName ? { nodeName: options.nodeName } : {}),
      ...(options.spec ?? {}),
    },
    status: { phase: 'Pending', ...(options.startTime ? { startTime: options.startTime } : {}) },
  };
}

/** A deterministic random source cycling through the given values. */
export function fixedRandom(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}
