import type { KubeObject } from '@k8ts/api';
import { afterEach, describe, expect, it } from 'vitest';
import { ControllerHarness } from '../../testing/harness.ts';
import { EndpointSliceController } from './endpointslice-controller.ts';
import { node, pod, service } from './util/test-fixtures.ts';
import type { EndpointSlice, Node, Pod, Service } from './util/types.ts';

const SERVICES = { group: '', version: 'v1', kind: 'Service' };
const PODS = { group: '', version: 'v1', kind: 'Pod' };
const NODES = { group: '', version: 'v1', kind: 'Node' };
const SLICES = { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' };

let harness: ControllerHarness;
afterEach(() => harness?.shutdown());

async function start(...objects: KubeObject[]): Promise<ControllerHarness> {
  harness = new ControllerHarness(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' }, status: { phase: 'Active' } },
    node('node-1', 'zone-a'),
    node('node-2', 'zone-b'),
    ...objects,
  );
  const h = harness;
  await h.start(
    new EndpointSliceController({
      services: h.informers.forKind<Service>(SERVICES),
      pods: h.informers.forKind<Pod>(PODS),
      nodes: h.informers.forKind<Node>(NODES),
      endpointSlices: h.informers.forKind<EndpointSlice>(SLICES),
      sliceClient: h.client.forKind<EndpointSlice>(SLICES),
      recorder: h.recorder('endpoint-slice-controller'),
      queue: h.newQueue('endpoint_slice'),
      workers: 2,
      maxEndpointsPerSlice: 100,
      clock: h.clock,
      logger: h.logger,
    }),
  );
  return h;
}

const slicesOf = (h: ControllerHarness, svc: string) =>
  h.api.list<EndpointSlice>('discovery.k8s.io/v1', 'EndpointSlice').filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc);
const sliceWrites = (h: ControllerHarness) => h.api.writes().filter((w) => w.resource === 'endpointslices.discovery.k8s.io');
const endpointsOf = (h: ControllerHarness, svc: string) => slicesOf(h, svc).flatMap((s) => s.endpoints ?? []);
const conditionsByPod = (h: ControllerHarness, svc: string) =>
  Object.fromEntries(endpointsOf(h, svc).map((e) => [e.targetRef!.name, e.conditions]));

