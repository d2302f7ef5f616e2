// Resource arithmetic as the scheduler does it: quantities become integers once (milli-CPU,
// bytes, counts), and a pod's request follows k8s' PodRequests rules — the larger of the app
// containers' sum and the init phase's peak, sidecars (restartable init containers) counted
// in both, plus the RuntimeClass overhead.
import { parseQuantity, quantityMilliValue, quantityValue } from '@k8ts/api/quantity/index.ts';
import { emptyResource, type Container, type Node, type Pod, type Resource } from './types.ts';

/** Defaults the scheduler assumes for containers that request nothing (schedutil.DefaultMilliCPURequest/DefaultMemoryRequest). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** Extended resources ("example.com/gpu"), hugepages and attachable volumes: counted by name. */
export function isScalarResourceName(name: string): boolean {
  return name.includes('/') || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-');
}

function quantity(value: string | number): { milli: number; value: number } {
  const q = parseQuantity(value);
  return { milli: Number(quantityMilliValue(q)), value: Number(quantityValue(q)) };
}

/** Adds a resource list (container requests, overhead, allocatable) into `into`. */
export function addResourceList(into: Resource, list: Record<string, string | number> | null | undefined): void {
  if (!list) return;
  for (const name of Object.keys(list)) {
    const raw = list[name];
    switch (name) {
      case 'cpu':
        into.milliCpu += quantity(raw).milli;
        break;
      case 'memory':
        into.memory += quantity(raw).value;
        break;
      case 'ephemeral-storage':
        into.ephemeralStorage += quantity(raw).value;
        break;
      case 'pods':
        into.allowedPodNumber += quantity(raw).value;
        break;
      default:
        if (isScalarResourceName(name)) into.scalar[name] = (into.scalar[name] ?? 0) + quantity(raw).value;
    }
  }
}

export function addResource(into: Resource, other: Resource): void {
  into.milliCpu += other.milliCpu;
  into.memory += other.memory;
  into.ephemeralStorage += other.ephemeralStorage;
  into.allowedPodNumber += other.allowedPodNumber;
  for (const name of Object.keys(other.scalar)) into.scalar[name] = (into.scalar[name] ?? 0) + other.scalar[name];
}

export function subtractResource(from: Resource, other: Resource): void {
  from.milliCpu -= other.milliCpu;
  from.memory -= other.memory;
  from.ephemeralStorage -= other.ephemeralStorage;
  from.allowedPodNumber -= other.allowedPodNumber;
  for (const name of Object.keys(other.scalar)) from.scalar[name] = (from.scalar[name] ?? 0) - other.scalar[name];
}

function maxResource(into: Resource, other: Resource): void {
  into.milliCpu = Math.max(into.milliCpu, other.milliCpu);
  into.memory = Math.max(into.memory, other.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, other.ephemeralStorage);
  for (const name of Object.keys(other.scalar)) into.scalar[name] = Math.max(into.scalar[name] ?? 0, other.scalar[name]);
}

export function cloneResource(r: Resource): Resource {
  return { ...r, scalar: { ...r.scalar } };
}

/**
 * One container's requests. With `nonZero`, a container that names no cpu (memory) request
 * counts the scheduler's default instead — what the scoring plugins and NodeInfo.nonZeroRequested use.
 */
function containerRequests(container: Container, nonZero: boolean): Resource {
  const r = emptyResource();
  const requests = container.resources?.requests;
  addResourceList(r, requests);
  if (nonZero) {
    if (requests?.cpu === undefined) r.milliCpu = DEFAULT_MILLI_CPU_REQUEST;
    if (requests?.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/** resourcehelper.PodRequests for the pod's spec (allowedPodNumber stays 0). */
export function podRequests(pod: Pod, nonZero = false): Resource {
  const total = emptyResource();
  for (const c of pod.spec.containers ?? []) addResource(total, containerRequests(c, nonZero));
  // The init phase: init containers run one at a time, each beside the sidecars started before it.
  const sidecars = emptyResource();
  const initPeak = emptyResource();
  for (const c of pod.spec.initContainers ?? []) {
    const requests = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      addResource(total, requests);
      addResource(sidecars, requests);
      maxResource(initPeak, sidecars);
    } else {
      addResource(requests, sidecars);
      maxResource(initPeak, requests);
    }
  }
  maxResource(total, initPeak);
  addResourceList(total, pod.spec.overhead);
  return total;
}

/** A node's status.allocatable (falling back to capacity, as a kubelet without reservations reports). */
export function nodeAllocatable(node: Node): Resource {
  const r = emptyResource();
  addResourceList(r, node.status?.allocatable ?? node.status?.capacity);
  return r;
}
