import type { JsonObject, KubeObject } from '@k8ts/api';
import { StatusError } from '@k8ts/client';
import { describe, expect, it } from 'vitest';
import { namespace } from '../testing/fixtures.ts';
import { FakeApi } from '../testing/fake-api.ts';
import { ControllerRefManager, podControllerRefManager, recheckDeletionTimestamp, replicaSetControllerRefManager } from './controller-ref-manager.ts';
import type { Pod, ReplicaSet } from './workload-types.ts';

const RS_KIND = { group: 'apps', version: 'v1', kind: 'ReplicaSet' };
const owner: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default', uid: 'owner-uid' } };
const controllerRef = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'owner-uid', controller: true, blockOwnerDeletion: true };

function pod(name: string, labels: Record<string, string>, extra: Partial<Pod['metadata']> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}`, labels, ...extra } };
}

function status(code: number, reason: string, message: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message });
}

interface Recorded {
  name: string;
  patch: JsonObject;
}

function manager(options: { controller?: KubeObject; canAdopt?: () => Promise<void>; fail?: (name: string) => Error | undefined } = {}) {
  const patches: Recorded[] = [];
  const m = podControllerRefManager<Pod>({
    controller: options.controller ?? owner,
    controllerKind: RS_KIND,
    selector: [{ key: 'app', operator: 'Equals', values: ['web'] }],
    canAdopt: options.canAdopt,
    patch: async (_ns, name, patch) => {
      const failure = options.fail?.(name);
      if (failure) throw failure;
      patches.push({ name, patch });
    },
  });
  return { m, patches };
}

describe('ControllerRefManager.claim', () => {
  it('keeps its matching pods, adopts matching orphans, releases non-matching ones and leaves others alone', async () => {
    const { m, patches } = manager();
    const claimed = await m.claim([
      pod('mine', { app: 'web' }, { ownerReferences: [controllerRef] }),
      pod('orphan', { app: 'web' }),
      pod('stray', { app: 'db' }, { ownerReferences: [controllerRef] }),
      pod('theirs', { app: 'web' }, { ownerReferences: [{ ...controllerRef, uid: 'other-uid' }] }),
      pod('unrelated', { app: 'db' }),
      pod('dying-orphan', { app: 'web' }, { deletionTimestamp: '2025-01-01T00:00:00Z' }),
      { ...pod('elsewhere', { app: 'web' }), metadata: { ...pod('elsewhere', { app: 'web' }).metadata, namespace: 'other' } },
    ]);
    expect(claimed.map((p) => p.metadata.name)).toEqual(['mine', 'orphan']);
    expect(patches).toEqual([
      { name: 'orphan', patch: { metadata: { ownerReferences: [controllerRef], uid: 'uid-orphan' } } },
      { name: 'stray', patch: { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'owner-uid' }], uid: 'uid-stray' } } },
    ]);
  });

  it('neither adopts nor releases while the owner is being deleted', async () => {
    const { m, patches } = manager({ controller: { ...owner, metadata: { ...owner.metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } } });
    const claimed = await m.claim([pod('mine', { app: 'web' }, { ownerReferences: [controllerRef] }), pod('orphan', { app: 'web' }), pod('stray', { app: 'db' }, { ownerReferences: [controllerRef] })]);
    expect(claimed.map((p) => p.metadata.name)).toEqual(['mine']);
    expect(patches).toEqual([]);
  });

  it('asks canAdopt once, and reports every pod it could not adopt', async () => {
    let asked = 0;
    const { m, patches } = manager({
      canAdopt: async () => {
        asked++;
        throw new Error('default/web has just been deleted at 2025-01-01T00:00:00Z');
      },
    });
    await expect(m.claim([pod('a', { app: 'web' }), pod('b', { app: 'web' })])).rejects.toThrow(
      "[can't adopt Pod default/a (uid-a): default/web has just been deleted at 2025-01-01T00:00:00Z, can't adopt Pod default/b (uid-b): default/web has just been deleted at 2025-01-01T00:00:00Z]",
    );
    expect(asked).toBe(1);
    expect(patches).toEqual([]);
  });

  it('takes a pod gone meanwhile as not claimed, and a failed release of a gone or replaced pod as done', async () => {
    const failures: Record<string, Error> = {
      gone: status(404, 'NotFound', 'pods "gone" not found'),
      replaced: status(422, 'Invalid', 'uid mismatch'),
      broken: status(500, 'InternalError', 'etcd down'),
    };
    const { m } = manager({ fail: (name) => failures[name] });
    expect(await m.claim([pod('gone', { app: 'web' }), pod('replaced', { app: 'db' }, { ownerReferences: [controllerRef] })])).toEqual([]);
    await expect(m.claim([pod('broken', { app: 'db' }, { ownerReferences: [controllerRef] })])).rejects.toThrow('etcd down');
  });

  it('applies extra filters on top of the selector', async () => {
    const { m } = manager();
    const claimed = await m.claim([pod('a', { app: 'web' }, { ownerReferences: [controllerRef] }), pod('b', { app: 'web' }, { ownerReferences: [controllerRef] })], (p) => p.metadata.name === 'a');
    expect(claimed.map((p) => p.metadata.name)).toEqual(['a']);
  });
});

describe('recheckDeletionTimestamp', () => {
  it('refuses when the fresh owner is being deleted or cannot be read', async () => {
    await expect(recheckDeletionTimestamp(async () => owner)()).resolves.toBeUndefined();
    await expect(recheckDeletionTimestamp(async () => ({ ...owner, metadata: { ...owner.metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } }))()).rejects.toThrow(
      'default/web has just been deleted at 2025-01-01T00:00:00Z',
    );
    await expect(recheckDeletionTimestamp(async () => Promise.reject(status(404, 'NotFound', 'replicasets.apps "web" not found')))()).rejects.toThrow(
      `can't recheck DeletionTimestamp: replicasets.apps "web" not found`,
    );
  });
});

