// LimitRange rules as pure functions (Kubernetes' limitranger actions): fill a pod's containers
// with the Container defaults and say so in the kubernetes.io/limit-ranger annotation, then check
// containers, whole pods and claims against min, max and maxLimitRequestRatio — refusing with
// Kubernetes' sentences ("maximum cpu usage per Container is 1, but limit is 2").
import type { KubeObject } from '@k8ts/api';
import { canonicalQuantity, compareQuantities, parseQuantity, quantityMilliValue, type Quantity } from '@k8ts/api/quantity/index.ts';
import { podLimits, podRequests, type ContainerResources, type PodShape } from '@k8ts/api/quota/pod-resources.ts';
import { parseResourceList, type ResourceList } from '@k8ts/api/quota/resource-list.ts';

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

export interface LimitRangeItem {
  type?: string;
  min?: Record<string, string>;
  max?: Record<string, string>;
  default?: Record<string, string>;
  defaultRequest?: Record<string, string>;
  maxLimitRequestRatio?: Record<string, string>;
}

export interface LimitRange extends KubeObject {
  spec?: { limits?: LimitRangeItem[] };
}

interface MutableContainer extends ContainerResources {
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

/** The Container items' default limits and requests (a later item's value wins). */
function containerDefaults(limitRange: LimitRange): { requests: Record<string, string>; limits: Record<string, string> } {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  for (const item of limitRange.spec?.limits ?? []) {
    if (item.type !== 'Container') continue;
    Object.assign(requests, item.defaultRequest ?? {});
    Object.assign(limits, item.default ?? {});
  }
  return { requests, limits };
}

/** Fills what the container leaves unset; the annotation fragments saying what was set. */
function defaultContainer(container: MutableContainer, defaults: ReturnType<typeof containerDefaults>, label: string): string[] {
  const setRequests: string[] = [];
  const setLimits: string[] = [];
  const fill = (kind: 'requests' | 'limits', values: Record<string, string>, set: string[]) => {
    for (const [name, value] of Object.entries(values)) {
      const resources = (container.resources ??= {});
      const current = (resources[kind] ??= {});
      if (name in current) continue;
      current[name] = canonicalQuantity(parseQuantity(value));
      set.push(name);
    }
    if (container.resources?.[kind] && Object.keys(container.resources[kind]!).length === 0) delete container.resources[kind];
  };
  fill('limits', defaults.limits, setLimits);
  fill('requests', defaults.requests, setRequests);
  const notes: string[] = [];
  if (setRequests.length > 0) notes.push(`${setRequests.sort().join(', ')} request for ${label} ${container.name ?? ''}`);
  if (setLimits.length > 0) notes.push(`${setLimits.sort().join(', ')} limit for ${label} ${container.name ?? ''}`);
  return notes;
}

/**
 * Gives every container and init container the LimitRange's defaults for what it does not
 * state, and records them: "LimitRanger plugin set: cpu, memory request for container nginx; …".
 */
export function applyContainerDefaults(limitRange: LimitRange, pod: KubeObject): void {
  const defaults = containerDefaults(limitRange);
  const spec = (pod.spec ?? {}) as { containers?: MutableContainer[]; initContainers?: MutableContainer[] };
  const notes = [
    ...(spec.containers ?? []).flatMap((c) => defaultContainer(c, defaults, 'container')),
    ...(spec.initContainers ?? []).flatMap((c) => defaultContainer(c, defaults, 'init container')),
  ];
  if (notes.length === 0) return;
  pod.metadata.annotations = { ...pod.metadata.annotations, [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
}

const text = canonicalQuantity;

function minConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const request = requests[name];
  const limit = limits[name];
  if (!request) return `minimum ${name} usage per ${type} is ${text(enforced)}.  No request is specified`;
  if (quantityMilliValue(request) < quantityMilliValue(enforced)) return `minimum ${name} usage per ${type} is ${text(enforced)}, but request is ${text(request)}`;
  if (limit && quantityMilliValue(limit) < quantityMilliValue(enforced)) return `minimum ${name} usage per ${type} is ${text(enforced)}, but limit is ${text(limit)}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const request = requests[name];
  const limit = limits[name];
  if (!limit) return `maximum ${name} usage per ${type} is ${text(enforced)}.  No limit is specified`;
  if (quantityMilliValue(limit) > quantityMilliValue(enforced)) return `maximum ${name} usage per ${type} is ${text(enforced)}, but limit is ${text(limit)}`;
  if (request && quantityMilliValue(request) > quantityMilliValue(enforced)) return `maximum ${name} usage per ${type} is ${text(enforced)}, but request is ${text(request)}`;
  return undefined;
}

/** For claims, where only requests are stated: the max applies to the request. */
function maxRequestConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList): string | undefined {
  const request = requests[name];
  if (!request) return `maximum ${name} usage per ${type} is ${text(enforced)}.  No request is specified`;
  if (compareQuantities(request, enforced) > 0) return `maximum ${name} usage per ${type} is ${text(enforced)}, but request is ${text(request)}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const request = requests[name] ? quantityMilliValue(requests[name]!) : 0n;
  const limit = limits[name] ? quantityMilliValue(limits[name]!) : 0n;
  const prefix = `${name} max limit to request ratio per ${type} is ${text(enforced)}`;
  if (request === 0n) return `${prefix}, but no request is specified or request is 0`;
  if (limit === 0n) return `${prefix}, but no limit is specified or limit is 0`;
  const ratio = Number(limit) / Number(request);
  if (ratio * 1000 > Number(quantityMilliValue(enforced))) return `${prefix}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

type Check = (type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList) => string | undefined;

/** Every violation of one item's bounds by one set of requests and limits, resources in name order. */
function violations(item: LimitRangeItem, requests: ResourceList, limits: ResourceList): string[] {
  const type = item.type ?? '';
  const found: string[] = [];
  const apply = (bounds: Record<string, string> | undefined, check: Check) => {
    for (const [name, enforced] of Object.entries(parseResourceList(bounds)).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const problem = check(type, name, enforced, requests, limits);
      if (problem) found.push(problem);
    }
  };
  apply(item.min, minConstraint);
  apply(item.max, maxConstraint);
  apply(item.maxLimitRequestRatio, ratioConstraint);
  return found;
}

/** Go's aggregate error text: one message alone, several (duplicates once) as "[a, b]". */
export function aggregateMessage(messages: readonly string[]): string | undefined {
  const unique = [...new Set(messages)];
  if (unique.length === 0) return undefined;
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/** Why the pod breaks the LimitRange (its containers, or its totals for a Pod item), if it does. */
export function podViolations(limitRange: LimitRange, pod: KubeObject): string | undefined {
  const shape = pod as PodShape;
  const containers = [...(shape.spec?.containers ?? []), ...(shape.spec?.initContainers ?? [])];
  const found: string[] = [];
  for (const item of limitRange.spec?.limits ?? []) {
    if (item.type === 'Container') {
      for (const c of containers) found.push(...violations(item, parseResourceList(c.resources?.requests), parseResourceList(c.resources?.limits)));
    }
    if (item.type === 'Pod') {
      found.push(...violations(item, podRequests(shape, { excludeOverhead: true }), podLimits(shape, { excludeOverhead: true })));
    }
  }
  return aggregateMessage(found);
}

/** Why the claim's storage request breaks a PersistentVolumeClaim item, if it does. */
export function claimViolations(limitRange: LimitRange, claim: KubeObject): string | undefined {
  const requests = parseResourceList((claim.spec as { resources?: { requests?: unknown } } | undefined)?.resources?.requests);
  const found: string[] = [];
  for (const item of limitRange.spec?.limits ?? []) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    const type = item.type;
    for (const [name, enforced] of Object.entries(parseResourceList(item.min)).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const problem = minConstraint(type, name, enforced, requests, {});
      if (problem) found.push(problem);
    }
    for (const [name, enforced] of Object.entries(parseResourceList(item.max)).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const problem = maxRequestConstraint(type, name, enforced, requests);
      if (problem) found.push(problem);
    }
  }
  return aggregateMessage(found);
}
