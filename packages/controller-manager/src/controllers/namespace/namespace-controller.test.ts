import type { KubeObject } from '@k8ts/api';
import { afterEach, describe, expect, it } from 'vitest';
import { configMap, namespace, secret } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { clientWithDiscovery } from '../garbagecollector/test-discovery.ts';
import type { NamespaceCondition } from './deletion-conditions.ts';
import { NamespaceController } from './namespace-controller.ts';
import { NamespacedResourcesDeleter, type NamespaceObject } from './namespaced-resources-deleter.ts';

const NS = { group: '', version: 'v1', kind: 'Namespace' };
const POD = { group: '', version: 'v1', kind: 'Pod' };

let harness: ControllerHarness;
afterEach(() => harness?.shutdown());

async function start(objects: KubeObject[], failing: string[] = []): Promise<ControllerHarness> {
  harness = new ControllerHarness(...objects);
  const controller = new NamespaceController({
    namespaces: harness.informers.forKind<NamespaceObject>(NS),
    deleter: new NamespacedResourcesDeleter({ client: clientWithDiscovery(harness.api, () => failing), clock: harness.clock, logger: harness.logger }),
    queue: harness.newQueue('namespace'),
    workers: 2,
    clock: harness.clock,
    logger: harness.logger,
  });
  await harness.start(controller);
  return harness;
}

function pod(ns: string, name: string, nodeName?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: { containers: [{ name: 'c', image: 'nginx' }], terminationGracePeriodSeconds: 30, ...(nodeName ? { nodeName } : {}) },
    status: { phase: 'Running' },
  } as KubeObject;
}

const nsNamed = (h: ControllerHarness, name: string) => h.api.get<NamespaceObject>('v1', 'Namespace', undefined, name);
const conditionsOf = (h: ControllerHarness, name: string) =>
  Object.fromEntries((nsNamed(h, name)?.status?.conditions ?? []).map((c: NamespaceCondition) => [c.type, `${c.status} ${c.reason}: ${c.message}`]));

