// What a pod asks for as a whole (Kubernetes' PodRequests / PodLimits): its containers summed,
// restartable init containers (sidecars) added on top, ordinary init containers taken as a floor
// — each counted with the sidecars started before it — and, for requests, the RuntimeClass
// overhead. Quota charges these totals; LimitRanger's Pod limits check them.
import { addQuantities, type Quantity } from '../quantity/index.ts';
import { add, maxOf, parseResourceList, type ResourceList } from './resource-list.ts';

export interface ContainerResources {
  name?: string;
  restartPolicy?: string;
  resources?: { requests?: unknown; limits?: unknown };
}

export interface PodShape {
  metadata?: { deletionTimestamp?: string | null; deletionGracePeriodSeconds?: number };
  spec?: {
    containers?: ContainerResources[];
    initContainers?: ContainerResources[];
    overhead?: unknown;
    activeDeadlineSeconds?: number;
    priorityClassName?: string;
    affinity?: unknown;
  };
  status?: { phase?: string };
}

type Pick = (container: ContainerResources) => ResourceList;

const requestsOf: Pick = (c) => parseResourceList(c.resources?.requests);
const limitsOf: Pick = (c) => parseResourceList(c.resources?.limits);

function aggregate(pod: PodShape, pick: Pick): ResourceList {
  let total: ResourceList = {};
  for (const container of pod.spec?.containers ?? []) total = add(total, pick(container));
  let sidecars: ResourceList = {};
  let initFloor: ResourceList = {};
  for (const container of pod.spec?.initContainers ?? []) {
    const own = pick(container);
    let inUse: ResourceList;
    if (container.restartPolicy === 'Always') {
      // A sidecar keeps running beside the app containers, and beside later init containers.
      total = add(total, own);
      sidecars = add(sidecars, own);
      inUse = sidecars;
    } else {
      inUse = add(own, sidecars);
    }
    initFloor = maxOf(initFloor, inUse);
  }
  return maxOf(total, initFloor);
}

/** The pod's requests; with `excludeOverhead` false (the default) the overhead is added. */
export function podRequests(pod: PodShape, options: { excludeOverhead?: boolean } = {}): ResourceList {
  const requests = aggregate(pod, requestsOf);
  return options.excludeOverhead ? requests : add(requests, parseResourceList(pod.spec?.overhead));
}

/** The pod's limits; the overhead is added only to limits that are set and non-zero. */
export function podLimits(pod: PodShape, options: { excludeOverhead?: boolean } = {}): ResourceList {
  const limits: Record<string, Quantity> = { ...aggregate(pod, limitsOf) };
  if (options.excludeOverhead) return limits;
  for (const [name, overhead] of Object.entries(parseResourceList(pod.spec?.overhead))) {
    const limit = limits[name];
    // An unset (or zero) limit means unlimited; overhead cannot make it a limit.
    if (limit && limit.mantissa !== 0n) limits[name] = addQuantities(limit, overhead);
  }
  return limits;
}
