// One ResourceStore per served resource, all sharing one store connection; resources that
// live at the same store prefix (autoscaling v1 and v2) share one watch cache, and a converter
// between their versions (registry/conversion).
import type { ResourceInfo } from '@k8ts/api';
import { schema } from '@k8ts/api';
import type { EtcdClient, WatchStream } from '@k8ts/store/client/etcd-client.ts';
import { enabledAdmissionPlugins } from '../admission/plugins.ts';
import { admissionOverRegistry } from '../admission/registry-state.ts';
import type { ObjectStorage } from '../storage/object-storage.ts';
import { WatchCache } from '../storage/watch-cache.ts';
import { converterFor } from './conversion/converter.ts';
import { ResourceStore } from './resource-store.ts';
import { strategyFor } from './strategies/index.ts';
import type { ServiceAllocators } from './strategies/services.ts';

/** Resources answered by computation, never stored (reviews, bindings, component statuses). */
const VIRTUAL_RESOURCES = new Set([
  '/bindings',
  '/componentstatuses',
  'authentication.k8s.io/tokenreviews',
  'authentication.k8s.io/selfsubjectreviews',
  'authorization.k8s.io/subjectaccessreviews',
  'authorization.k8s.io/selfsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectrulesreviews',
  'authorization.k8s.io/localsubjectaccessreviews',
]);

export function isVirtual(info: ResourceInfo): boolean {
  return VIRTUAL_RESOURCES.has(`${info.group}/${info.resource}`);
}

/** Where a resource's objects live in the store, following Kubernetes' /registry layout. */
export function storagePrefix(info: ResourceInfo): string {
  if (info.group === 'events.k8s.io') return '/registry/events.k8s.io/events/';
  if (info.group === 'apiextensions.k8s.io') return `/registry/apiextensions.k8s.io/${info.resource}/`;
  return `/registry/${info.resource}/`;
}

export class ResourceRegistry {
  private readonly stores = new Map<string, ResourceStore>();
  private readonly caches = new Map<string, WatchCache>();
  private watchStream: WatchStream | undefined;

  constructor(
    readonly storage: ObjectStorage,
    etcd: EtcdClient,
    options: {
      services: ServiceAllocators;
      eventTtlSeconds: number;
      watchCacheSizes?: Record<string, number>;
      /** the admission plugins to run, in order (default: kube-apiserver's default-on set) */
      admissionPlugins?: readonly string[];
    },
  ) {
    const stream = () => (this.watchStream ??= etcd.watch());
    const admission = admissionOverRegistry(this, options.admissionPlugins ?? enabledAdmissionPlugins());
    for (const info of schema.resources) {
      if (isVirtual(info)) continue;
      const prefix = storagePrefix(info);
      let cache = this.caches.get(prefix);
      const size = options.watchCacheSizes?.[info.group ? `${info.resource}.${info.group}` : info.resource];
      if (!cache) this.caches.set(prefix, (cache = new WatchCache(etcd, stream, prefix, ...(size ? [size] : []))));
      this.stores.set(`${info.group}/${info.version}/${info.resource}`, new ResourceStore(info, storage, cache, strategyFor(info, options), admission, converterFor(info.group, info.resource)));
    }
  }

  store(group: string, version: string, resource: string): ResourceStore | undefined {
    return this.stores.get(`${group}/${version}/${resource}`);
  }

  all(): ResourceStore[] {
    return [...this.stores.values()];
  }

  async start(): Promise<void> {
    await Promise.all([...this.caches.values()].map((c) => c.start()));
  }

  stop(): void {
    for (const cache of this.caches.values()) cache.stop();
    this.watchStream?.close();
  }
}
