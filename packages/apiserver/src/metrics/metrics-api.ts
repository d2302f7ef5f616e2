// metrics.k8s.io/v1beta1 as metrics-server serves it: NodeMetrics (cluster-scoped, "nodes") and
// PodMetrics (namespaced, "pods"), get and list, lists filtered by labelSelector on the Node's or
// Pod's labels and fieldSelector on metadata.name and metadata.namespace. Each object carries the listed object's name (and namespace and labels), the
// time of its newest sample, the sample window and the usage: CPU in nanocores as a canonical
// quantity ("163953424n", "500m"), memory in bytes as a binary one ("1154912Ki"). Objects with
// no usage yet are left out of lists and are NotFound on get.
import type { JsonObject, KubeObject } from '@k8ts/api';
import type { ExtraGroup } from '@k8ts/api/discovery/index.ts';
import { canonicalQuantity } from '@k8ts/api/quantity/index.ts';
import type { ResourceInfo } from '@k8ts/api/schema/types.ts';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError } from '@k8ts/api/selectors/index.ts';
import { errors } from '../http/api-error.ts';
import type { MetricsStorage, Usage } from './metrics-storage.ts';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

function metricsResource(resource: string, kind: string, namespaced: boolean): ResourceInfo {
  return {
    group: METRICS_GROUP,
    version: METRICS_VERSION,
    kind,
    resource,
    singular: kind.toLowerCase(),
    namespaced,
    verbs: ['get', 'list'],
    shortNames: [],
    categories: [],
    subresources: [],
    listKind: `${kind}List`,
    hasStatusField: false,
  };
}

/** The group in discovery, with metrics-server's APIService priority (groupPriorityMinimum 100). */
export const METRICS_API_GROUP: ExtraGroup = {
  group: METRICS_GROUP,
  versions: [METRICS_VERSION],
  preferredVersion: METRICS_VERSION,
  priority: 100,
  resources: [metricsResource('nodes', 'NodeMetrics', false), metricsResource('pods', 'PodMetrics', true)],
};

/** What the API reads: the Nodes and Pods as the apiserver has them now. */
export interface MetricsObjects {
  nodes(): readonly KubeObject[];
  /** a namespace's pods, or every pod */
  pods(namespace?: string): readonly KubeObject[];
}

/** metav1.Time: RFC 3339 in whole seconds. */
function apiTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** metav1.Duration: Go's time.Duration.String() of a whole number of milliseconds. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const trim = (seconds: number) => String(Number(seconds.toFixed(3)));
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = trim((ms % 60_000) / 1000);
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

function usageJson(usage: Pick<Usage, 'cpuNanoCores' | 'memoryBytes'>): JsonObject {
  return {
    cpu: canonicalQuantity({ mantissa: BigInt(usage.cpuNanoCores), exponent: -9, format: 'DecimalSI' }),
    memory: canonicalQuantity({ mantissa: BigInt(usage.memoryBytes), exponent: 0, format: 'BinarySI' }),
  };
}

function metadata(object: KubeObject, now: number): JsonObject {
  const meta: JsonObject = { name: object.metadata.name ?? '' };
  if (object.metadata.namespace) meta.namespace = object.metadata.namespace;
  meta.creationTimestamp = apiTime(now);
  if (object.metadata.labels && Object.keys(object.metadata.labels).length > 0) meta.labels = { ...object.metadata.labels };
  return meta;
}

export function nodeMetrics(storage: MetricsStorage, node: KubeObject, now: number): JsonObject | undefined {
  const usage = storage.nodeUsage(node.metadata.name ?? '');
  if (!usage) return undefined;
  return { kind: 'NodeMetrics', apiVersion: API_VERSION, metadata: metadata(node, now), timestamp: apiTime(usage.timestamp), window: goDuration(usage.windowMs), usage: usageJson(usage) };
}

export function podMetrics(storage: MetricsStorage, pod: KubeObject, now: number): JsonObject | undefined {
  const usage = storage.podUsage(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
  if (!usage) return undefined;
  // In the order of the pod's spec, as the containers are listed everywhere else.
  const order = ((pod as KubeObject & { spec?: { containers?: { name: string }[] } }).spec?.containers ?? []).map((c) => c.name);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const containers = [...usage.containers].sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : 1));
  return {
    kind: 'PodMetrics',
    apiVersion: API_VERSION,
    metadata: metadata(pod, now),
    timestamp: apiTime(usage.timestamp),
    window: goDuration(usage.windowMs),
    containers: containers.map((c) => ({ name: c.name, usage: usageJson(c) })),
  };
}

export type ObjectFilter = (object: KubeObject) => boolean;

/** ?labelSelector and ?fieldSelector (metadata.name, metadata.namespace) as one filter; 400 when malformed. */
export function listFilter(query: URLSearchParams): ObjectFilter {
  try {
    const labels = parseLabelSelector(query.get('labelSelector') ?? '');
    const fields = parseFieldSelector(query.get('fieldSelector') ?? '');
    return (o) =>
      matchesLabels(labels, o.metadata.labels) &&
      matchesFields(fields, { 'metadata.name': o.metadata.name ?? '', 'metadata.namespace': o.metadata.namespace ?? '' });
  } catch (err) {
    if (err instanceof SelectorError) throw errors.badRequest(err.message);
    throw err;
  }
}

function byNamespaceAndName(a: KubeObject, b: KubeObject): number {
  const key = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

function list(kind: string, objects: readonly KubeObject[], filter: ObjectFilter, toMetrics: (o: KubeObject) => JsonObject | undefined): JsonObject {
  const items = [...objects]
    .filter(filter)
    .sort(byNamespaceAndName)
    .flatMap((o) => toMetrics(o) ?? []);
  return { kind, apiVersion: API_VERSION, metadata: {}, items };
}

export function nodeMetricsList(storage: MetricsStorage, nodes: readonly KubeObject[], filter: ObjectFilter, now: number): JsonObject {
  return list('NodeMetricsList', nodes, filter, (n) => nodeMetrics(storage, n, now));
}

export function podMetricsList(storage: MetricsStorage, pods: readonly KubeObject[], filter: ObjectFilter, now: number): JsonObject {
  return list('PodMetricsList', pods, filter, (p) => podMetrics(storage, p, now));
}

const NODE_METRICS = { group: METRICS_GROUP, resource: 'nodemetrics' };
const POD_METRICS = { group: METRICS_GROUP, resource: 'podmetrics' };

/** GET nodes/<name>: NotFound `nodemetrics.metrics.k8s.io "<name>" not found` without usage. */
export function getNodeMetrics(storage: MetricsStorage, objects: MetricsObjects, name: string, now: number): JsonObject {
  const node = objects.nodes().find((n) => n.metadata.name === name);
  const found = node && nodeMetrics(storage, node, now);
  if (!found) throw errors.notFound(NODE_METRICS, name);
  return found;
}

/** GET namespaces/<ns>/pods/<name>: NotFound `podmetrics.metrics.k8s.io "<ns>/<name>" not found` without usage. */
export function getPodMetrics(storage: MetricsStorage, objects: MetricsObjects, namespace: string, name: string, now: number): JsonObject {
  const pod = objects.pods(namespace).find((p) => p.metadata.name === name);
  const found = pod && podMetrics(storage, pod, now);
  if (!found) throw errors.notFound(POD_METRICS, `${namespace}/${name}`);
  return found;
}

