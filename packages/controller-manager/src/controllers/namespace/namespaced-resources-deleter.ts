// Empties a namespace that is being deleted (Kubernetes' NamespacedResourcesDeleter), one
// attempt per call:
//   1. the namespace must have a deletionTimestamp; its phase is made Terminating
//   2. for every namespaced resource discovery lists with the delete verb: delete the collection
//      (or, where that is not served, list and delete each), then list again to see what is left
//   3. record what happened in the five deletion conditions (deletion-conditions.ts)
//   4. when nothing is left, remove the "kubernetes" finalizer through namespaces/<ns>/finalize;
//      the apiserver then deletes the namespace itself
// Content that takes time to go — pods terminating gracefully, objects held by finalizers —
// makes the attempt end with a ResourcesRemainingError carrying an estimate of how long to wait.
import type { KubeObject } from '@k8ts/api';
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import { errorMessage, isConflict, isMethodNotSupported, isNotFound, type Clock, type Logger, type ResourceClient, type RestClient } from '@k8ts/client';
import { discoverServerResources, discoveryFailureMessage, type DiscoveredResource, type ServerResources } from '../garbagecollector/discovery.ts';
import { updateDeletionConditions, type DeletionProblems, type NamespaceCondition } from './deletion-conditions.ts';

/** The finalizer the namespace controller owns in spec.finalizers. */
export const KUBERNETES_FINALIZER = 'kubernetes';
/** How long to assume objects held by finalizers take to go. */
export const FINALIZER_ESTIMATE_SECONDS = 15;

export interface NamespaceObject extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: NamespaceCondition[] };
}

export class ResourcesRemainingError extends Error {
  constructor(readonly estimateSeconds: number) {
    super(`some content remains in the namespace, estimate ${estimateSeconds} seconds before it is removed`);
  }
}

export interface NamespacedResourcesDeleterDeps {
  client: RestClient;
  /** defaults to reading the server's discovery documents */
  discover?: (client: RestClient) => Promise<ServerResources>;
  clock: Clock;
  logger: Logger;
}

/** What deleting one resource's content left behind. */
interface ResourceResult {
  estimateSeconds: number;
  remaining: number;
  finalizers: Map<string, number>;
  error?: string;
}

const NAMESPACES = { group: '', version: 'v1', kind: 'Namespace' };
const PODS = { group: '', version: 'v1', kind: 'Pod' };

/** utilerrors.NewAggregate's text. */
function aggregate(messages: readonly string[]): string {
  return messages.length === 1 ? messages[0]! : `[${messages.join(', ')}]`;
}

/** schema.GroupVersionResource's %v form, as Kubernetes' messages show it: "/v1, Resource=pods". */
function gvrText(r: DiscoveredResource): string {
  return `${r.group}/${r.version}, Resource=${r.resource}`;
}

export class NamespacedResourcesDeleter {
  /** "<verb> <group>/<version>/<resource>" the server turned out not to serve despite discovery */
  private readonly unsupported = new Set<string>();
  private readonly namespaces: ResourceClient<NamespaceObject>;

  constructor(private readonly deps: NamespacedResourcesDeleterDeps) {
    this.namespaces = deps.client.forKind<NamespaceObject>(NAMESPACES);
  }

  async delete(name: string): Promise<void> {
    let namespace = await this.get(name);
    if (!namespace?.metadata.deletionTimestamp) return;
    namespace = await this.retryOnConflict(namespace, (ns) => this.markTerminating(ns));
    if (!namespace?.metadata.deletionTimestamp) return;
    if ((namespace.spec?.finalizers ?? []).length === 0) return;
    const estimate = await this.deleteAllContent(namespace);
    if (estimate > 0) throw new ResourcesRemainingError(estimate);
    await this.retryOnConflict(namespace, (ns) => this.finalize(ns));
  }

