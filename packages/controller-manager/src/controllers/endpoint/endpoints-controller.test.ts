import type { KubeObject } from '@k8ts/api';
import { afterEach, describe, expect, it } from 'vitest';
import { ControllerHarness } from '../../testing/harness.ts';
import { at, pod, service, T0 } from '../endpointslice/util/test-fixtures.ts';
import type { Endpoints, Pod, Service } from '../endpointslice/util/types.ts';
import { EndpointsController } from './endpoints-controller.ts';

const SERVICES = { group: '', version: 'v1', kind: 'Service' };
const PODS = { group: '', version: 'v1', kind: 'Pod' };
const ENDPOINTS = { group: '', version: 'v1', kind: 'Endpoints' };

let harness: ControllerHarness;
afterEach(() => harness?.shutdown());

async function start(...objects: KubeObject[]): Promise<ControllerHarness> {
  harness = new ControllerHarness({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' }, status: { phase: 'Active' } }, ...objects);
  const h = harness;
  await h.start(
    new EndpointsController({
      services: h.informers.forKind<Service>(SERVICES),
      pods: h.informers.forKind<Pod>(PODS),
      endpoints: h.informers.forKind<Endpoints>(ENDPOINTS),
      endpointsClient: h.client.forKind<Endpoints>(ENDPOINTS),
      recorder: h.recorder('endpoint-controller'),
      queue: h.newQueue('endpoint'),
      workers: 2,
      clock: h.clock,
      logger: h.logger,
    }),
  );
  return h;
}

const endpointsOf = (h: ControllerHarness, name: string) => h.api.get<Endpoints>('v1', 'Endpoints', 'ns', name);
const endpointWrites = (h: ControllerHarness) => h.api.writes().filter((w) => w.resource === 'endpoints');
const ref = (name: string, uid: string) => ({ kind: 'Pod', namespace: 'ns', name, uid });
const uidOf = (h: ControllerHarness, name: string) => h.api.get('v1', 'Pod', 'ns', name)!.metadata.uid!;

describe('endpoints controller', () => {
  it('lists ready pods as addresses and unready ones as notReadyAddresses, skipping pods without IP, finished or terminating', async () => {
    const h = await start(
      service('ns', 'web', { labels: { tier: 'front' } }),
      pod('ns', 'a', { ip: '10.244.1.5' }),
      pod('ns', 'b', { ip: '10.244.2.7', ready: false, nodeName: 'node-2' }),
      pod('ns', 'c', { ip: '' }),
      pod('ns', 'd', { ip: '10.244.1.8', terminating: true }),
      pod('ns', 'e', { ip: '10.244.1.9', phase: 'Succeeded' }),
      pod('ns', 'f', { ip: '10.244.1.11', labels: { app: 'other' } }),
    );
    await h.until(() => endpointsOf(h, 'web') !== undefined, 'endpoints web');
    const endpoints = endpointsOf(h, 'web')!;
    expect(endpoints.subsets).toEqual([
      {
        addresses: [{ ip: '10.244.1.5', nodeName: 'node-1', targetRef: ref('a', uidOf(h, 'a')) }],
        notReadyAddresses: [{ ip: '10.244.2.7', nodeName: 'node-2', targetRef: ref('b', uidOf(h, 'b')) }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
    expect(endpoints.metadata.labels).toEqual({ tier: 'front' });
    // A service seen for the first time: its endpoints date from its creation.
    expect(endpoints.metadata.annotations).toEqual({ 'endpoints.kubernetes.io/last-change-trigger-time': at(T0) });
  });

  it('resolves named target ports per pod, grouping pods by the ports they serve', async () => {
    const h = await start(
      service('ns', 'web', {
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: 'web' },
          { name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 9100 },
        ],
      }),
      pod('ns', 'old', { ip: '10.244.1.5', ports: [{ name: 'web', containerPort: 8080 }] }),
      pod('ns', 'new', { ip: '10.244.1.6', ports: [{ name: 'web', containerPort: 3000 }] }),
      // Only the UDP port carries the name: the TCP service port cannot reach it.
      pod('ns', 'udp', { ip: '10.244.1.7', ports: [{ name: 'web', containerPort: 53, protocol: 'UDP' }] }),
    );
    await h.until(() => endpointsOf(h, 'web') !== undefined, 'endpoints web');
    const subsets = endpointsOf(h, 'web')!.subsets!;
    const summary = subsets.map((s) => `${s.addresses!.map((a) => a.ip).join(',')} → ${s.ports!.map((p) => `${p.name}:${p.port}`).join(',')}`);
    expect(summary).toEqual(['10.244.1.5 → http:8080', '10.244.1.5,10.244.1.6,10.244.1.7 → metrics:9100', '10.244.1.6 → http:3000']);
  });

  it('gives headless services the headless label, pod hostnames, and with publishNotReadyAddresses every pod as ready', async () => {
    const h = await start(
      service('ns', 'db', { clusterIP: 'None', ports: [], selector: { app: 'db' }, publishNotReadyAddresses: true }),
      pod('ns', 'db-0', { ip: '10.244.1.5', labels: { app: 'db' }, hostname: 'db-0', subdomain: 'db' }),
      pod('ns', 'db-1', { ip: '10.244.1.6', labels: { app: 'db' }, hostname: 'db-1', subdomain: 'other', ready: false }),
    );
    await h.until(() => endpointsOf(h, 'db') !== undefined, 'endpoints db');
    const endpoints = endpointsOf(h, 'db')!;
    expect(endpoints.metadata.labels).toEqual({ 'service.kubernetes.io/headless': '' });
    expect(endpoints.subsets).toEqual([
      {
        addresses: [
          { ip: '10.244.1.5', hostname: 'db-0', nodeName: 'node-1', targetRef: ref('db-0', uidOf(h, 'db-0')) },
          { ip: '10.244.1.6', nodeName: 'node-1', targetRef: ref('db-1', uidOf(h, 'db-1')) },
        ],
      },
    ]);
  });

  it('leaves Endpoints of services without a selector alone, and deletes leftovers whose service is gone', async () => {
    const manual: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'external', namespace: 'ns' },
      subsets: [{ addresses: [{ ip: '192.0.2.10' }], ports: [{ port: 5432, protocol: 'TCP' }] }],
    };
    const leftover: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'gone', namespace: 'ns' } };
    const lock: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'lock', namespace: 'ns', annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } },
    };
    const h = await start(
      service('ns', 'external', { selector: null }),
      service('ns', 'alias', { type: 'ExternalName' }),
      manual,
      leftover,
      lock,
      pod('ns', 'a'),
    );
    await h.until(() => endpointsOf(h, 'gone') === undefined, 'leftover endpoints deleted');
    await h.settle();
    // (The deletion itself queues "gone" once more; that sync's delete finds nothing.)
    expect(new Set(endpointWrites(h).map((w) => `${w.verb} ${w.name}`))).toEqual(new Set(['delete gone']));
    expect(endpointsOf(h, 'external')!.subsets).toEqual(manual.subsets);
    expect(endpointsOf(h, 'lock')).toBeDefined();
    // ExternalName services are DNS aliases: no Endpoints, whatever their selector.
    expect(endpointsOf(h, 'alias')).toBeUndefined();
  });

  it('copies the service labels, and rewrites the Endpoints when they change', async () => {
    const h = await start(service('ns', 'web', { labels: { app: 'web' } }), pod('ns', 'a'));
    await h.until(() => endpointsOf(h, 'web') !== undefined, 'endpoints web');
    const svc = h.api.get<Service>('v1', 'Service', 'ns', 'web')!;
    await h.client.forKind<Service>(SERVICES).namespace('ns').update({ ...svc, metadata: { ...svc.metadata, labels: { app: 'web', team: 'blue' } } });
    await h.until(() => endpointsOf(h, 'web')!.metadata.labels?.team === 'blue', 'labels copied');
    expect(endpointsOf(h, 'web')!.metadata.labels).toEqual({ app: 'web', team: 'blue' });
  });

  it('follows pod churn and writes only when the endpoints change', async () => {
    const h = await start(service('ns', 'web'), pod('ns', 'a', { ip: '10.244.1.5' }), pod('ns', 'b', { ip: '10.244.1.6', ready: false }));
    await h.until(() => endpointsOf(h, 'web') !== undefined, 'endpoints web');
    await h.settle();
    h.api.clearActions();
    const pods = h.client.forKind<Pod>(PODS).namespace('ns');

    // b becomes ready: it moves to addresses, and the write is dated from its transition.
    await pods.update(pod('ns', 'b', { ip: '10.244.1.6', ready: true, readySince: T0 + 30 }));
    await h.until(() => endpointsOf(h, 'web')!.subsets![0]!.addresses!.length === 2, 'b ready');
    expect(endpointsOf(h, 'web')!.metadata.annotations!['endpoints.kubernetes.io/last-change-trigger-time']).toBe(at(T0 + 30));

    // An annotation change on a pod is not an endpoints change.
    const a = h.api.get<Pod>('v1', 'Pod', 'ns', 'a')!;
    await pods.update({ ...a, metadata: { ...a.metadata, annotations: { note: 'x' } } });
    await h.settle();
    expect(endpointWrites(h)).toHaveLength(1);
    // a is relabelled out of the service.
    const a2 = h.api.get<Pod>('v1', 'Pod', 'ns', 'a')!;
    await pods.update({ ...a2, metadata: { ...a2.metadata, labels: { app: 'debug' } } });
    await h.until(() => endpointsOf(h, 'web')!.subsets![0]!.addresses!.length === 1, 'a relabelled out');
    // b is deleted gracefully: a terminating pod leaves the Endpoints at once.
    await pods.delete('b');
    await h.until(() => endpointsOf(h, 'web')!.subsets === undefined, 'b gone');
    await h.settle();
    expect(endpointWrites(h).map((w) => w.verb)).toEqual(['update', 'update', 'update']);
  });

  it('deletes the Endpoints with the service, and recreates Endpoints deleted while the service lives', async () => {
    const h = await start(service('ns', 'web'), service('ns', 'api'), pod('ns', 'a'));
    await h.until(() => endpointsOf(h, 'web') !== undefined && endpointsOf(h, 'api') !== undefined, 'endpoints');
    await h.client.forKind(ENDPOINTS).namespace('ns').delete('api');
    await h.until(() => endpointsOf(h, 'api') !== undefined, 'api endpoints recreated');
    await h.client.forKind(SERVICES).namespace('ns').delete('web');
    await h.until(() => endpointsOf(h, 'web') === undefined, 'web endpoints deleted');
  });

  it('truncates past 1000 addresses and marks the Endpoints over capacity', async () => {
    const pods = Array.from({ length: 1005 }, (_, i) => pod('ns', `p${i}`, { ip: `10.244.${Math.floor(i / 250)}.${i % 250}` }));
    const h = await start(service('ns', 'big'), ...pods);
    await h.until(() => endpointsOf(h, 'big') !== undefined, 'endpoints big');
    const endpoints = endpointsOf(h, 'big')!;
    expect(endpoints.subsets!.reduce((n, s) => n + (s.addresses?.length ?? 0), 0)).toBe(1000);
    expect(endpoints.metadata.annotations!['endpoints.kubernetes.io/over-capacity']).toBe('truncated');
  });

  it('reports a failed write as a FailedToUpdateEndpoint event and retries', async () => {
    const h = await start(service('ns', 'web'), pod('ns', 'a', { ip: '10.244.1.5' }));
    await h.until(() => endpointsOf(h, 'web') !== undefined, 'endpoints web');
    h.api.failNext('update', 'endpoints', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'etcdserver: request timed out', reason: 'InternalError', code: 500 });
    await h.client.forKind<Pod>(PODS).namespace('ns').create(pod('ns', 'b', { ip: '10.244.1.6' }));
    await h.until(() => endpointsOf(h, 'web')!.subsets![0]!.addresses!.length === 2, 'b added after a retry');
    await h.until(() => h.eventLines().length > 0, 'event');
    expect(h.eventLines()).toEqual(['Warning FailedToUpdateEndpoint Failed to update endpoint ns/web: etcdserver: request timed out']);
  });
});
