// Listers: read-only queries over an informer's cache — how controllers read cluster state
// without calling the apiserver (client-go's generated listers, e.g. podLister.Pods(ns).List(sel)).
// Results are the cache's objects: never modify them; copy before changing.
import type { KubeObject } from '@k8ts/api';
import { matchesLabels, parseLabelSelector, type LabelSelector } from '@k8ts/api/selectors/index.ts';
import { NAMESPACE_INDEX, type Indexer } from './store.ts';

/** A parsed selector, or its text ("app=web,tier in (fe)"); [] and "" select everything. */
export type SelectorInput = LabelSelector | string;

function toSelector(selector: SelectorInput | null): LabelSelector | null {
  return typeof selector === 'string' ? parseLabelSelector(selector) : selector;
}

function select<T extends KubeObject>(objects: T[], selector: SelectorInput | null): T[] {
  const parsed = toSelector(selector);
  if (parsed !== null && parsed.length === 0) return objects;
  return objects.filter((obj) => matchesLabels(parsed, obj.metadata.labels));
}

export class NamespaceLister<T extends KubeObject = KubeObject> {
  constructor(
    private readonly indexer: Indexer<T>,
    readonly namespace: string,
  ) {}

  /** Objects of this namespace matching the selector (null, k8s' "Nothing" selector, matches none). */
  list(selector: SelectorInput | null = []): T[] {
    const inNamespace =
      NAMESPACE_INDEX in this.indexer.getIndexers()
        ? this.indexer.byIndex(NAMESPACE_INDEX, this.namespace)
        : this.indexer.list().filter((obj) => (obj.metadata.namespace ?? '') === this.namespace);
    return select(inNamespace, selector);
  }

  get(name: string): T | undefined {
    return this.indexer.getByKey(`${this.namespace}/${name}`);
  }
}

export class Lister<T extends KubeObject = KubeObject> {
  constructor(private readonly indexer: Indexer<T>) {}

  /** Objects in every namespace matching the selector. */
  list(selector: SelectorInput | null = []): T[] {
    return select(this.indexer.list(), selector);
  }

  /** One object by namespace and name; namespace "" for cluster-scoped objects. */
  get(namespace: string, name: string): T | undefined {
    return this.indexer.getByKey(namespace === '' ? name : `${namespace}/${name}`);
  }

  byNamespace(namespace: string): NamespaceLister<T> {
    return new NamespaceLister(this.indexer, namespace);
  }
}
