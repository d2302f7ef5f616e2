// What an admission plugin sees of a request (Kubernetes' admission.Attributes), what it may read
// of the cluster, and the shape of a plugin. Plugins are plain objects with async functions: a
// test builds attributes and an in-memory ClusterState and checks the object or the error.
import type { GroupVersionKind, JsonObject, KubeObject, StatusCause } from '@k8ts/api';
import { type ApiError, errors, type ResourceRef } from '../http/api-error.ts';
import type { UserInfo } from '../registry/strategy.ts';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

export interface AdmissionAttributes {
  readonly operation: AdmissionOperation;
  readonly resource: GroupVersionResource;
  /** '' for the resource itself; "status", "binding", "eviction", "token", "exec", … */
  readonly subresource: string;
  /** the kind of `object`: Pod, or Binding for pods/binding, Eviction for pods/eviction */
  readonly kind: GroupVersionKind;
  /** '' for cluster-scoped resources; a Namespace's own name for namespaces (as RequestInfo) */
  readonly namespace: string;
  /** the object's name; '' on a create that names its object only by generateName */
  readonly name: string;
  /** the object to be written; mutating plugins change it in place. Absent for DELETE. */
  readonly object?: KubeObject;
  /** the stored object an UPDATE or DELETE replaces */
  readonly oldObject?: KubeObject;
  readonly user: UserInfo;
  readonly dryRun: boolean;
  /** CreateOptions, UpdateOptions, DeleteOptions, or the connect options (PodExecOptions, …) */
  readonly options?: JsonObject;
}

/**
 * The server's state as plugins read it — never over HTTP. `get` reads the store itself (what
 * Kubernetes' plugins fall back to when their informer has not seen an object yet); `list`
 * reads the watch cache, like an informer's lister. Returned objects are shared: read only.
 */
export interface ClusterState {
  /**
   * An object as admission plugins see it in Kubernetes: the watch cache's copy (an informer's
   * lister), or the store's when the cache has none — a create that follows its namespace's
   * create at once must not be refused for a cache that has not caught up yet.
   */
  get(resource: ResourceRef, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
  /** An object as the store holds it now (ResourceQuota's usage must not be a stale copy). */
  getLive(resource: ResourceRef, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
  list(resource: ResourceRef, namespace?: string): Promise<KubeObject[]>;
  /**
   * Replaces a stored object's status as the apiserver itself (Kubernetes' loopback client), if
   * `object`'s resourceVersion is still the stored one: the object as written, or undefined when
   * it changed meanwhile or is gone. ResourceQuota admission records usage through it.
   */
  updateStatus(resource: ResourceRef, object: KubeObject): Promise<KubeObject | undefined>;
}

export interface AdmissionPlugin {
  /** the name --enable-admission-plugins knows it by */
  readonly name: string;
  /** the operations it looks at (Kubernetes' admission.Handler); others skip it */
  readonly operations: readonly AdmissionOperation[];
  /** mutating phase: may change `attributes.object`; throws an ApiError to refuse */
  admit?(attributes: AdmissionAttributes): Promise<void>;
  /** validating phase, on the object as it will be stored; throws an ApiError to refuse */
  validate?(attributes: AdmissionAttributes): Promise<void>;
}

/** What plugins are built from; randomness and waiting are injected so tests are deterministic. */
export interface PluginDependencies {
  readonly state: ClusterState;
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export type PluginFactory = (deps: PluginDependencies) => AdmissionPlugin;

/**
 * A refusal naming the requested object (admission.NewForbidden): `pods "web" is forbidden: why`.
 * A create without a name is named by its generateName, as names are generated after admission.
 */
export function forbidden(attributes: AdmissionAttributes, why: string, causes?: StatusCause[]): ApiError {
  const meta = attributes.object?.metadata;
  const name = attributes.name || meta?.name || meta?.generateName || 'Unknown';
  return errors.forbiddenResource({ group: attributes.resource.group, resource: attributes.resource.resource }, name, why, causes);
}

/** Whether the request addresses `group`/`resource` (any version). */
export function isResource(attributes: AdmissionAttributes, group: string, resource: string): boolean {
  return attributes.resource.group === group && attributes.resource.resource === resource;
}
