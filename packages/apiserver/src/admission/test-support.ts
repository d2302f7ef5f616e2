// What the plugin tests share: an in-memory ClusterState, attributes for a request, and a way to
// read the Status a plugin refused with.
import type { GroupVersionKind, KubeObject } from '@k8ts/api';
import { schema } from '@k8ts/api';
import { ApiError } from '../http/api-error.ts';
import type { UserInfo } from '../registry/strategy.ts';
import type { AdmissionAttributes, AdmissionOperation, ClusterState, PluginDependencies } from './attributes.ts';

export const ADMIN: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

/** Objects by "group/resource" (core group: "/pods"); namespaced ones carry metadata.namespace. */
export function memoryState(objects: Record<string, KubeObject[]>): ClusterState & { reads: number } {
  const state = {
    reads: 0,
    async get(resource: { group: string; resource: string }, namespace: string | undefined, name: string) {
      state.reads++;
      return (objects[`${resource.group}/${resource.resource}`] ?? []).find(
        (o) => o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace),
      );
    },
    getLive(resource: { group: string; resource: string }, namespace: string | undefined, name: string) {
      return state.get(resource, namespace, name);
    },
    async list(resource: { group: string; resource: string }, namespace?: string) {
      return (objects[`${resource.group}/${resource.resource}`] ?? []).filter((o) => namespace === undefined || o.metadata.namespace === namespace);
    },
    /** Replaces the object when its resourceVersion is current, and moves that version on by one. */
    async updateStatus(resource: { group: string; resource: string }, object: KubeObject) {
      const stored = objects[`${resource.group}/${resource.resource}`] ?? [];
      const index = stored.findIndex((o) => o.metadata.name === object.metadata.name && o.metadata.namespace === object.metadata.namespace);
      if (index < 0 || stored[index]!.metadata.resourceVersion !== object.metadata.resourceVersion) return undefined;
      const written = { ...stored[index]!, status: object.status, metadata: { ...stored[index]!.metadata, resourceVersion: String(Number(object.metadata.resourceVersion ?? 0) + 1) } };
      stored[index] = written;
      return written;
    },
  };
  return state;
}

export function dependencies(state: ClusterState, overrides: Partial<PluginDependencies> = {}): PluginDependencies {
  return { state, random: () => 0, sleep: async () => {}, ...overrides };
}

export interface RequestShape {
  operation: AdmissionOperation;
  /** "pods", "pods/status", "priorityclasses.scheduling.k8s.io", "leases.coordination.k8s.io" */
  resource: string;
  namespace?: string;
  name?: string;
  object?: KubeObject;
  oldObject?: KubeObject;
  user?: UserInfo;
  /** the object's kind when it is not the resource's own (Binding, Eviction, TokenRequest) */
  kind?: GroupVersionKind;
}

/** Attributes as the resource store builds them, from a compact description of the request. */
export function attributesFor(request: RequestShape): AdmissionAttributes {
  const [qualified, subresource = ''] = request.resource.split('/');
  const dot = qualified!.indexOf('.');
  const resource = dot < 0 ? qualified! : qualified!.slice(0, dot);
  const group = dot < 0 ? '' : qualified!.slice(dot + 1);
  const info = schema.resources.find((r) => r.group === group && r.resource === resource);
  if (!info) throw new Error(`no resource ${request.resource}`);
  return {
    operation: request.operation,
    resource: { group, version: info.version, resource },
    subresource,
    kind: request.kind ?? { group, version: info.version, kind: info.kind },
    namespace: request.namespace ?? '',
    name: request.name ?? request.object?.metadata.name ?? '',
    ...(request.object ? { object: request.object } : {}),
    ...(request.oldObject ? { oldObject: request.oldObject } : {}),
    user: request.user ?? ADMIN,
    dryRun: false,
  };
}

/** The Status a call refused with (fails the test if it did not refuse). */
export async function refusal(call: Promise<unknown>): Promise<{ code: number; reason: string; message: string; causes?: unknown }> {
  try {
    await call;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return { code: err.code, reason: err.reason, message: err.message, ...(err.details?.causes ? { causes: err.details.causes } : {}) };
  }
  throw new Error('expected the request to be refused');
}