describe('ReplicaSet claiming against the API', () => {
  it('adopts and releases ReplicaSets by strategic merge patch, with finalizers', async () => {
    const api = new FakeApi();
    const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', uid: 'deploy-uid' } };
    const rs = (name: string, app: string, extra: Partial<ReplicaSet['metadata']> = {}): ReplicaSet => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: 'default', labels: { app }, ...extra },
      spec: { selector: { matchLabels: { app } } },
    });
    const deploymentRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'deploy-uid', controller: true, blockOwnerDeletion: true };
    const other = { apiVersion: 'v1', kind: 'ConfigMap', name: 'keep', uid: 'cm-uid' };
    api.seed(namespace('default'), rs('orphan', 'web'), rs('stray', 'db', { ownerReferences: [other, deploymentRef], finalizers: ['example.com/hold', 'example.com/release'] }));
    const replicaSets = api.client().forKind<ReplicaSet>(RS_KIND);
    const m: ControllerRefManager<ReplicaSet> = replicaSetControllerRefManager<ReplicaSet>({
      replicaSets,
      controller: deployment,
      controllerKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      selector: [{ key: 'app', operator: 'Equals', values: ['web'] }],
      finalizers: ['example.com/release'],
    });
    const claimed = await m.claim((await replicaSets.namespace('default').list()).items);
    expect(claimed.map((r) => r.metadata.name)).toEqual(['orphan']);
    const orphan = api.get<ReplicaSet>('apps/v1', 'ReplicaSet', 'default', 'orphan')!;
    expect(orphan.metadata.ownerReferences).toEqual([deploymentRef]);
    expect(orphan.metadata.finalizers).toEqual(['example.com/release']);
    const stray = api.get<ReplicaSet>('apps/v1', 'ReplicaSet', 'default', 'stray')!;
    expect(stray.metadata.ownerReferences).toEqual([other]);
    expect(stray.metadata.finalizers).toEqual(['example.com/hold']);
  });
});
