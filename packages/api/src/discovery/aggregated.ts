// Aggregated discovery (apidiscovery.k8s.io): every group, version and resource in one document,
// so kubectl maps resource names with two requests (GET /api and GET /apis) instead of one per
// group version. v2 and v2beta1 have the same shape; kubectl 1.27–1.29 only understand v2beta1.
import type { JsonObject } from '../object.ts';
import type { ResourceInfo, SubresourceInfo } from '../schema/types.ts';
import { byteOrder, resourcesOf, servedGroups, type ExtraGroup, type ServedGroup } from './groups.ts';

export type AggregatedVersion = 'v2' | 'v2beta1';

/** The media type the response must carry: kubectl only parses the body as aggregated when it sees it. */
export const AGGREGATED_DISCOVERY_CONTENT_TYPE = (version: AggregatedVersion): string =>
  `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;

/**
 * Which aggregated format an Accept header asks for, honouring the client's order of preference;
 * undefined when it accepts neither (the caller then serves legacy discovery). kubectl 1.30+
 * offers v2 then v2beta1 then plain JSON; 1.27–1.29 offer only v2beta1 and plain JSON.
 */
export function aggregatedVersionFor(accept: string | undefined): AggregatedVersion | undefined {
  for (const range of (accept ?? '').split(',')) {
    const [type, ...params] = range.split(';').map((part) => part.trim());
    if (type !== 'application/json') continue;
    const p = Object.fromEntries(params.map((kv) => kv.split('=').map((x) => x.trim())));
    if (p.g !== 'apidiscovery.k8s.io' || p.as !== 'APIGroupDiscoveryList') continue;
    if (p.v === 'v2' || p.v === 'v2beta1') return p.v;
  }
  return undefined;
}

/**
 * APIGroupDiscoveryList for GET /api (scope 'api': the core group alone, named "") or GET /apis
 * (scope 'apis': every named group in priority order).
 */
export function aggregatedDiscovery(
  scope: 'api' | 'apis',
  version: AggregatedVersion,
  extraGroups: readonly ExtraGroup[] = [],
): JsonObject {
  const groups = servedGroups(extraGroups).filter((g) => (scope === 'api' ? g.group === '' : g.group !== ''));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map(groupDiscovery),
  };
}

function groupDiscovery(group: ServedGroup): JsonObject {
  return {
    metadata: { name: group.group, creationTimestamp: null },
    // The first version listed is the preferred one.
    versions: group.versions.map((version) => ({
      version,
      resources: resourcesOf(group, version).map(resourceDiscovery),
      freshness: 'Current',
    })),
  };
}

function resourceDiscovery(r: ResourceInfo): JsonObject {
  const out: JsonObject = {
    resource: r.resource,
    // An empty group/version in responseKind means "the enclosing group version".
    responseKind: { group: '', version: '', kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: [...r.verbs],
  };
  if (r.shortNames.length > 0) out.shortNames = [...r.shortNames];
  if (r.categories.length > 0) out.categories = [...r.categories];
  if (r.subresources.length > 0) {
    out.subresources = [...r.subresources]
      .sort((a, b) => byteOrder(a.name, b.name))
      .map((s) => subresourceDiscovery(r, s));
  }
  return out;
}

function subresourceDiscovery(parent: ResourceInfo, s: SubresourceInfo): JsonObject {
  const sameGroupVersion = s.group === parent.group && s.version === parent.version;
  return {
    subresource: s.name,
    responseKind: {
      group: sameGroupVersion ? '' : s.group,
      version: sameGroupVersion ? '' : s.version,
      kind: s.kind,
    },
    verbs: [...s.verbs],
  };
}
