import type { KubeObject } from '@k8ts/api';
import { isAlreadyExists, isConflict, isNotFound, StatusError } from '@k8ts/client';
import { describe, expect, it } from 'vitest';
import { FakeApi } from './fake-api.ts';
import { configMap, namespace } from './fixtures.ts';

const CM = { group: '', version: 'v1', kind: 'ConfigMap' };
const POD = { group: '', version: 'v1', kind: 'Pod' };
const NS = { group: '', version: 'v1', kind: 'Namespace' };

function pod(ns: string, name: string, nodeName?: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { containers: [{ name: 'c', image: 'i' }], ...(nodeName ? { nodeName } : {}) } } as KubeObject;
}

async function failure(promise: Promise<unknown>): Promise<StatusError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected the request to fail');
}

describe('FakeApi', () => {
  it('creates, reads, updates and deletes with resourceVersions, uids and Kubernetes errors', async () => {
    const api = new FakeApi();
    api.seed(namespace('x'));
    const cms = api.client().forKind(CM).namespace('x');
    const created = await cms.create(configMap('x', 'a', { k: 'v' }));
    expect(created.metadata).toMatchObject({ name: 'a', namespace: 'x', uid: expect.any(String), resourceVersion: expect.any(String) });
    expect(isAlreadyExists(await failure(cms.create(configMap('x', 'a', {}))))).toBe(true);
    expect((await failure(cms.get('b'))).message).toBe('configmaps "b" not found');

    const updated = await cms.update({ ...created, data: { k: 'w' } } as KubeObject);
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    const stale = await failure(cms.update({ ...created, data: { k: 'stale' } } as KubeObject));
    expect(isConflict(stale)).toBe(true);
    expect(stale.message).toBe(
      'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
    );

    expect(isConflict(await failure(cms.delete('a', { preconditions: { uid: 'other' } })))).toBe(true);
    await cms.delete('a', { preconditions: { uid: created.metadata.uid! } });
    expect(isNotFound(await failure(cms.get('a')))).toBe(true);
    expect(api.writes().map((w) => w.verb)).toEqual(['create', 'create', 'update', 'update', 'delete', 'delete']);
  });

  it('refuses writes into missing or terminating namespaces as NamespaceLifecycle does', async () => {
    const api = new FakeApi();
    api.seed(namespace('leaving', 'Terminating'));
    const client = api.client().forKind(CM);
    expect((await failure(client.namespace('nowhere').create(configMap('nowhere', 'a', {})))).message).toBe('namespaces "nowhere" not found');
    const refused = await failure(client.namespace('leaving').create(configMap('leaving', 'a', {})));
    expect(refused.code).toBe(403);
    expect(refused.status.details?.causes?.[0]?.reason).toBe('NamespaceTerminating');
  });

  it('streams watch events after the resourceVersion asked for, filtered by namespace', async () => {
    const api = new FakeApi();
    api.seed(namespace('x'), namespace('y'));
    const client = api.client().forKind(CM);
    const list = await client.namespace('x').list();
    const watch = await client.namespace('x').watch({ resourceVersion: list.metadata.resourceVersion });
    await client.namespace('y').create(configMap('y', 'elsewhere', {}));
    await client.namespace('x').create(configMap('x', 'a', {}));
    await client.namespace('x').delete('a');
    const seen: string[] = [];
    for await (const event of watch) {
      if (event.type === 'ERROR') throw event.error;
      seen.push(`${event.type} ${event.object.metadata.name}`);
      if (seen.length === 2) break;
    }
    watch.stop();
    expect(seen).toEqual(['ADDED a', 'DELETED a']);
  });

  it('server-side applies, creating the object, under the field manager asked for', async () => {
    const api = new FakeApi();
    api.seed(namespace('x'));
    const client = api.client().forKind(CM).namespace('x');
    await client.patch('a', 'apply', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } }, { fieldManager: 'me', force: true });
    const stored = api.get('v1', 'ConfigMap', 'x', 'a')!;
    expect((stored as KubeObject & { data: unknown }).data).toEqual({ k: 'v' });
    expect(stored.metadata.managedFields?.map((f) => f.manager)).toEqual(['me']);
  });

  it('deletes gracefully, waits for finalizers, and adds the propagation finalizers', async () => {
    const api = new FakeApi();
    api.seed(namespace('x'));
    const pods = api.client().forKind(POD).namespace('x');
    await pods.create(pod('x', 'bound', 'n1'));
    await pods.delete('bound');
    const terminating = api.get('v1', 'Pod', 'x', 'bound')!;
    expect(terminating.metadata).toMatchObject({ deletionGracePeriodSeconds: 30, deletionTimestamp: '2025-01-01T00:00:30Z' });
    await pods.delete('bound', { gracePeriodSeconds: 0 });
    expect(api.get('v1', 'Pod', 'x', 'bound')).toBeUndefined();

    await pods.create(pod('x', 'unbound'));
    await pods.delete('unbound');
    expect(api.get('v1', 'Pod', 'x', 'unbound')).toBeUndefined();

    const cms = api.client().forKind(CM).namespace('x');
    await cms.create({ ...configMap('x', 'held', {}), metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await cms.delete('held', { propagationPolicy: 'Foreground' });
    const held = api.get('v1', 'ConfigMap', 'x', 'held')!;
    expect(held.metadata.finalizers).toEqual(['example.com/hold', 'foregroundDeletion']);
    await cms.patch('held', 'merge', { metadata: { finalizers: null } });
    expect(api.get('v1', 'ConfigMap', 'x', 'held')).toBeUndefined();
  });

  it('binds pods once, writes status alone through the status subresource, and counts generations', async () => {
    const api = new FakeApi();
    api.seed(namespace('x'));
    const pods = api.client().forKind(POD).namespace('x');
    const created = await pods.create(pod('x', 'p'));
    expect(created.metadata.generation).toBe(1);
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p', namespace: 'x' }, target: { kind: 'Node', name: 'n1' } };
    await pods.bind(binding);
    expect(api.get<KubeObject & { spec: { nodeName?: string } }>('v1', 'Pod', 'x', 'p')!.spec.nodeName).toBe('n1');
    expect((await failure(pods.bind(binding))).message).toBe('Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "n1"');

    const live = api.get('v1', 'Pod', 'x', 'p')!;
    await pods.updateStatus({ ...live, metadata: { ...live.metadata, labels: { ignored: 'yes' } }, status: { phase: 'Running' } } as KubeObject);
    const afterStatus = api.get('v1', 'Pod', 'x', 'p')!;
    expect(afterStatus).toMatchObject({ status: { phase: 'Running' }, metadata: { generation: 1 } });
    expect(afterStatus.metadata.labels).toBeUndefined();
    await pods.update({ ...afterStatus, spec: { ...(afterStatus as KubeObject & { spec: object }).spec, activeDeadlineSeconds: 5 } } as KubeObject);
    expect(api.get('v1', 'Pod', 'x', 'p')!.metadata.generation).toBe(2);
  });

  it('keeps a deleted namespace Terminating until namespaces/finalize empties its finalizers', async () => {
    const api = new FakeApi();
    api.seed(namespace('x'));
    const namespaces = api.client().forKind(NS);
    await namespaces.delete('x');
    const terminating = api.get('v1', 'Namespace', undefined, 'x')!;
    expect(terminating).toMatchObject({ status: { phase: 'Terminating' }, metadata: { deletionTimestamp: expect.any(String) } });
    await api.client().request({ method: 'PUT', path: '/api/v1/namespaces/x/finalize', body: { ...terminating, spec: { finalizers: [] } } });
    expect(api.get('v1', 'Namespace', undefined, 'x')).toBeUndefined();
  });
});

