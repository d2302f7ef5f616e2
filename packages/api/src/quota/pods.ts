// Pods under quota. Every stored pod counts toward "count/pods"; a pod that has not finished
// (and is not stuck past its deletion grace period) also uses "pods" and its compute resources:
// cpu/memory requests (also under the bare names "cpu"/"memory"), limits, ephemeral storage,
// huge pages and extended resources. When a quota limits cpu or memory, every container must
// state that resource — a rule Kubernetes keeps for compatibility and so does k8ts.
import type { KubeObject } from '../object.ts';
import { labelSelectorFromObject, matchesLabels } from '../selectors/index.ts';
import { isExtendedResourceName, isNativeResource } from '../validation/core/resources.ts';
import { intersection, objectCountName, type QuotaEvaluator, type ScopeRequirement } from './evaluator.ts';
import { podLimits, podRequests, type ContainerResources, type PodShape } from './pod-resources.ts';
import { add, count, parseResourceList, type ResourceList } from './resource-list.ts';
import type { Quantity } from '../quantity/index.ts';

const POD_COUNT = objectCountName('', 'pods');
const POD_RESOURCES = [
  POD_COUNT,
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
];
const POD_RESOURCE_PREFIXES = ['hugepages-', 'requests.hugepages-'];
/** The names whose quota obliges every container to state them. */
const MUST_SPECIFY = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

/** Extended resources are quota'd only as "requests.<name>" (they cannot be overcommitted). */
function isExtendedQuotaName(name: string): boolean {
  return !isNativeResource(name) && name.startsWith('requests.');
}

/** The quota names a set of requests and limits uses (podComputeUsageHelper). */
function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const usage: Record<string, Quantity> = { pods: count(1) };
  for (const resource of ['cpu', 'memory', 'ephemeral-storage']) {
    const request = requests[resource];
    if (request) {
      usage[resource] = request;
      usage[`requests.${resource}`] = request;
    }
    const limit = limits[resource];
    if (limit) usage[`limits.${resource}`] = limit;
  }
  for (const [resource, request] of Object.entries(requests)) {
    if (resource.startsWith('hugepages-')) {
      usage[resource] = request;
      usage[`requests.${resource}`] = request;
    }
    if (isExtendedResourceName(resource)) usage[`requests.${resource}`] = request;
  }
  return usage;
}

/**
 * Whether a pod is charged compute quota: not Succeeded or Failed, and not deleted longer ago
 * than its grace period (a pod stuck terminating on a lost node must not block new ones).
 */
export function podChargesCompute(pod: PodShape, now: Date): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const deleted = pod.metadata?.deletionTimestamp;
  const grace = pod.metadata?.deletionGracePeriodSeconds;
  if (deleted && grace !== undefined && now.getTime() > Date.parse(deleted) + grace * 1000) return false;
  return true;
}

/** BestEffort QoS: no container (init containers included) requests or limits cpu or memory. */
export function isBestEffort(pod: PodShape): boolean {
  const containers: ContainerResources[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  return containers.every((c) =>
    [parseResourceList(c.resources?.requests), parseResourceList(c.resources?.limits)].every((list) =>
      ['cpu', 'memory'].every((name) => !list[name] || list[name]!.mantissa === 0n),
    ),
  );
}

function isTerminating(pod: PodShape): boolean {
  const deadline = pod.spec?.activeDeadlineSeconds;
  return deadline !== undefined && deadline !== null && deadline >= 0;
}

interface AffinityTerm {
  namespaces?: string[];
  namespaceSelector?: unknown;
}

interface AffinityTerms {
  requiredDuringSchedulingIgnoredDuringExecution?: AffinityTerm[];
  preferredDuringSchedulingIgnoredDuringExecution?: { podAffinityTerm?: AffinityTerm }[];
}

/** A term reaches other namespaces when it names some or selects them. */
function crossesNamespaces(term: AffinityTerm | undefined): boolean {
  return !!term && ((term.namespaces?.length ?? 0) > 0 || (term.namespaceSelector !== undefined && term.namespaceSelector !== null));
}

function usesCrossNamespaceAffinity(pod: PodShape): boolean {
  const affinity = pod.spec?.affinity as { podAffinity?: AffinityTerms; podAntiAffinity?: AffinityTerms } | undefined;
  return [affinity?.podAffinity, affinity?.podAntiAffinity].some(
    (terms) =>
      (terms?.requiredDuringSchedulingIgnoredDuringExecution ?? []).some(crossesNamespaces) ||
      (terms?.preferredDuringSchedulingIgnoredDuringExecution ?? []).some((weighted) => crossesNamespaces(weighted.podAffinityTerm)),
  );
}

/** The scope rules for pods (podMatchesScopeFunc). */
export function podMatchesScope(scope: ScopeRequirement, pod: PodShape): boolean {
  switch (scope.scopeName) {
    case 'Terminating':
      return isTerminating(pod);
    case 'NotTerminating':
      return !isTerminating(pod);
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'PriorityClass': {
      const className = pod.spec?.priorityClassName ?? '';
      if (scope.operator === 'Exists') return className !== '';
      const selector = labelSelectorFromObject({ matchExpressions: [{ key: 'PriorityClass', operator: scope.operator, values: scope.values ?? [] }] });
      return matchesLabels(selector, className ? { PriorityClass: className } : {});
    }
    case 'CrossNamespacePodAffinity':
      return usesCrossNamespaceAffinity(pod);
    default:
      return false;
  }
}

/** Which required resources each container leaves unstated: "must specify limits.cpu for: a,b; …". */
function missingResources(required: readonly string[], pod: PodShape): string | undefined {
  const mustState = required.filter((name) => MUST_SPECIFY.has(name));
  const missing = new Map<string, Set<string>>();
  for (const container of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const stated = computeUsage(parseResourceList(container.resources?.requests), parseResourceList(container.resources?.limits));
    for (const name of mustState) {
      if (stated[name]) continue;
      if (!missing.has(name)) missing.set(name, new Set());
      missing.get(name)!.add(container.name ?? '');
    }
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()].sort().map((name) => `${name} for: ${[...missing.get(name)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

export const podEvaluator: QuotaEvaluator = {
  group: '',
  resource: 'pods',
  handles: (operation, subresource) => subresource === '' && operation === 'CREATE',
  matchingResources: (input) => [
    ...intersection(input, POD_RESOURCES),
    ...input.filter((name) => POD_RESOURCE_PREFIXES.some((prefix) => name.startsWith(prefix)) || isExtendedQuotaName(name)),
  ],
  constraints: (required, object) => missingResources(required, object as PodShape),
  usage(object: KubeObject, now: Date) {
    const pod = object as PodShape;
    const counted: ResourceList = { [POD_COUNT]: count(1) };
    if (!podChargesCompute(pod, now)) return counted;
    return add(counted, computeUsage(podRequests(pod), podLimits(pod)));
  },
  matchesScope: (scope, object) => podMatchesScope(scope, object as PodShape),
};
