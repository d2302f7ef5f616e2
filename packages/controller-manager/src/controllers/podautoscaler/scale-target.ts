// The HPA's scale target, reached through the scale subresource so that any scalable kind works
// (Deployments, ReplicaSets, StatefulSets, ReplicationControllers): the reference's apiVersion
// and kind are mapped to a resource the way a REST mapper maps a group and kind, then
// <resource>/<name>/scale is read and written as an autoscaling/v1 Scale.
import { schema, type ResourceInfo } from '@k8ts/api';
import type { RestClient, Scale } from '@k8ts/client';
import type { CrossVersionObjectReference } from './types.ts';

/** apimachinery's ParseGroupVersion: "" is the core group's empty version, "v1" a core version. */
export function parseGroupVersion(apiVersion: string | undefined): { group: string; version: string } {
  const text = apiVersion ?? '';
  if (text === '' || text === '/') return { group: '', version: '' };
  const parts = text.split('/');
  if (parts.length === 1) return { group: '', version: parts[0]! };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  throw new Error(`unexpected GroupVersion string: ${text}`);
}

/**
 * The resources serving `kind` in `group`, the named version first (a REST mapper's
 * RESTMappings); throws the mapper's "no matches" error when there are none.
 */
export function scaleTargetMappings(group: string, version: string, kind: string): ResourceInfo[] {
  const mappings = schema.resources
    .filter((r) => r.group === group && r.kind === kind)
    .sort((a, b) => Number(b.version === version) - Number(a.version === version));
  if (mappings.length === 0) throw new Error(`no matches for kind ${JSON.stringify(kind)} in group ${JSON.stringify(group)}`);
  return mappings;
}

export interface ScaleTarget {
  scale: Scale;
  /** the resource that answered, for the update */
  resource: ResourceInfo;
}

export class ScaleClient {
  constructor(private readonly rest: RestClient) {}

  /** The target's Scale from the first mapping that serves it; the first error if none does. */
  async get(namespace: string, ref: CrossVersionObjectReference, mappings: readonly ResourceInfo[]): Promise<ScaleTarget> {
    let firstError: unknown;
    for (const resource of mappings) {
      try {
        return { scale: await this.client(resource, namespace).getScale(ref.name), resource };
      } catch (err) {
        firstError ??= err;
      }
    }
    throw firstError;
  }

  async update(namespace: string, target: ScaleTarget, replicas: number): Promise<Scale> {
    const scale: Scale = { ...target.scale, spec: { ...target.scale.spec, replicas } };
    return this.client(target.resource, namespace).updateScale(target.scale.metadata.name ?? '', scale);
  }

  // The server, not the client, says whether the resource has a scale subresource (a
  // DaemonSet's answer is a 404, as on a real cluster).
  private client(resource: ResourceInfo, namespace: string) {
    const { subresources: _known, ...target } = resource;
    return this.rest.forTarget(target).namespace(namespace);
  }
}
