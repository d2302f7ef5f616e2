import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { Lister } from './lister.ts';
import { DeletedFinalStateUnknown, Indexer, metaNamespaceIndexFunc, metaNamespaceKeyFunc, NAMESPACE_INDEX, splitMetaNamespaceKey } from './store.ts';

const pod = (namespace: string, name: string, labels: Record<string, string> = {}, node = ''): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace, name, labels },
  spec: { nodeName: node },
});

const byNode = (obj: KubeObject): string[] => [String((obj.spec as { nodeName?: string }).nodeName ?? '')];

function podIndexer(): Indexer {
  return new Indexer(metaNamespaceKeyFunc, { [NAMESPACE_INDEX]: metaNamespaceIndexFunc, node: byNode });
}

describe('keys', () => {
  it('files objects as namespace/name, cluster-scoped ones by name', () => {
    expect(metaNamespaceKeyFunc(pod('default', 'web'))).toBe('default/web');
    expect(metaNamespaceKeyFunc({ metadata: { name: 'node-1' } })).toBe('node-1');
    expect(metaNamespaceKeyFunc(new DeletedFinalStateUnknown('ns/gone', pod('ns', 'gone')))).toBe('ns/gone');
    expect(splitMetaNamespaceKey('ns/web')).toEqual({ namespace: 'ns', name: 'web' });
    expect(splitMetaNamespaceKey('node-1')).toEqual({ namespace: '', name: 'node-1' });
    expect(() => splitMetaNamespaceKey('a/b/c')).toThrow('unexpected key format: "a/b/c"');
  });
});

describe('Indexer', () => {
  it('keeps indexes in step with adds, updates and deletes', () => {
    const indexer = podIndexer();
    indexer.add(pod('a', 'p1', {}, 'node-1'));
    indexer.add(pod('a', 'p2', {}, 'node-2'));
    indexer.add(pod('b', 'p3', {}, 'node-1'));
    expect(indexer.indexKeys('node', 'node-1').sort()).toEqual(['a/p1', 'b/p3']);
    expect(indexer.byIndex(NAMESPACE_INDEX, 'a').map((p) => p.metadata.name).sort()).toEqual(['p1', 'p2']);

    // Moving p1 to node-2 takes it out of node-1's index entry.
    indexer.update(pod('a', 'p1', {}, 'node-2'));
    expect(indexer.indexKeys('node', 'node-1')).toEqual(['b/p3']);
    expect(indexer.index('node', pod('x', 'probe', {}, 'node-2')).map((p) => p.metadata.name).sort()).toEqual(['p1', 'p2']);

    indexer.delete(pod('b', 'p3'));
    expect(indexer.listIndexFuncValues('node')).toEqual(['node-2']);
    expect(indexer.getByKey('b/p3')).toBeUndefined();
    expect(indexer.listKeys().sort()).toEqual(['a/p1', 'a/p2']);
  });

  it('deletes by tombstone and replaces everything at once', () => {
    const indexer = podIndexer();
    indexer.add(pod('a', 'p1'));
    indexer.delete(new DeletedFinalStateUnknown('a/p1', pod('a', 'p1')));
    expect(indexer.size).toBe(0);
    indexer.add(pod('a', 'old'));
    indexer.replace([pod('c', 'new')]);
    expect(indexer.listKeys()).toEqual(['c/new']);
    expect(indexer.byIndex(NAMESPACE_INDEX, 'a')).toEqual([]);
  });

  it('reports unknown indexes and late indexers as client-go does', () => {
    const indexer = podIndexer();
    expect(() => indexer.byIndex('zone', 'x')).toThrow('Index with name zone does not exist');
    expect(() => indexer.addIndexers({ node: byNode })).toThrow('indexer conflict: node');
    indexer.add(pod('a', 'p'));
    expect(() => indexer.addIndexers({ zone: () => [] })).toThrow('cannot add indexers to running index');
  });
});

describe('Lister', () => {
  const indexer = podIndexer();
  indexer.add(pod('prod', 'web-1', { app: 'web', tier: 'fe' }));
  indexer.add(pod('prod', 'db-1', { app: 'db' }));
  indexer.add(pod('dev', 'web-2', { app: 'web' }));
  const lister = new Lister(indexer);
  const names = (objects: KubeObject[]) => objects.map((o) => o.metadata.name).sort();

  it('lists by label selector across namespaces or within one', () => {
    expect(names(lister.list())).toEqual(['db-1', 'web-1', 'web-2']);
    expect(names(lister.list('app=web'))).toEqual(['web-1', 'web-2']);
    expect(names(lister.byNamespace('prod').list('app in (web,db),tier!=fe'))).toEqual(['db-1']);
    // A nil selector (null) matches nothing, an empty one everything.
    expect(lister.list(null)).toEqual([]);
    expect(names(lister.byNamespace('dev').list([]))).toEqual(['web-2']);
  });

  it('gets one object by namespace and name', () => {
    expect(lister.get('prod', 'web-1')?.metadata.labels).toEqual({ app: 'web', tier: 'fe' });
    expect(lister.byNamespace('dev').get('web-1')).toBeUndefined();
  });

  it('scans when the cache has no namespace index', () => {
    const plain = new Indexer();
    plain.add(pod('x', 'a'));
    plain.add(pod('y', 'b'));
    expect(names(new Lister(plain).byNamespace('y').list())).toEqual(['b']);
  });
});
