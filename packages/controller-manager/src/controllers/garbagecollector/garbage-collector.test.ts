import type { KubeObject, OwnerReference } from '@k8ts/api';
import { afterEach, describe, expect, it } from 'vitest';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { GarbageCollector } from './garbage-collector.ts';
import { clientWithDiscovery } from './test-discovery.ts';

let harness: ControllerHarness;
afterEach(() => harness?.shutdown());

async function start(...objects: KubeObject[]): Promise<{ h: ControllerHarness; gc: GarbageCollector }> {
  return startWith(() => {}, ...objects);
}

/** `prepare` runs before the collector starts (to install reactors). */
async function startWith(prepare: (h: ControllerHarness) => void, ...objects: KubeObject[]): Promise<{ h: ControllerHarness; gc: GarbageCollector }> {
  harness = new ControllerHarness(...objects);
  prepare(harness);
  const client = clientWithDiscovery(harness.api);
  const gc = new GarbageCollector({
    client,
    recorder: harness.recorder('garbage-collector-controller', client),
    attemptToDelete: harness.newQueue('garbage_collector_attempt_to_delete'),
    attemptToOrphan: harness.newQueue('garbage_collector_attempt_to_orphan'),
    workers: 2,
    clock: harness.clock,
    random: () => 0.5,
    logger: harness.logger,
  });
  await harness.start(gc);
  await harness.until(() => gc.monitors.isSynced(), 'monitors synced');
  return { h: harness, gc };
}

function ref(kind: string, apiVersion: string, name: string, uid: string, blocking = true): OwnerReference {
  return { apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: blocking };
}

function deployment(ns: string, name: string, uid: string): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, uid }, spec: { selector: { matchLabels: { app: name } } } } as KubeObject;
}

function replicaSet(ns: string, name: string, uid: string, owners: OwnerReference[] = []): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: ns, uid, ownerReferences: owners } } as KubeObject;
}

function pod(ns: string, name: string, owners: OwnerReference[], nodeName?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, ownerReferences: owners },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(nodeName ? { nodeName } : {}) },
  } as KubeObject;
}

function configMap(ns: string, name: string, uid?: string, owners: OwnerReference[] = []): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, ...(uid ? { uid } : {}), ownerReferences: owners } } as KubeObject;
}

const podIn = (h: ControllerHarness, name: string) => h.api.get('v1', 'Pod', 'x', name);
const rsIn = (h: ControllerHarness, name: string) => h.api.get('apps/v1', 'ReplicaSet', 'x', name);
const deleteBodies = (h: ControllerHarness, resource: string) => h.api.writes().filter((w) => w.verb === 'delete' && w.resource === resource);

