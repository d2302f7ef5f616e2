// The admission chain of a running apiserver: plugins read the registry's own stores and watch
// caches, wait on real timers and draw real randomness.
import type { KubeObject } from '@k8ts/api';
import { ApiError, type ResourceRef } from '../http/api-error.ts';
import type { ResourceRegistry } from '../registry/resource-registry.ts';
import type { ResourceStore } from '../registry/resource-store.ts';
import type { ClusterState } from './attributes.ts';
import type { AdmissionChain } from './chain.ts';
import { buildAdmissionChain } from './plugins.ts';

/** Who the apiserver is when it writes to itself (Kubernetes' loopback client). */
const APISERVER_USER = { username: 'system:apiserver', groups: ['system:masters', 'system:authenticated'] };

export function registryState(registry: ResourceRegistry): ClusterState {
  const stores = new Map<string, ResourceStore | undefined>();
  // Every version of a resource shares one store prefix: any of its stores reads them all.
  const storeFor = (ref: ResourceRef): ResourceStore | undefined => {
    const key = `${ref.group}/${ref.resource}`;
    if (!stores.has(key)) stores.set(key, registry.all().find((s) => s.info.group === ref.group && s.info.resource === ref.resource));
    return stores.get(key);
  };
  return {
    async get(ref, namespace, name) {
      const store = storeFor(ref);
      if (!store) return undefined;
      const key = store.key(namespace, name);
      // A store read per admitted write (every pod create looks up its namespace, every kubelet
      // status write its pod and node) was a large share of a busy apiserver's work.
      return ((store.cache.isReady ? store.cache.copyOf(key) : undefined) ?? (await store.storage.get(key)))?.object;
    },
    async getLive(ref, namespace, name) {
      const store = storeFor(ref);
      return store ? (await store.storage.get(store.key(namespace, name)))?.object : undefined;
    },
    async list(ref, namespace) {
      const objects: KubeObject[] = storeFor(ref)?.cache.snapshot().objects ?? [];
      return namespace === undefined ? objects : objects.filter((o) => o.metadata.namespace === namespace);
    },
    async updateStatus(ref, object) {
      const store = storeFor(ref);
      if (!store) return undefined;
      const ctx = { now: new Date(), user: APISERVER_USER, dryRun: false, fieldManager: 'kube-apiserver', warnings: [] };
      try {
        // The pinned resourceVersion makes a write that lost a race fail instead of overwriting.
        return (await store.update(object.metadata.namespace, object.metadata.name!, () => object, ctx, { target: 'status' })).object;
      } catch (err) {
        if (err instanceof ApiError && (err.code === 409 || err.code === 404)) return undefined;
        throw err;
      }
    },
  };
}

export function admissionOverRegistry(registry: ResourceRegistry, names: readonly string[]): AdmissionChain {
  return buildAdmissionChain(names, {
    state: registryState(registry),
    random: Math.random,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
}
