// The API groups the apiserver serves, in the order Kubernetes lists them. Both discovery formats
// (aggregated and legacy) and the OpenAPI index are views of this one list.
import { schema } from '../schema/registry.ts';
import type { GroupVersions, ResourceInfo, SubresourceInfo } from '../schema/types.ts';

/** A group as served: versions with the preferred one first, and every resource of every version. */
export interface ServedGroup {
  readonly group: string;
  readonly versions: readonly string[];
  readonly resources: readonly ResourceInfo[];
  /** higher sorts first; ties sort by group name */
  readonly priority: number;
}

/** A group the apiserver adds at run time (a CRD group, metrics.k8s.io, …). */
export interface ExtraGroup extends GroupVersions {
  readonly resources: readonly ResourceInfo[];
  /** the APIService groupPriorityMinimum; CRD groups get 1000 like the real apiserver */
  readonly priority?: number;
}

// Group order of kube-apiserver: the aggregator sorts API services by group priority (higher
// first), then by name. These are the built-in groupPriorityMinimum values of Kubernetes 1.32.
const GROUP_PRIORITY: Readonly<Record<string, number>> = {
  '': 18000,
  'apiregistration.k8s.io': 18000,
  apps: 17800,
  'events.k8s.io': 17750,
  'authentication.k8s.io': 17700,
  'authorization.k8s.io': 17600,
  autoscaling: 17500,
  batch: 17400,
  'certificates.k8s.io': 17300,
  'networking.k8s.io': 17200,
  policy: 17100,
  'rbac.authorization.k8s.io': 17000,
  'storage.k8s.io': 16800,
  'admissionregistration.k8s.io': 16700,
  'apiextensions.k8s.io': 16700,
  'scheduling.k8s.io': 16600,
  'coordination.k8s.io': 16500,
  'node.k8s.io': 16300,
  'discovery.k8s.io': 16200,
  'flowcontrol.apiserver.k8s.io': 16100,
};
const CRD_GROUP_PRIORITY = 1000;

/**
 * Kubernetes version order: GA before beta before alpha, and a higher major (then minor) number
 * first within each level — so autoscaling lists v2 before v1, and v1 before v1beta1.
 */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [-1, 0, 0];
    const level = m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0;
    return [level, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return rb[i] - ra[i];
  return byteOrder(a, b);
}

/** Plain code-unit order, like Go's sort.Strings (localeCompare would fold case and punctuation). */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Preferred version first, then the rest in Kubernetes version order. */
function orderVersions(versions: readonly string[], preferred: string): string[] {
  const rest = versions.filter((v) => v !== preferred).sort(compareKubeVersions);
  return versions.includes(preferred) ? [preferred, ...rest] : rest;
}

interface GatedSubresource extends SubresourceInfo {
  readonly featureGate?: string;
  readonly defaultEnabled?: boolean;
}

/** Drops subresources behind a feature gate that 1.32 leaves off (pods/resize). */
function withDefaultFeatures(resource: ResourceInfo): ResourceInfo {
  const subresources = resource.subresources.filter((s: GatedSubresource) => !s.featureGate || s.defaultEnabled === true);
  return subresources.length === resource.subresources.length ? resource : { ...resource, subresources };
}

let builtIn: readonly ServedGroup[] | undefined;

function builtInGroups(): readonly ServedGroup[] {
  builtIn ??= schema.groupVersions.map((gv) => ({
    group: gv.group,
    versions: orderVersions(gv.versions, gv.preferredVersion),
    resources: schema.resources.filter((r) => r.group === gv.group).map(withDefaultFeatures),
    priority: GROUP_PRIORITY[gv.group] ?? CRD_GROUP_PRIORITY,
  }));
  return builtIn;
}

/** Every served group in discovery order; extra groups with a built-in name are ignored. */
export function servedGroups(extra: readonly ExtraGroup[] = []): ServedGroup[] {
  const groups = [...builtInGroups()];
  const known = new Set(groups.map((g) => g.group));
  for (const e of extra) {
    if (known.has(e.group)) continue;
    known.add(e.group);
    groups.push({
      group: e.group,
      versions: orderVersions(e.versions, e.preferredVersion),
      resources: e.resources,
      priority: e.priority ?? CRD_GROUP_PRIORITY,
    });
  }
  return groups.sort((a, b) => b.priority - a.priority || byteOrder(a.group, b.group));
}

/** The resources of one group version, sorted by name as the real apiserver lists them. */
export function resourcesOf(group: ServedGroup, version: string): ResourceInfo[] {
  return group.resources.filter((r) => r.version === version).sort((a, b) => byteOrder(a.resource, b.resource));
}
