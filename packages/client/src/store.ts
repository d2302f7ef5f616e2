// The informer's cache: client-go's cache.Indexer over a thread-safe store. Objects are kept by
// key ("namespace/name", or "name" when cluster-scoped) and additionally by named indexes — an
// index function maps an object to the values it is found under (the "namespace" index maps it
// to its namespace), so "all pods in namespace x" or "all pods on node y" is a lookup, not a
// scan. JavaScript runs one callback at a time, so every method is atomic by construction; what
// client-go's locking protected against — a half-updated index — cannot be observed here.
//
// Objects handed out are the cache's own: callers must not modify them (copy first), exactly as
// with client-go listers.
import type { KubeObject } from '@k8ts/api';

export type KeyFunc<T> = (obj: T) => string;
export type IndexFunc<T> = (obj: T) => string[];
export type Indexers<T> = Record<string, IndexFunc<T>>;

/** The index every informer has: objects by namespace. */
export const NAMESPACE_INDEX = 'namespace';

/**
 * What a delete handler receives when the informer missed the DELETED event (it relisted and
 * the object was gone): the last state it knew, which may be stale.
 */
export class DeletedFinalStateUnknown<T> {
  constructor(
    readonly key: string,
    readonly obj: T,
  ) {}
}

/** cache.MetaNamespaceKeyFunc; a tombstone keeps the key it was filed under. */
export function metaNamespaceKeyFunc(obj: KubeObject | DeletedFinalStateUnknown<KubeObject>): string {
  if (obj instanceof DeletedFinalStateUnknown) return obj.key;
  const { namespace, name } = obj.metadata;
  if (name === undefined) throw new Error('object has no meta: metadata.name is missing');
  return namespace ? `${namespace}/${name}` : name;
}

/** cache.SplitMetaNamespaceKey. */
export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const parts = key.split('/');
  if (parts.length === 1) return { namespace: '', name: parts[0] };
  if (parts.length === 2) return { namespace: parts[0], name: parts[1] };
  throw new Error(`unexpected key format: ${JSON.stringify(key)}`);
}

export function metaNamespaceIndexFunc(obj: KubeObject): string[] {
  return [obj.metadata.namespace ?? ''];
}

export class Indexer<T extends KubeObject = KubeObject> {
  private readonly items = new Map<string, T>();
  /** index name → indexed value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();
  private readonly indexers: Indexers<T>;

  constructor(
    readonly keyFunc: KeyFunc<T> = metaNamespaceKeyFunc,
    indexers: Indexers<T> = {},
  ) {
    this.indexers = { ...indexers };
    for (const name of Object.keys(indexers)) this.indices.set(name, new Map());
  }

  add(obj: T): void {
    this.put(this.keyFunc(obj), obj);
  }

  update(obj: T): void {
    this.put(this.keyFunc(obj), obj);
  }

  delete(obj: T | DeletedFinalStateUnknown<T>): void {
    const key = obj instanceof DeletedFinalStateUnknown ? obj.key : this.keyFunc(obj);
    const old = this.items.get(key);
    if (old === undefined) return;
    this.unindex(key, old);
    this.items.delete(key);
  }

  get(obj: T): T | undefined {
    return this.items.get(this.keyFunc(obj));
  }

  getByKey(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  /** Swaps the whole content for `items` (the result of a list), rebuilding the indexes. */
  replace(items: T[]): void {
    this.items.clear();
    for (const index of this.indices.values()) index.clear();
    for (const obj of items) this.add(obj);
  }

  /** Objects sharing any value of index `indexName` with `obj`. */
  index(indexName: string, obj: T): T[] {
    const values = this.indexFunc(indexName)(obj);
    const index = this.indices.get(indexName)!;
    const keys = new Set<string>();
    for (const value of values) for (const key of index.get(value) ?? []) keys.add(key);
    return [...keys].map((key) => this.items.get(key)!);
  }

  indexKeys(indexName: string, indexedValue: string): string[] {
    this.indexFunc(indexName);
    return [...(this.indices.get(indexName)!.get(indexedValue) ?? [])];
  }

  byIndex(indexName: string, indexedValue: string): T[] {
    return this.indexKeys(indexName, indexedValue).map((key) => this.items.get(key)!);
  }

  listIndexFuncValues(indexName: string): string[] {
    return [...(this.indices.get(indexName)?.keys() ?? [])];
  }

  getIndexers(): Readonly<Indexers<T>> {
    return this.indexers;
  }

  /** Adds indexes; only while empty, as client-go refuses to re-index a running store. */
  addIndexers(newIndexers: Indexers<T>): void {
    if (this.items.size > 0) throw new Error('cannot add indexers to running index');
    const conflicts = Object.keys(newIndexers).filter((name) => name in this.indexers);
    if (conflicts.length > 0) throw new Error(`indexer conflict: ${conflicts.join(', ')}`);
    for (const [name, fn] of Object.entries(newIndexers)) {
      this.indexers[name] = fn;
      this.indices.set(name, new Map());
    }
  }

  private indexFunc(indexName: string): IndexFunc<T> {
    const fn = this.indexers[indexName];
    if (!fn) throw new Error(`Index with name ${indexName} does not exist`);
    return fn;
  }

  private put(key: string, obj: T): void {
    const old = this.items.get(key);
    if (old !== undefined) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of Object.entries(this.indexers)) {
      const index = this.indices.get(name)!;
      for (const value of new Set(fn(obj))) {
        let keys = index.get(value);
        if (!keys) index.set(value, (keys = new Set()));
        keys.add(key);
      }
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of Object.entries(this.indexers)) {
      const index = this.indices.get(name)!;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        if (!keys) continue;
        keys.delete(key);
        // Drop empty sets so listIndexFuncValues only reports values something is filed under.
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}
