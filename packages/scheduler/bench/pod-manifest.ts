// The objects the bench creates. Pods are scheduler_perf's default pod made small: one pause
// container with small requests, so that NodeResourcesFit and the resource scores do real
// work but never run out (30 such pods ask 300m CPU and 300Mi of a node). Names are chosen
// here, not generated, so a pod is known by name before its create is answered.

export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10';
/** A scheduler name no scheduler serves: pods with it are created and left alone (the anchor). */
export const UNSERVED_SCHEDULER = 'bench-nobody';

export function podName(index: number): string {
  return `pod-${String(index).padStart(5, '0')}`;
}

export function benchPod(namespace: string, index: number, schedulerName?: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: podName(index), namespace, labels: { app: 'bench-scheduler' } },
    spec: {
      ...(schedulerName ? { schedulerName } : {}),
      containers: [{ name: 'pause', image: PAUSE_IMAGE, resources: { requests: { cpu: '10m', memory: '10Mi' } } }],
    },
  };
}

export function benchNamespace(name: string) {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/**
 * A Node as a kubelet registers one, already Ready, for the "objects" node source (no kubelet
 * behind it). Capacity like a mid-size machine: 8 CPUs, 32 GiB, 110 pods.
 */
export function benchNode(name: string, nowIso: string) {
  const capacity = { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
      },
    },
    status: {
      capacity,
      allocatable: capacity,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: nowIso, lastTransitionTime: nowIso }],
    },
  };
}