describe('namespace controller', () => {
  it('deletes everything in a deleted namespace, then finalizes it so the apiserver removes it', async () => {
    const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'x' }, spec: {} } as KubeObject;
    const h = await start([namespace('x'), namespace('y'), configMap('x', 'a', {}), secret('x', 's', 'Opaque'), deploy, pod('x', 'p'), configMap('y', 'b', {})]);
    await h.client.forKind(NS).delete('x');
    expect(nsNamed(h, 'x')!.status!.phase).toBe('Terminating');
    await h.settle(4000);
    expect(h.api.get('v1', 'ConfigMap', 'x', 'a')).toBeDefined(); // not before the 5 s deletion grace period

    await h.until(() => nsNamed(h, 'x') === undefined, 'namespace removed');
    expect(h.api.list('v1', 'ConfigMap').map((c) => `${c.metadata.namespace}/${c.metadata.name}`)).toEqual(['y/b']);
    expect(h.api.get('apps/v1', 'Deployment', 'x', 'web')).toBeUndefined();
    expect(h.api.get('v1', 'Pod', 'x', 'p')).toBeUndefined();
    const collectionDeletes = h.api.writes().filter((w) => w.verb === 'deletecollection');
    expect(collectionDeletes.every((w) => w.namespace === 'x' && (w.body as { propagationPolicy?: string }).propagationPolicy === 'Background')).toBe(true);
    // Before finalizing, the conditions said all was well.
    const statusWrites = h.api.writes().filter((w) => w.verb === 'update' && w.subresource === 'status' && w.name === 'x');
    const last = (statusWrites.at(-1)!.body as NamespaceObject).status!.conditions!;
    expect(last.map((c) => `${c.type} ${c.status} ${c.reason}`)).toEqual([
      'NamespaceDeletionDiscoveryFailure False ResourcesDiscovered',
      'NamespaceDeletionGroupVersionParsingFailure False ParsedGroupVersions',
      'NamespaceDeletionContentFailure False ContentDeleted',
      'NamespaceContentRemaining False ContentRemoved',
      'NamespaceFinalizersRemaining False ContentHasNoFinalizers',
    ]);
    const finalize = h.api.writes().find((w) => w.subresource === 'finalize')!;
    expect((finalize.body as NamespaceObject).spec!.finalizers).toEqual([]);
    expect(nsNamed(h, 'y')).toBeDefined();
  });

  it('waits for gracefully terminating pods, saying what remains', async () => {
    const h = await start([namespace('x'), pod('x', 'web', 'node-1')]);
    await h.client.forKind(NS).delete('x');
    await h.until(() => conditionsOf(h, 'x').NamespaceContentRemaining?.startsWith('True') === true, 'content remaining reported');
    expect(conditionsOf(h, 'x').NamespaceContentRemaining).toBe('True SomeResourcesRemain: Some resources are remaining: pods. has 1 resource instances');
    expect(h.api.get('v1', 'Pod', 'x', 'web')!.metadata.deletionTimestamp).toBeDefined();
    expect(h.logs).toContain('I Content remaining in namespace namespace="x" waitSeconds=16');
    await h.settle(5000);
    expect(nsNamed(h, 'x')!.spec!.finalizers).toEqual(['kubernetes']);

    // The kubelet has stopped the containers: it deletes the pod for good.
    await h.client.forKind(POD).namespace('x').delete('web', { gracePeriodSeconds: 0 });
    await h.until(() => nsNamed(h, 'x') === undefined, 'namespace removed');
  });

  it('reports content held by finalizers, and finishes once they are removed', async () => {
    const held = { ...configMap('x', 'held', {}), metadata: { name: 'held', namespace: 'x', finalizers: ['example.com/hold'] } } as KubeObject;
    const h = await start([namespace('x'), held]);
    await h.client.forKind(NS).delete('x');
    await h.until(() => conditionsOf(h, 'x').NamespaceFinalizersRemaining?.startsWith('True') === true, 'finalizers reported');
    expect(conditionsOf(h, 'x')).toMatchObject({
      NamespaceContentRemaining: 'True SomeResourcesRemain: Some resources are remaining: configmaps. has 1 resource instances',
      NamespaceFinalizersRemaining: 'True SomeFinalizersRemain: Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
      NamespaceDeletionContentFailure: 'False ContentDeleted: All content successfully deleted, may be waiting on finalization',
    });

    const cm = h.api.get('v1', 'ConfigMap', 'x', 'held')!;
    await h.client.forKind({ group: '', version: 'v1', kind: 'ConfigMap' }).namespace('x').update({ ...cm, metadata: { ...cm.metadata, finalizers: [] } });
    await h.until(() => nsNamed(h, 'x') === undefined, 'namespace removed');
  });

  it('keeps the namespace while discovery fails for a group, deleting what it can', async () => {
    const failing = ['batch/v1'];
    const h = await start([namespace('x'), configMap('x', 'a', {})], failing);
    await h.client.forKind(NS).delete('x');
    await h.until(() => conditionsOf(h, 'x').NamespaceDeletionDiscoveryFailure?.startsWith('True') === true, 'discovery failure reported');
    expect(conditionsOf(h, 'x').NamespaceDeletionDiscoveryFailure).toBe(
      'True DiscoveryFailed: Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: batch/v1: the server is currently unable to handle the request',
    );
    expect(h.api.get('v1', 'ConfigMap', 'x', 'a')).toBeUndefined();
    await h.settle(3000);
    expect(nsNamed(h, 'x')).toBeDefined();

    failing.length = 0;
    await h.until(() => nsNamed(h, 'x') === undefined, 'namespace removed once discovery recovers');
  });

  it('leaves namespaces that are not being deleted alone', async () => {
    const h = await start([namespace('x'), configMap('x', 'a', {})]);
    await h.settle(10_000);
    expect(h.api.writes()).toEqual([]);
  });
});
