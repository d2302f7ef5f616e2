// The VolumeBinding plugin's assume cache (volumebinding's AssumeCache): what the scheduler
// decided in Reserve — a volume pre-bound to a claim, a claim given its selected node — is seen
// by the next pods' scheduling cycles before the API writes of PreBind come back through the
// informers. An assumed object is kept until the informer shows a newer resourceVersion than
// the one it was derived from, or Unreserve restores the informer's copy.
import type { KubeObject } from '@k8ts/api';

function version(obj: KubeObject | undefined): number {
  return Number(obj?.metadata.resourceVersion ?? 0) || 0;
}

export class AssumeCache<T extends KubeObject> {
  private readonly assumed = new Map<string, T>();

  constructor(
    private readonly informerGet: (key: string) => T | undefined,
    private readonly informerList: () => T[],
    private readonly keyOf: (obj: T) => string,
  ) {}

  get(key: string): T | undefined {
    const cached = this.informerGet(key);
    const assumed = this.assumed.get(key);
    if (!assumed) return cached;
    if (!cached || version(cached) > version(assumed)) {
      // Deleted, or the informer caught up with (or overtook) what was assumed.
      this.assumed.delete(key);
      return cached;
    }
    return assumed;
  }

  list(): T[] {
    return this.informerList().map((obj) => this.get(this.keyOf(obj)) ?? obj);
  }

  /** Keeps `obj` (derived from the cached version, same resourceVersion) as the object's state. */
  assume(obj: T): void {
    this.assumed.set(this.keyOf(obj), obj);
  }

  restore(key: string): void {
    this.assumed.delete(key);
  }
}