describe('garbage collector', () => {
  it('watches every deletable resource by its metadata, but not Events', async () => {
    const { gc } = await start(namespace('x'));
    const watched = gc.monitors.watchedResources();
    expect(watched).toEqual(expect.arrayContaining(['v1/pods', 'apps/v1/replicasets', 'v1/namespaces', 'v1/nodes']));
    expect(watched).not.toContain('v1/events');
    expect(watched.some((r) => r.startsWith('events.k8s.io/'))).toBe(false);
    // Subresources and resources that cannot be listed+watched+deleted are not watched.
    for (const unwatched of ['v1/bindings', 'v1/componentstatuses', 'authentication.k8s.io/v1/tokenreviews']) expect(watched).not.toContain(unwatched);
    expect(watched.some((r) => r.endsWith('/status'))).toBe(false);
  });

  it('background: deleting a ReplicaSet deletes its pods, each with its uid as precondition', async () => {
    const owner = ref('ReplicaSet', 'apps/v1', 'web', 'rs-1');
    const { h } = await start(namespace('x'), replicaSet('x', 'web', 'rs-1'), pod('x', 'web-a', [owner]), pod('x', 'web-b', [owner]), pod('x', 'solo', []));
    await h.settle();
    expect(deleteBodies(h, 'pods')).toEqual([]);

    await h.client.forKind({ group: 'apps', version: 'v1', kind: 'ReplicaSet' }).namespace('x').delete('web');
    await h.until(() => !podIn(h, 'web-a') && !podIn(h, 'web-b'), 'pods collected');
    const deletes = deleteBodies(h, 'pods');
    expect(deletes.map((d) => d.name).sort()).toEqual(['web-a', 'web-b']);
    for (const d of deletes) expect(d.body).toMatchObject({ propagationPolicy: 'Background', preconditions: { uid: expect.any(String) } });
    expect(podIn(h, 'solo')).toBeDefined();
  });

  it('deletes dependents of an owner that never existed, once the apiserver confirms it', async () => {
    const { h } = await start(namespace('x'), pod('x', 'lost', [ref('ReplicaSet', 'apps/v1', 'ghost', 'never-was')]));
    await h.until(() => !podIn(h, 'lost'), 'orphan of a missing owner collected');
    // The owner was looked up (404) before anything was deleted.
    const lookups = h.api.actions.filter((a) => a.verb === 'get' && a.resource === 'replicasets.apps' && a.name === 'ghost');
    expect(lookups.length).toBeGreaterThan(0);
  });

  it('treats an owner with the same name but another uid as gone', async () => {
    const { h } = await start(namespace('x'), replicaSet('x', 'web', 'rs-new'), pod('x', 'stale', [ref('ReplicaSet', 'apps/v1', 'web', 'rs-old')]), pod('x', 'current', [ref('ReplicaSet', 'apps/v1', 'web', 'rs-new')]));
    await h.until(() => !podIn(h, 'stale'), 'pod of the replaced owner collected');
    await h.settle();
    expect(podIn(h, 'current')).toBeDefined();
    expect(rsIn(h, 'web')).toBeDefined();
  });

  it('removes only the dangling reference when another owner still exists', async () => {
    const { h } = await start(
      namespace('x'),
      configMap('x', 'keeper', 'cm-1'),
      pod('x', 'shared', [ref('ReplicaSet', 'apps/v1', 'gone', 'rs-gone', false), { apiVersion: 'v1', kind: 'ConfigMap', name: 'keeper', uid: 'cm-1' }]),
    );
    await h.until(() => (podIn(h, 'shared')?.metadata.ownerReferences ?? []).length === 1, 'dangling reference removed');
    expect(podIn(h, 'shared')!.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'keeper', uid: 'cm-1' }]);
    const patch = h.api.writes().find((w) => w.verb === 'patch' && w.name === 'shared')!;
    expect(patch.body).toEqual({ metadata: { ownerReferences: [{ $patch: 'delete', uid: 'rs-gone' }], uid: podIn(h, 'shared')!.metadata.uid } });
    expect(deleteBodies(h, 'pods')).toEqual([]);
  });

  it('falls back to a JSON merge patch where strategic merge patches are refused (custom resources)', async () => {
    const refuseStrategic = (h: ControllerHarness) =>
      h.api.prependReactor((a) =>
        a.verb === 'patch' && JSON.stringify(a.body).includes('$patch')
          ? { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the body of the request was in an unknown format', reason: 'UnsupportedMediaType', code: 415 }
          : undefined,
      );
    const { h } = await startWith(
      refuseStrategic,
      namespace('x'),
      configMap('x', 'keeper', 'cm-1'),
      pod('x', 'shared', [ref('ReplicaSet', 'apps/v1', 'gone', 'rs-gone', false), { apiVersion: 'v1', kind: 'ConfigMap', name: 'keeper', uid: 'cm-1' }]),
    );
    await h.until(() => (podIn(h, 'shared')?.metadata.ownerReferences ?? []).length === 1, 'dangling reference removed');
    const patches = h.api.writes().filter((w) => w.verb === 'patch' && w.name === 'shared');
    expect(patches.at(-1)!.body).toMatchObject({ metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'keeper', uid: 'cm-1' }], resourceVersion: expect.any(String) } });
  });

  it('foreground: dependents go first, blocking ones hold the owner until they are gone', async () => {
    const { h } = await start(
      namespace('x'),
      deployment('x', 'web', 'dep-1'),
      replicaSet('x', 'web-1', 'rs-1', [ref('Deployment', 'apps/v1', 'web', 'dep-1')]),
      pod('x', 'web-1-a', [ref('ReplicaSet', 'apps/v1', 'web-1', 'rs-1')], 'node-1'),
      configMap('x', 'notes', undefined, [ref('Deployment', 'apps/v1', 'web', 'dep-1', false)]),
    );
    await h.client.forKind({ group: 'apps', version: 'v1', kind: 'Deployment' }).namespace('x').delete('web', { propagationPolicy: 'Foreground' });

    // The pod is bound to a node: it terminates gracefully, and everything above it waits.
    await h.until(() => podIn(h, 'web-1-a')?.metadata.deletionTimestamp !== undefined, 'pod terminating');
    await h.settle(2000);
    const dep = h.api.get('apps/v1', 'Deployment', 'x', 'web')!;
    expect(dep.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(rsIn(h, 'web-1')!.metadata.finalizers).toEqual(['foregroundDeletion']);
    // The ReplicaSet has dependents of its own, so it was deleted in the foreground too.
    expect(deleteBodies(h, 'replicasets.apps')[0]!.body).toMatchObject({ propagationPolicy: 'Foreground' });
    // The non-blocking dependent was collected without holding anything up.
    expect(h.api.get('v1', 'ConfigMap', 'x', 'notes')).toBeUndefined();

    // The kubelet finishes the pod: the ReplicaSet, then the Deployment, complete.
    await h.client.forKind({ group: '', version: 'v1', kind: 'Pod' }).namespace('x').delete('web-1-a', { gracePeriodSeconds: 0 });
    await h.until(() => !rsIn(h, 'web-1') && !h.api.get('apps/v1', 'Deployment', 'x', 'web'), 'owners finalized');
  });

  it('orphan: dependents keep running without the owner reference, then the owner goes', async () => {
    const owner = ref('ReplicaSet', 'apps/v1', 'web', 'rs-1');
    const other: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'keeper', uid: 'cm-1' };
    const { h } = await start(namespace('x'), configMap('x', 'keeper', 'cm-1'), replicaSet('x', 'web', 'rs-1'), pod('x', 'web-a', [owner]), pod('x', 'web-b', [owner, other]));
    await h.client.forKind({ group: 'apps', version: 'v1', kind: 'ReplicaSet' }).namespace('x').delete('web', { propagationPolicy: 'Orphan' });
    await h.until(() => !rsIn(h, 'web'), 'owner deleted after orphaning');
    await h.settle();
    expect(podIn(h, 'web-a')!.metadata.ownerReferences ?? []).toEqual([]);
    expect(podIn(h, 'web-b')!.metadata.ownerReferences).toEqual([other]);
    expect(deleteBodies(h, 'pods')).toEqual([]);
  });

  it('a namespaced dependent may have a cluster-scoped owner', async () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'node-uid' } } as KubeObject;
    const { h } = await start(namespace('x'), node, pod('x', 'mirror', [ref('Node', 'v1', 'node-1', 'node-uid', false)]));
    await h.settle(2000);
    expect(podIn(h, 'mirror')).toBeDefined();
    await h.client.forKind({ group: '', version: 'v1', kind: 'Node' }).delete('node-1');
    await h.until(() => !podIn(h, 'mirror'), 'pod of the deleted node collected');
    expect(h.eventLines()).toEqual([]);
  });

  it('an owner in another namespace is reported and treated as absent', async () => {
    const { h } = await start(
      namespace('a'),
      namespace('b'),
      configMap('b', 'owner', 'cm-b'),
      configMap('a', 'dependent', 'cm-a', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'cm-b' }]),
    );
    await h.until(() => !h.api.get('v1', 'ConfigMap', 'a', 'dependent'), 'dependent collected');
    expect(h.api.get('v1', 'ConfigMap', 'b', 'owner')).toBeDefined();
    await h.until(() => h.eventLines().length > 0, 'event written');
    expect(h.eventLines()).toEqual([
      'Warning OwnerRefInvalidNamespace ownerRef [v1/ConfigMap, namespace: a, name: owner, uid: cm-b] does not exist in namespace "a"',
    ]);
  });

  it('a cluster-scoped dependent of a namespaced owner is reported and never collected', async () => {
    const { h } = await start(
      namespace('default'), // where events about cluster-scoped objects go
      namespace('b'),
      configMap('b', 'owner', 'cm-b'),
      { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-1', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'cm-b' }] } } as KubeObject,
    );
    await h.until(() => h.eventLines().length > 0, 'event written');
    await h.settle(3000);
    expect(h.api.get('v1', 'PersistentVolume', undefined, 'pv-1')).toBeDefined();
    expect(h.eventLines()).toEqual(['Warning OwnerRefInvalidNamespace ownerRef [v1/ConfigMap, namespace: , name: owner, uid: cm-b] does not exist in namespace ""']);
  });
});