  private async get(name: string): Promise<NamespaceObject | undefined> {
    try {
      return await this.namespaces.get(name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Runs `write`, re-reading the namespace on conflicts; undefined once it is gone. */
  private async retryOnConflict(namespace: NamespaceObject, write: (ns: NamespaceObject) => Promise<NamespaceObject>): Promise<NamespaceObject | undefined> {
    let latest = namespace;
    for (;;) {
      try {
        return await write(latest);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        if (!isConflict(err)) throw err;
      }
      const previousUid = latest.metadata.uid;
      const fresh = await this.get(latest.metadata.name!);
      if (!fresh) return undefined;
      if (fresh.metadata.uid !== previousUid) throw new Error('namespace uid has changed across retries');
      latest = fresh;
    }
  }

  private async markTerminating(namespace: NamespaceObject): Promise<NamespaceObject> {
    if (namespace.status?.phase === 'Terminating') return namespace;
    return this.namespaces.updateStatus({ ...namespace, status: { ...namespace.status, phase: 'Terminating' } });
  }

  /** PUT namespaces/<ns>/finalize without our finalizer (the rest sorted, as a set). */
  private async finalize(namespace: NamespaceObject): Promise<NamespaceObject> {
    const finalizers = [...new Set((namespace.spec?.finalizers ?? []).filter((f) => f !== KUBERNETES_FINALIZER))].sort();
    return this.deps.client.request<NamespaceObject>({
      method: 'PUT',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace.metadata.name!)}/finalize`,
      body: { ...namespace, spec: { ...namespace.spec, finalizers } },
      target: { group: '', resource: 'namespaces', name: namespace.metadata.name! },
    });
  }

  /** One pass over every namespaced resource; the longest estimate of what is still going away. */
  private async deleteAllContent(namespace: NamespaceObject): Promise<number> {
    const name = namespace.metadata.name!;
    const deletedAt = Date.parse(namespace.metadata.deletionTimestamp!);
    const errors: string[] = [];
    const problems: DeletionProblems = { content: [], remainingByResource: new Map(), remainingByFinalizer: new Map() };
    let resources: DiscoveredResource[] = [];
    try {
      const discovered = await (this.deps.discover ?? discoverServerResources)(this.deps.client);
      resources = discovered.preferred.filter((r) => r.namespaced && r.verbs.includes('delete'));
      const failure = discoveryFailureMessage(discovered.failed);
      if (failure) {
        // Not fatal: whatever was discovered is still deleted.
        errors.push(failure);
        problems.discovery = `Discovery failed for some groups, ${discovered.failed.size} failing: ${failure}`;
      }
    } catch (err) {
      errors.push(errorMessage(err));
      problems.discovery = errorMessage(err);
    }

    let estimate = 0;
    for (const resource of resources) {
      const result = await this.deleteAllContentFor(resource, name, deletedAt);
      if (result.error) {
        errors.push(result.error);
        problems.content.push(result.error);
      }
      estimate = Math.max(estimate, result.estimateSeconds);
      if (result.remaining === 0) continue;
      problems.remainingByResource.set(`${resource.resource}.${resource.group}`, result.remaining);
      for (const [finalizer, n] of result.finalizers) problems.remainingByFinalizer.set(finalizer, (problems.remainingByFinalizer.get(finalizer) ?? 0) + n);
    }

    // Always written when changed: a condition that was failing must be seen to recover.
    const now = formatRfc3339(Math.floor(this.deps.clock.now() / 1000));
    const { conditions, changed } = updateDeletionConditions(namespace.status?.conditions ?? [], problems, now);
    if (changed) {
      try {
        await this.namespaces.updateStatus({ ...namespace, status: { ...namespace.status, conditions } });
      } catch (err) {
        this.deps.logger.warn(`namespace controller: couldn't update status condition for namespace ${JSON.stringify(name)}: ${errorMessage(err)}`);
      }
    }
    if (errors.length > 0) throw new Error(aggregate(errors));
    return estimate;
  }

  private async deleteAllContentFor(resource: DiscoveredResource, namespace: string, deletedAt: number): Promise<ResourceResult> {
    const key = `${resource.group}/${resource.version}/${resource.resource}`;
    const client = this.deps.client
      .forTarget<KubeObject>({ group: resource.group, version: resource.version, resource: resource.resource, namespaced: true, kind: resource.kind })
      .namespace(namespace);
    const supports = (verb: string): boolean => resource.verbs.includes(verb) && !this.unsupported.has(`${verb} ${key}`);
    const none: ResourceResult = { estimateSeconds: 0, remaining: 0, finalizers: new Map() };
    let estimateSeconds = 0;
    try {
      if (resource.group === '' && resource.resource === 'pods') estimateSeconds = await this.estimatePodTermination(namespace, deletedAt);
    } catch (err) {
      return { ...none, error: errorMessage(err) };
    }

    // The namespace controller deletes generically: dependents are left to the garbage collector.
    let deletedCollection = false;
    if (supports('deletecollection')) {
      try {
        await client.deleteCollection({ propagationPolicy: 'Background' });
        deletedCollection = true;
      } catch (err) {
        if (!isMethodNotSupported(err) && !isNotFound(err)) return { ...none, estimateSeconds, error: errorMessage(err) };
        this.unsupported.add(`deletecollection ${key}`);
      }
    }
    if (!deletedCollection && supports('list')) {
      try {
        for (const item of (await client.list()).items) {
          try {
            await client.delete(item.metadata.name!, { propagationPolicy: 'Background' });
          } catch (err) {
            if (!isNotFound(err) && !isMethodNotSupported(err)) throw err;
          }
        }
      } catch (err) {
        return { ...none, estimateSeconds, error: errorMessage(err) };
      }
    }

    if (!supports('list')) return { ...none, estimateSeconds };
    let items: KubeObject[];
    try {
      items = (await client.list()).items;
    } catch (err) {
      return { ...none, estimateSeconds, error: errorMessage(err) };
    }
    if (items.length === 0) return none;
    const finalizers = new Map<string, number>();
    for (const item of items) for (const f of item.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    if (estimateSeconds > 0) return { estimateSeconds, remaining: items.length, finalizers };
    // Finalizers are expected to take a while (the garbage collector, storage protection, …).
    if (finalizers.size > 0) return { estimateSeconds: FINALIZER_ESTIMATE_SECONDS, remaining: items.length, finalizers };
    return { estimateSeconds, remaining: items.length, finalizers, error: `unexpected items still remain in namespace: ${namespace} for gvr: ${gvrText(resource)}` };
  }

  /**
   * The longest termination grace period among the namespace's running pods — unless that much
   * time has already passed since the namespace was deleted.
   */
  private async estimatePodTermination(namespace: string, deletedAt: number): Promise<number> {
    const pods = await this.deps.client.forKind<KubeObject & { spec?: { terminationGracePeriodSeconds?: number }; status?: { phase?: string } }>(PODS).namespace(namespace).list();
    let estimate = 0;
    for (const pod of pods.items) {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      estimate = Math.max(estimate, pod.spec?.terminationGracePeriodSeconds ?? 0);
    }
    return this.deps.clock.now() - deletedAt >= estimate * 1000 ? 0 : estimate;
  }
}