describe('endpointslice controller', () => {
  it('publishes ready, unready and terminating pods with their conditions in a slice owned by the service', async () => {
    const h = await start(
      service('ns', 'web'),
      pod('ns', 'a', { ip: '10.244.1.5' }),
      pod('ns', 'b', { ip: '10.244.2.5', ready: false, nodeName: 'node-2' }),
      pod('ns', 'c', { ip: '10.244.1.6', terminating: true }),
    );
    await h.until(() => endpointsOf(h, 'web').length === 3, 'three endpoints');
    const [slice] = slicesOf(h, 'web');
    const svcUid = h.api.get('v1', 'Service', 'ns', 'web')!.metadata.uid;
    expect(slice!.metadata.name).toMatch(/^web-/);
    expect(slice!.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svcUid, controller: true, blockOwnerDeletion: true }]);
    expect(slice!.metadata.labels).toEqual({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slice!.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 8080 }]);
    expect(conditionsByPod(h, 'web')).toEqual({
      a: { ready: true, serving: true, terminating: false },
      b: { ready: false, serving: false, terminating: false },
      c: { ready: false, serving: true, terminating: true },
    });
    expect(endpointsOf(h, 'web').map((e) => e.zone)).toEqual(['zone-a', 'zone-b', 'zone-a']);
  });

  it('spreads more than 100 endpoints over two slices and writes nothing more on resync', async () => {
    const pods = Array.from({ length: 130 }, (_, i) => pod('ns', `p${i}`, { ip: `10.244.${Math.floor(i / 100)}.${i % 100}` }));
    const h = await start(service('ns', 'web'), ...pods);
    await h.until(() => endpointsOf(h, 'web').length === 130, '130 endpoints');
    await h.settle(5000);
    expect(slicesOf(h, 'web').map((s) => s.endpoints!.length).sort()).toEqual([100, 30]);
    expect(sliceWrites(h).map((w) => w.verb)).toEqual(['create', 'create']);
    // The service is touched (e.g. an annotation): its sync finds nothing to change.
    const svc = h.api.get<Service>('v1', 'Service', 'ns', 'web')!;
    await h.client.forKind<Service>(SERVICES).namespace('ns').update({ ...svc, metadata: { ...svc.metadata, annotations: { note: 'x' } } });
    await h.settle(3000);
    expect(sliceWrites(h)).toHaveLength(2);
  });

  it('follows pod churn in place: readiness, termination and deletion', async () => {
    const h = await start(service('ns', 'web'), pod('ns', 'a', { ip: '10.244.1.5' }), pod('ns', 'b', { ip: '10.244.1.6', ready: false }));
    await h.until(() => endpointsOf(h, 'web').length === 2, 'two endpoints');
    const name = slicesOf(h, 'web')[0]!.metadata.name;
    const pods = h.client.forKind<Pod>(PODS).namespace('ns');
    await pods.update(pod('ns', 'b', { ip: '10.244.1.6' }));
    await h.until(() => conditionsByPod(h, 'web').b?.ready === true, 'b ready');
    // A graceful delete: the pod terminates (still serving) until the kubelet removes it.
    await pods.delete('a');
    await h.until(() => conditionsByPod(h, 'web').a?.terminating === true, 'a terminating');
    expect(conditionsByPod(h, 'web').a).toEqual({ ready: false, serving: true, terminating: true });
    await pods.delete('a', { gracePeriodSeconds: 0 });
    await h.until(() => endpointsOf(h, 'web').length === 1, 'a gone');
    expect(slicesOf(h, 'web').map((s) => s.metadata.name)).toEqual([name]);
    expect(sliceWrites(h).map((w) => w.verb)).toEqual(['create', 'update', 'update', 'update']);
  });

  it('gives a selector matching nothing one empty slice, and leaves services without a selector alone', async () => {
    const h = await start(service('ns', 'none', { selector: { app: 'nothing' } }), service('ns', 'manual', { selector: null }), pod('ns', 'a'));
    await h.until(() => slicesOf(h, 'none').length === 1, 'placeholder');
    await h.settle(3000);
    expect(slicesOf(h, 'none')[0]).toMatchObject({ endpoints: [], ports: [] });
    expect(slicesOf(h, 'manual')).toEqual([]);
    expect(sliceWrites(h)).toHaveLength(1);
  });

  it('recreates a slice someone deleted, and stops writing once the service is gone', async () => {
    const h = await start(service('ns', 'web'), pod('ns', 'a', { ip: '10.244.1.5' }));
    await h.until(() => slicesOf(h, 'web').length === 1, 'slice');
    const first = slicesOf(h, 'web')[0]!.metadata.name!;
    await h.client.forKind(SLICES).namespace('ns').delete(first);
    await h.until(() => slicesOf(h, 'web').length === 1 && slicesOf(h, 'web')[0]!.metadata.name !== first, 'slice recreated');

    // Deleting the service leaves its slices to the garbage collector (they name it as owner).
    h.api.clearActions();
    await h.client.forKind(SERVICES).namespace('ns').delete('web');
    await h.client.forKind<Pod>(PODS).namespace('ns').create(pod('ns', 'b', { ip: '10.244.1.7' }));
    await h.settle(3000);
    expect(sliceWrites(h)).toEqual([]);
    expect(slicesOf(h, 'web')[0]!.metadata.ownerReferences![0]).toMatchObject({ kind: 'Service', name: 'web', controller: true });
  });

  it('reports slice write failures as a FailedToUpdateEndpointSlices event and retries', async () => {
    const h = await start(service('ns', 'web'), pod('ns', 'a', { ip: '10.244.1.5' }));
    await h.until(() => slicesOf(h, 'web').length === 1, 'slice');
    h.api.failNext('update', 'endpointslices.discovery.k8s.io', {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'etcdserver: request timed out',
      reason: 'InternalError',
      code: 500,
    });
    await h.client.forKind<Pod>(PODS).namespace('ns').create(pod('ns', 'b', { ip: '10.244.1.7' }));
    await h.until(() => endpointsOf(h, 'web').length === 2, 'b added after a retry');
    await h.until(() => h.eventLines().length > 0, 'event');
    const name = slicesOf(h, 'web')[0]!.metadata.name;
    expect(h.eventLines()).toEqual([
      `Warning FailedToUpdateEndpointSlices Error updating Endpoint Slices for Service ns/web: failed to update ${name} EndpointSlice for Service ns/web: etcdserver: request timed out`,
    ]);
  });
});
