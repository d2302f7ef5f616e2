// Legacy discovery: /api, /apis, /apis/<group> and one APIResourceList per group version. Older
// clients use it instead of aggregated discovery, and some code paths call the per-version lists
// directly even when aggregated discovery is served: `kubectl drain` reads /api/v1 to find
// pods/eviction, and the scale client looks up "<resource>/scale" there.
import type { JsonObject } from '../object.ts';
import { groupVersionString } from '../schema/types.ts';
import { resourcesOf, servedGroups, type ExtraGroup, type ServedGroup } from './groups.ts';

/** GET /api: the core group's versions and the address clients should use. */
export function legacyApiVersions(serverAddress: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** GET /apis: every named group with its versions and preferred version. */
export function legacyApiGroupList(extraGroups: readonly ExtraGroup[] = []): JsonObject {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: servedGroups(extraGroups)
      .filter((g) => g.group !== '')
      .map(groupEntry),
  };
}

/** GET /apis/<group>; undefined for a group that is not served (the caller answers 404). */
export function legacyApiGroup(group: string, extraGroups: readonly ExtraGroup[] = []): JsonObject | undefined {
  if (group === '') return undefined;
  const served = servedGroups(extraGroups).find((g) => g.group === group);
  return served ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(served) } : undefined;
}

/**
 * GET /api/v1 or /apis/<group>/<version>. Subresources are separate entries named
 * "<resource>/<subresource>" with an empty singular name; group and version appear only when the
 * subresource's group version differs from the list's own (deployments/scale → autoscaling/v1 Scale, pods/eviction → policy/v1).
 */
export function legacyApiResourceList(
  group: string,
  version: string,
  extraGroups: readonly ExtraGroup[] = [],
): JsonObject | undefined {
  const served = servedGroups(extraGroups).find((g) => g.group === group);
  if (!served || !served.versions.includes(version)) return undefined;
  const resources: JsonObject[] = [];
  for (const r of resourcesOf(served, version)) {
    const entry: JsonObject = {
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: [...r.verbs],
    };
    if (r.shortNames.length > 0) entry.shortNames = [...r.shortNames];
    if (r.categories.length > 0) entry.categories = [...r.categories];
    resources.push(entry);
    for (const s of r.subresources) {
      const sub: JsonObject = { name: `${r.resource}/${s.name}`, singularName: '', namespaced: r.namespaced };
      if (s.group !== group || s.version !== version) {
        sub.group = s.group;
        sub.version = s.version;
      }
      sub.kind = s.kind;
      sub.verbs = [...s.verbs];
      resources.push(sub);
    }
  }
  // The real list is sorted by name, so "pods/attach" follows "pods" and precedes "podtemplates".
  resources.sort((a, b) => ((a.name as string) < (b.name as string) ? -1 : 1));
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersionString(group, version), resources };
}

function groupEntry(g: ServedGroup): JsonObject {
  const entry = (version: string) => ({ groupVersion: groupVersionString(g.group, version), version });
  return { name: g.group, versions: g.versions.map(entry), preferredVersion: entry(g.versions[0]) };
}
