// Typed access to one resource — what client-go generates per type (PodInterface,
// DeploymentInterface, …) and what its dynamic client offers for any: get/list/watch/create/
// update/patch/delete/deleteCollection, the status and scale subresources, and pods' binding
// and eviction. Paths come from the schema's resource table (paths.ts).
import type { KubeList, KubeObject, Status } from '@k8ts/api';
import type { RequestTarget } from './errors.ts';
import {
  getQuery,
  listQuery,
  PATCH_CONTENT_TYPES,
  writeQuery,
  type CreateOptions,
  type DeleteOptions,
  type GetOptions,
  type ListOptions,
  type PatchOptions,
  type PatchType,
  type UpdateOptions,
} from './options.ts';
import { qualifiedResource, resourcePath, type PathParts, type ResourceTarget } from './paths.ts';
import type { RestClient } from './rest-client.ts';
import { StreamWatch, type Watch } from './watch.ts';

/** Per-call controls, accepted next to every operation's options. */
export interface CallOptions {
  signal?: AbortSignal;
  /** overrides the RestConfig's request timeout (0: none) */
  timeoutMs?: number;
}

/** autoscaling/v1 Scale, the body of the /scale subresource. */
export interface Scale extends KubeObject {
  spec?: { replicas?: number };
  status?: { replicas: number; selector?: string };
}

export class ResourceClient<T extends KubeObject = KubeObject> {
  constructor(
    private readonly rest: RestClient,
    readonly target: ResourceTarget,
    /** undefined or "": all namespaces for list/watch; otherwise the namespace of every call */
    readonly namespaceName?: string,
  ) {}

  /** The same resource in one namespace ("" for all namespaces). */
  namespace(namespace: string): ResourceClient<T> {
    if (namespace !== '' && !this.target.namespaced) throw new Error(`${qualifiedResource(this.target)} is not namespaced`);
    return new ResourceClient<T>(this.rest, this.target, namespace);
  }

  async get(name: string, options: GetOptions & CallOptions = {}): Promise<T> {
    const { signal, timeoutMs, ...get } = options;
    return this.rest.request<T>({
      method: 'GET',
      path: this.itemPath('get', name),
      query: getQuery(get),
      signal,
      timeoutMs,
      target: this.requestTarget(name),
    });
  }

  async list(options: ListOptions & CallOptions = {}): Promise<KubeList<T>> {
    const { signal, ...list } = options;
    const result = await this.rest.request<KubeList<T>>({
      method: 'GET',
      path: resourcePath(this.target, { namespace: this.namespaceName }),
      query: listQuery(list),
      signal,
      // Like client-go's typed clients: the list's own timeoutSeconds is its deadline, or none.
      timeoutMs: (list.timeoutSeconds ?? 0) * 1000,
      target: this.requestTarget(),
    });
    // Items come without apiVersion/kind; fill them so every object names its own type.
    const kind = this.target.kind ?? (result.kind ?? '').replace(/List$/, '');
    for (const item of result.items) {
      item.apiVersion ??= result.apiVersion;
      item.kind ??= kind;
    }
    return result;
  }

  async watch(options: ListOptions & CallOptions = {}): Promise<Watch<T>> {
    const { signal, ...list } = options;
    const stream = await this.rest.stream({
      method: 'GET',
      path: resourcePath(this.target, { namespace: this.namespaceName }),
      query: listQuery(list, true),
      signal,
      timeoutMs: (list.timeoutSeconds ?? 0) * 1000,
      target: this.requestTarget(),
    });
    return new StreamWatch<T>(stream.body, stream.close);
  }

  async create(object: T, options: CreateOptions & CallOptions = {}): Promise<T> {
    const { signal, timeoutMs, ...create } = options;
    return this.rest.request<T>({
      method: 'POST',
      path: resourcePath(this.target, { namespace: this.namespaceFor(object, 'create') }),
      query: writeQuery(create),
      body: object,
      signal,
      timeoutMs,
      target: this.requestTarget(),
    });
  }

  async update(object: T, options: UpdateOptions & CallOptions = {}): Promise<T> {
    return this.put(object, undefined, options);
  }

  /** PUT …/status: only the status (and, in k8s, labels/annotations) is taken from `object`. */
  async updateStatus(object: T, options: UpdateOptions & CallOptions = {}): Promise<T> {
    return this.put(object, 'status', options);
  }

