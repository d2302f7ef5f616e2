import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { Indexer, Lister } from '@k8ts/client';
import { ownersSelecting, resolveControllerRef } from './owner-lookup.ts';

function owner(name: string, selector: unknown, uid = `uid-${name}`, namespace = 'prod'): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace, uid }, spec: { selector } };
}

function listerOf(...objects: KubeObject[]): Lister<KubeObject> {
  const indexer = new Indexer<KubeObject>();
  for (const o of objects) indexer.add(o);
  return new Lister(indexer);
}

const pod = (labels?: Record<string, string>, namespace = 'prod'): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace, ...(labels ? { labels } : {}) } });

describe('owner lookup', () => {
  it('resolves a controller reference only to the same kind, name and uid', () => {
    const lister = listerOf(owner('web', { matchLabels: { app: 'web' } }));
    expect(resolveControllerRef(lister, 'ReplicaSet', 'prod', { kind: 'ReplicaSet', name: 'web', uid: 'uid-web' })?.metadata.name).toBe('web');
    expect(resolveControllerRef(lister, 'ReplicaSet', 'prod', { kind: 'ReplicaSet', name: 'web', uid: 'an-older-web' })).toBeUndefined();
    expect(resolveControllerRef(lister, 'ReplicaSet', 'prod', { kind: 'StatefulSet', name: 'web', uid: 'uid-web' })).toBeUndefined();
  });

  it('finds the owners whose selector matches an orphan in its namespace; empty, missing or bad selectors match nothing', () => {
    const lister = listerOf(
      owner('web', { matchLabels: { app: 'web' } }),
      owner('all-web', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }),
      owner('empty', {}),
      owner('none', undefined),
      owner('bad', { matchExpressions: [{ key: 'app', operator: 'Sometimes' }] }),
      owner('elsewhere', { matchLabels: { app: 'web' } }, 'uid-x', 'dev'),
    );
    expect(ownersSelecting(lister, pod({ app: 'web' })).map((o) => o.metadata.name).sort()).toEqual(['all-web', 'web']);
    expect(ownersSelecting(lister, pod())).toEqual([]);
  });
});
