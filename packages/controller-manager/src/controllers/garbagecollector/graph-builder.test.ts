import type { KubeObject, OwnerReference } from '@k8ts/api';
import { FakeClock, RateLimitingQueue, silentLogger, type EventRecorder } from '@k8ts/client';
import { describe, expect, it } from 'vitest';
import type { GraphNode } from './graph.ts';
import { GraphBuilder, referenceDiffs } from './graph-builder.ts';

function setup() {
  const clock = new FakeClock(0);
  const attemptToDelete = new RateLimitingQueue<GraphNode>({ clock });
  const attemptToOrphan = new RateLimitingQueue<GraphNode>({ clock });
  const events: string[] = [];
  const recorder = { event: (_o: unknown, type: string, reason: string, message: string) => events.push(`${type} ${reason} ${message}`) } as unknown as EventRecorder;
  const graph = new GraphBuilder({ attemptToDelete, attemptToOrphan, recorder, logger: silentLogger });
  return { graph, attemptToDelete, attemptToOrphan, events };
}

function obj(name: string, uid: string, owners: OwnerReference[] = [], extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, uid, namespace: 'x', ownerReferences: owners, ...extra } };
}

const rsRef = (uid: string, block = true): OwnerReference => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid, blockOwnerDeletion: block });

describe('dependency graph', () => {
  it('links dependents to a virtual owner until the owner is observed', () => {
    const { graph, attemptToDelete } = setup();
    graph.observe('add', 'v1', 'Pod', obj('p', 'p1', [rsRef('rs1')]));
    const owner = graph.uidToNode.get('rs1')!;
    expect([owner.virtual, owner.observed, owner.identity.namespace]).toEqual([true, false, 'x']);
    expect([...owner.dependents].map((d) => d.identity.name)).toEqual(['p']);
    expect(attemptToDelete.len()).toBe(1); // the virtual owner, to be verified

    graph.observe('add', 'apps/v1', 'ReplicaSet', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', uid: 'rs1', namespace: 'x' } });
    expect(graph.uidToNode.get('rs1')!.observed).toBe(true);
  });

  it('queues dependents when their owner is deleted, and remembers the owner as absent', () => {
    const { graph, attemptToDelete } = setup();
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', uid: 'rs1', namespace: 'x' } };
    graph.observe('add', 'apps/v1', 'ReplicaSet', rs);
    graph.observe('add', 'v1', 'Pod', obj('p', 'p1', [rsRef('rs1')]));
    expect(attemptToDelete.len()).toBe(0);
    graph.observe('delete', 'apps/v1', 'ReplicaSet', rs);
    expect(attemptToDelete.len()).toBe(1);
    expect(graph.uidToNode.has('rs1')).toBe(false);
    expect(graph.absentOwners.has({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs1', namespace: 'x' })).toBe(true);
  });

  it('sends an owner starting orphan deletion to attemptToOrphan, and foreground deletion to attemptToDelete with its dependents', () => {
    const { graph, attemptToDelete, attemptToOrphan } = setup();
    const deleting = (finalizer: string) => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'rs', uid: 'rs1', namespace: 'x', deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: [finalizer] },
    });
    const live = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', uid: 'rs1', namespace: 'x' } };
    graph.observe('add', 'apps/v1', 'ReplicaSet', live);
    graph.observe('add', 'v1', 'Pod', obj('p', 'p1', [rsRef('rs1')]));
    graph.observe('update', 'apps/v1', 'ReplicaSet', deleting('orphan'), live);
    expect([attemptToOrphan.len(), attemptToDelete.len()]).toEqual([1, 0]);

    const second = setup();
    second.graph.observe('add', 'apps/v1', 'ReplicaSet', live);
    second.graph.observe('add', 'v1', 'Pod', obj('p', 'p1', [rsRef('rs1')]));
    second.graph.observe('update', 'apps/v1', 'ReplicaSet', deleting('foregroundDeletion'), live);
    expect(second.graph.uidToNode.get('rs1')!.deletingDependents).toBe(true);
    expect(second.attemptToDelete.len()).toBe(2); // the pod and the owner
    expect(second.graph.uidToNode.get('rs1')!.blockingDependents().map((d) => d.identity.name)).toEqual(['p']);
  });

  it('re-examines an owner deleting in the foreground when a blocking reference goes away', () => {
    const { graph, attemptToDelete } = setup();
    graph.observe('add', 'apps/v1', 'ReplicaSet', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', uid: 'rs1', namespace: 'x' } });
    const before = obj('p', 'p1', [rsRef('rs1')]);
    graph.observe('add', 'v1', 'Pod', before);
    graph.observe('update', 'v1', 'Pod', obj('p', 'p1', [rsRef('rs1', false)]), before);
    expect(attemptToDelete.len()).toBe(1);
    expect(graph.uidToNode.get('rs1')!.blockingDependents()).toEqual([]);
  });

  it('reports a namespaced owner in another namespace', () => {
    const { graph, events } = setup();
    graph.observe('add', 'v1', 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'o', uid: 'o1', namespace: 'b' } });
    graph.observe('add', 'v1', 'ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd', uid: 'd1', namespace: 'a', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: 'o1' }] } });
    expect(events).toEqual(['Warning OwnerRefInvalidNamespace ownerRef [v1/ConfigMap, namespace: a, name: o, uid: o1] does not exist in namespace "a"']);
  });
});

describe('owner reference diffs', () => {
  it('tells added, removed and changed references apart by uid', () => {
    const { added, removed, changed } = referenceDiffs([rsRef('a'), rsRef('b')], [rsRef('b', false), rsRef('c')]);
    expect(added.map((r) => r.uid)).toEqual(['c']);
    expect(removed.map((r) => r.uid)).toEqual(['a']);
    expect(changed.map((c) => [c.old.blockOwnerDeletion, c.now.blockOwnerDeletion])).toEqual([[true, false]]);
  });
});