  async patch(name: string, type: PatchType, patch: unknown, options: PatchOptions & CallOptions & { subresource?: string } = {}): Promise<T> {
    const { signal, timeoutMs, subresource, ...write } = options;
    return this.rest.request<T>({
      method: 'PATCH',
      path: this.itemPath('patch', name, subresource),
      query: writeQuery(write),
      body: patch,
      contentType: PATCH_CONTENT_TYPES[type],
      signal,
      timeoutMs,
      target: this.requestTarget(name),
    });
  }

  /** The object while it is still being deleted (finalizers, graceful pods), else a Success Status. */
  async delete(name: string, options: DeleteOptions & CallOptions = {}): Promise<T | Status> {
    const { signal, timeoutMs, ...deleteOptions } = options;
    return this.rest.request<T | Status>({
      method: 'DELETE',
      path: this.itemPath('delete', name),
      body: deleteOptions,
      signal,
      timeoutMs,
      target: this.requestTarget(name),
    });
  }

  async deleteCollection(options: DeleteOptions & CallOptions = {}, listOptions: ListOptions = {}): Promise<Status | KubeList<T>> {
    const { signal, timeoutMs, ...deleteOptions } = options;
    return this.rest.request<Status | KubeList<T>>({
      method: 'DELETE',
      path: resourcePath(this.target, { namespace: this.namespaceName }),
      query: listQuery(listOptions),
      body: deleteOptions,
      signal,
      timeoutMs,
      target: this.requestTarget(),
    });
  }

  async getScale(name: string, options: CallOptions = {}): Promise<Scale> {
    return this.rest.request<Scale>({ method: 'GET', path: this.itemPath('get', name, 'scale'), ...options, target: this.requestTarget(name) });
  }

  async updateScale(name: string, scale: Scale, options: UpdateOptions & CallOptions = {}): Promise<Scale> {
    const { signal, timeoutMs, ...update } = options;
    return this.rest.request<Scale>({
      method: 'PUT',
      path: this.itemPath('update', name, 'scale'),
      query: writeQuery(update),
      body: scale,
      signal,
      timeoutMs,
      target: this.requestTarget(name),
    });
  }

  /** POST pods/<name>/binding: the scheduler's assignment of a pod to a node (answered with a Status). */
  async bind(binding: KubeObject, options: CreateOptions & CallOptions = {}): Promise<Status> {
    return this.postSubresource(binding, 'binding', options);
  }

  /** POST pods/<name>/eviction: a delete that honours PodDisruptionBudgets (429 while one forbids it). */
  async evict(eviction: KubeObject, options: CreateOptions & CallOptions = {}): Promise<Status> {
    return this.postSubresource(eviction, 'eviction', options);
  }

  /** POST <name>/<subresource> with a body naming the object (Binding, Eviction). */
  private async postSubresource(body: KubeObject, subresource: string, options: CreateOptions & CallOptions): Promise<Status> {
    const { signal, timeoutMs, ...create } = options;
    const name = this.nameOf(body);
    return this.rest.request<Status>({
      method: 'POST',
      path: resourcePath(this.target, { namespace: this.namespaceFor(body, 'create'), name, subresource }),
      query: writeQuery(create),
      body,
      signal,
      timeoutMs,
      target: this.requestTarget(name),
    });
  }

  private async put(object: T, subresource: string | undefined, options: UpdateOptions & CallOptions): Promise<T> {
    const { signal, timeoutMs, ...update } = options;
    const name = this.nameOf(object);
    return this.rest.request<T>({
      method: 'PUT',
      path: resourcePath(this.target, { namespace: this.namespaceFor(object, 'update'), name, subresource }),
      query: writeQuery(update),
      body: object,
      signal,
      timeoutMs,
      target: this.requestTarget(name),
    });
  }

  private nameOf(object: KubeObject): string {
    const name = object.metadata?.name;
    if (!name) throw new Error('resource name may not be empty');
    return name;
  }

  /** The namespace for a write: the client's, else the object's own. */
  private namespaceFor(object: KubeObject, verb: string): string | undefined {
    if (!this.target.namespaced) return undefined;
    const namespace = this.namespaceName || object.metadata?.namespace;
    if (!namespace) throw new Error(`a namespace is required to ${verb} ${qualifiedResource(this.target)}`);
    return namespace;
  }

  private itemPath(verb: string, name: string, subresource?: string): string {
    const parts: PathParts = { name, subresource };
    if (this.target.namespaced) {
      if (!this.namespaceName) throw new Error(`a namespace is required to ${verb} ${qualifiedResource(this.target)} ${JSON.stringify(name)}`);
      parts.namespace = this.namespaceName;
    }
    return resourcePath(this.target, parts);
  }

  private requestTarget(name?: string): RequestTarget {
    return { group: this.target.group, resource: this.target.resource, ...(name ? { name } : {}) };
  }
}
