// The objects a controller wrote itself, kept until its informer shows them (or something
// newer): a sync that runs right after a write then reads what it wrote, not the stale cached
// copy, as the PV controller's own caches do (storeObjectUpdate). resourceVersions are compared
// as numbers, which the apiserver's are.
import type { KubeObject } from '@k8ts/api';

function version(obj: KubeObject): number {
  return Number(obj.metadata.resourceVersion ?? 0) || 0;
}

export class FreshestObjects {
  private readonly objects = new Map<string, KubeObject>();

  /** Keeps `obj` as the newest known version of `key`; returns it. */
  remember<T extends KubeObject>(key: string, obj: T): T {
    this.objects.set(key, obj);
    return obj;
  }

  /** The newer of the cached object and the one written; forgets the written one once the cache caught up. */
  pick<T extends KubeObject>(key: string, cached: T | undefined): T | undefined {
    const written = this.objects.get(key) as T | undefined;
    if (!written) return cached;
    if (cached && (cached.metadata.uid !== written.metadata.uid || version(cached) >= version(written))) {
      this.objects.delete(key);
      return cached;
    }
    // Not in the cache yet, or the cache is behind.
    return written;
  }

  forget(key: string): void {
    this.objects.delete(key);
  }
}
