import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { Indexer, Lister, type Logger } from '@k8ts/client';
import { DependentOwners } from './dependent-owners.ts';

function replicaSet(name: string, app: string): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'prod', uid: `uid-${name}` }, spec: { selector: { matchLabels: { app } } } };
}

function pod(labels: Record<string, string>, controller?: string): KubeObject {
  const ownerReferences = controller ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: controller, uid: `uid-${controller}`, controller: true }] : undefined;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'prod', resourceVersion: '1', labels, ...(ownerReferences ? { ownerReferences } : {}) } };
}

function ownersOf(warnings: string[], ...owners: KubeObject[]): DependentOwners<KubeObject> {
  const indexer = new Indexer<KubeObject>();
  for (const owner of owners) indexer.add(owner);
  const logger = { warn: (message: string) => warnings.push(message) } as unknown as Logger;
  return new DependentOwners(new Lister(indexer), 'ReplicaSet', { logger, message: 'user error! more than one ReplicaSet is selecting pods with labels' });
}

const names = (owners: readonly (KubeObject | undefined)[]): (string | undefined)[] => owners.map((o) => o?.metadata.name);

describe('DependentOwners', () => {
  it('routes an owned dependent to its controller only, and an orphan to every owner that might adopt it', () => {
    const warnings: string[] = [];
    const owners = ownersOf(warnings, replicaSet('web', 'web'), replicaSet('web-too', 'web'));
    const owned = owners.ofAdded(pod({ app: 'web' }, 'web'));
    expect(names([owned.controller])).toEqual(['web']);
    expect(owned.adopters).toEqual([]);
    const orphan = owners.ofAdded(pod({ app: 'web' }));
    expect(orphan.controller).toBeUndefined();
    expect(names(orphan.adopters).sort()).toEqual(['web', 'web-too']);
    expect(warnings).toEqual(['user error! more than one ReplicaSet is selecting pods with labels: {"app":"web"}']);
  });

  it('offers no adopters for a dependent whose controller is gone', () => {
    const owners = ownersOf([], replicaSet('web', 'web'));
    expect(owners.ofAdded(pod({ app: 'web' }, 'deleted'))).toEqual({ controller: undefined, adopters: [] });
  });

  it('on an update names the owner that lost the dependent and the one that has it now', () => {
    const owners = ownersOf([], replicaSet('a', 'web'), replicaSet('b', 'web'));
    const moved = owners.ofUpdated(pod({ app: 'web' }, 'a'), pod({ app: 'web' }, 'b'));
    expect(names([moved.previous, moved.controller])).toEqual(['a', 'b']);
    const released = owners.ofUpdated(pod({ app: 'web' }, 'a'), pod({ app: 'web' }));
    expect(names([released.previous])).toEqual(['a']);
    expect(names(released.adopters).sort()).toEqual(['a', 'b']);
  });

  it('asks an orphan’s possible adopters again only when its labels changed', () => {
    const owners = ownersOf([], replicaSet('web', 'web'), replicaSet('api', 'api'));
    expect(owners.ofUpdated(pod({ app: 'web' }), pod({ app: 'web' })).adopters).toEqual([]);
    expect(names(owners.ofUpdated(pod({ app: 'web' }), pod({ app: 'api' })).adopters)).toEqual(['api']);
  });
});
