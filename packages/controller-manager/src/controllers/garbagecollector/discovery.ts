// What the garbage collector and the namespace controller learn from the apiserver's legacy
// discovery documents (client-go's discovery client): GET /api and /apis name the group
// versions, and one APIResourceList per group version names its resources, their scope and
// verbs. Discovery is asked at run time rather than read from the schema so that resources the
// server gains later (CRDs) are covered too. A group version whose list cannot be read does not
// fail the rest: it is reported in `failed` (ErrGroupDiscoveryFailed) and the others are used.
import type { RestClient } from '@k8ts/client';
import { errorMessage } from '@k8ts/client';

export interface DiscoveredResource {
  group: string;
  version: string;
  /** plural, e.g. "replicasets" */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: readonly string[];
}

export interface ServerResources {
  /** every resource of every served group version (no subresources) */
  all: DiscoveredResource[];
  /** one entry per group and resource, in the group's most preferred version that serves it */
  preferred: DiscoveredResource[];
  /** group versions whose resource list could not be read, with the reason */
  failed: Map<string, string>;
}

interface ApiResourceList {
  groupVersion?: string;
  resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}

interface ApiGroupList {
  groups?: { name: string; versions?: { version: string }[]; preferredVersion?: { version: string } }[];
}

export function groupVersionText(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/** ServerPreferredResources plus the full list: reads /api, /apis and every group version's list. */
export async function discoverServerResources(client: RestClient, signal?: AbortSignal): Promise<ServerResources> {
  const core = await client.request<{ versions?: string[] }>({ method: 'GET', path: '/api', signal });
  const groups = await client.request<ApiGroupList>({ method: 'GET', path: '/apis', signal });
  // Versions of each group in order of preference: the preferred one first, then the order served.
  const groupVersions: { group: string; versions: string[] }[] = [{ group: '', versions: core.versions ?? [] }];
  for (const g of groups.groups ?? []) {
    const served = (g.versions ?? []).map((v) => v.version);
    const preferred = g.preferredVersion?.version;
    groupVersions.push({ group: g.name, versions: preferred ? [preferred, ...served.filter((v) => v !== preferred)] : served });
  }

  const all: DiscoveredResource[] = [];
  const preferred: DiscoveredResource[] = [];
  const failed = new Map<string, string>();
  for (const { group, versions } of groupVersions) {
    const seen = new Set<string>();
    for (const version of versions) {
      const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
      let list: ApiResourceList;
      try {
        list = await client.request<ApiResourceList>({ method: 'GET', path, signal });
      } catch (err) {
        if (signal?.aborted) throw err;
        failed.set(groupVersionText(group, version), errorMessage(err));
        continue;
      }
      for (const r of list.resources ?? []) {
        if (r.name.includes('/')) continue; // subresources are not objects of their own
        const entry: DiscoveredResource = { group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [] };
        all.push(entry);
        if (seen.has(r.name)) continue;
        seen.add(r.name);
        preferred.push(entry);
      }
    }
  }
  return { all, preferred, failed };
}

/** ErrGroupDiscoveryFailed's text, or undefined when every group version was read. */
export function discoveryFailureMessage(failed: ReadonlyMap<string, string>): string | undefined {
  if (failed.size === 0) return undefined;
  const parts = [...failed.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([gv, err]) => `${gv}: ${err}`);
  return `unable to retrieve the complete list of server APIs: ${parts.join(', ')}`;
}

/** discovery.SupportsAllVerbs. */
export function supportsAllVerbs(resource: DiscoveredResource, verbs: readonly string[]): boolean {
  return verbs.every((verb) => resource.verbs.includes(verb));
}

/** The RESTMapper: which resource serves objects of an apiVersion and kind. */
export class RestMapper {
  private readonly byKind = new Map<string, DiscoveredResource>();

  constructor(resources: readonly DiscoveredResource[]) {
    for (const r of resources) {
      const key = `${groupVersionText(r.group, r.version)}/${r.kind}`;
      if (!this.byKind.has(key)) this.byKind.set(key, r);
    }
  }

  forKind(apiVersion: string, kind: string): DiscoveredResource | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }
}
