import { describe, expect, it } from 'vitest';
import { reconcileSlices, type ReconcileInput } from './reconciler.ts';
import { node, pod, service, T0 } from './util/test-fixtures.ts';
import type { EndpointSlice, Pod } from './util/types.ts';

const svc = service('ns', 'web', { uid: 'svc-uid', labels: { tier: 'front' } });
const nodes = new Map([
  ['node-1', node('node-1', 'zone-a')],
  ['node-2', node('node-2')],
]);

function input(pods: Pod[], existingSlices: EndpointSlice[] = [], extra: Partial<ReconcileInput> = {}): ReconcileInput {
  return { service: svc, pods, existingSlices, nodeFor: (name) => nodes.get(name), maxEndpointsPerSlice: 100, ...extra };
}

function pods(count: number, from = 0): Pod[] {
  return Array.from({ length: count }, (_, i) => pod('ns', `p${String(from + i).padStart(4, '0')}`, { ip: `10.244.${Math.floor((from + i) / 200)}.${(from + i) % 200}`, uid: `uid-${from + i}` }));
}

/** What the apiserver would hand back: named, with a uid. */
let created = 0;
function stored(slice: EndpointSlice): EndpointSlice {
  created++;
  return { ...structuredClone(slice), metadata: { ...structuredClone(slice.metadata), name: slice.metadata.name ?? `web-${created}`, uid: `slice-${created}` } };
}

/** Cached objects must never be modified: frozen, any write to them throws. */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) frozen(child);
    Object.freeze(value);
  }
  return value;
}

const ips = (slice: EndpointSlice) => (slice.endpoints ?? []).map((e) => e.addresses[0]);

describe('reconcileSlices', () => {
  it('describes each pod with its conditions, node and zone in one new slice owned by the service', () => {
    const plan = reconcileSlices(
      input([
        pod('ns', 'ready', { ip: '10.244.1.1', uid: 'u1' }),
        pod('ns', 'unready', { ip: '10.244.1.2', uid: 'u2', ready: false, nodeName: 'node-2' }),
        pod('ns', 'leaving', { ip: '10.244.1.3', uid: 'u3', terminating: true }),
        pod('ns', 'done', { ip: '10.244.1.4', uid: 'u4', phase: 'Failed' }),
        pod('ns', 'no-ip', { ip: '', uid: 'u5' }),
      ]),
    );
    expect(plan.update).toEqual([]);
    expect(plan.delete).toEqual([]);
    expect(plan.create).toEqual([
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          generateName: 'web-',
          namespace: 'ns',
          labels: { tier: 'front', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
          ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }],
          annotations: {},
        },
        addressType: 'IPv4',
        endpoints: [
          {
            addresses: ['10.244.1.1'],
            conditions: { ready: true, serving: true, terminating: false },
            targetRef: { kind: 'Pod', namespace: 'ns', name: 'ready', uid: 'u1' },
            nodeName: 'node-1',
            zone: 'zone-a',
          },
          {
            addresses: ['10.244.1.2'],
            conditions: { ready: false, serving: false, terminating: false },
            targetRef: { kind: 'Pod', namespace: 'ns', name: 'unready', uid: 'u2' },
            nodeName: 'node-2',
          },
          {
            addresses: ['10.244.1.3'],
            conditions: { ready: false, serving: true, terminating: true },
            targetRef: { kind: 'Pod', namespace: 'ns', name: 'leaving', uid: 'u3' },
            nodeName: 'node-1',
            zone: 'zone-a',
          },
        ],
        ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
      },
    ]);
  });

  it('marks every endpoint ready when the service publishes not-ready addresses', () => {
    const plan = reconcileSlices(
      input([pod('ns', 'leaving', { ip: '10.244.1.3', ready: false, terminating: true })], [], { service: { ...svc, spec: { ...svc.spec, publishNotReadyAddresses: true } } }),
    );
    expect(plan.create[0]!.endpoints![0]!.conditions).toEqual({ ready: true, serving: false, terminating: true });
  });

  it('splits past maxEndpointsPerSlice, and plans nothing when resynced with what it made', () => {
    const all = pods(150);
    const first = reconcileSlices(input(all));
    expect(first.create.map((s) => s.endpoints!.length)).toEqual([100, 50]);
    const again = reconcileSlices(input(all, first.create.map(stored), { triggerTime: T0 }));
    expect(again).toEqual({ create: [], update: [], delete: [], errors: [] });
  });

  it('updates only the slices that lost or changed endpoints, and fills them before creating new ones', () => {
    const slices = frozen(reconcileSlices(input(pods(150))).create.map(stored));
    const [full, half] = slices;
    // p0003 (in the full slice) goes away, p0120 (in the half one) turns unready, 10 new pods arrive.
    const next = pods(150).filter((p) => p.metadata.name !== 'p0003');
    next[119] = pod('ns', 'p0120', { ip: '10.244.0.120', uid: 'uid-120', ready: false });
    const plan = reconcileSlices(input([...next, ...pods(10, 150)], slices));
    expect(plan.create).toEqual([]);
    expect(plan.delete).toEqual([]);
    expect(plan.update.map((s) => [s.metadata.name, s.endpoints!.length])).toEqual([
      [full!.metadata.name, 100],
      [half!.metadata.name, 59],
    ]);
    const changed = plan.update[1]!.endpoints!.find((e) => e.targetRef?.name === 'p0120')!;
    expect(changed.conditions.ready).toBe(false);
    // The full slice took one newcomer (fullest first) and kept its order otherwise.
    expect(ips(plan.update[0]!)).toContain('10.244.0.150');
    expect(ips(plan.update[0]!).slice(0, 3)).toEqual(['10.244.0.0', '10.244.0.1', '10.244.0.2']);
  });

  it('puts leftovers into the unchanged slice they fit best', () => {
    const slices = frozen([...reconcileSlices(input(pods(90))).create, ...reconcileSlices(input(pods(40, 90))).create].map(stored));
    const plan = reconcileSlices(input([...pods(130), ...pods(8, 130)], slices));
    // 8 fit both; the 90-endpoint slice is the closer fit.
    expect(plan.update.map((s) => [s.metadata.name, s.endpoints!.length])).toEqual([[slices[0]!.metadata.name, 98]]);
    expect(plan.create).toEqual([]);
  });

  it('keeps one empty placeholder slice while no pod matches, and reuses its name once pods come', () => {
    const empty = reconcileSlices(input([]));
    expect(empty.create).toHaveLength(1);
    expect(empty.create[0]).toMatchObject({ endpoints: [], ports: [], addressType: 'IPv4' });
    const placeholder = frozen(stored(empty.create[0]!));
    expect(reconcileSlices(input([], [placeholder]))).toEqual({ create: [], update: [], delete: [], errors: [] });
    const filled = reconcileSlices(input(pods(2), [placeholder]));
    expect(filled.create).toEqual([]);
    expect(filled.delete).toEqual([]);
    expect(filled.update.map((s) => [s.metadata.name, s.endpoints!.length, s.ports])).toEqual([
      [placeholder.metadata.name, 2, [{ name: 'http', protocol: 'TCP', port: 8080 }]],
    ]);
  });

  it('leaves out pods on unknown nodes with an error, unless every address is published', () => {
    const lost = pod('ns', 'lost', { ip: '10.244.9.9', nodeName: 'node-9' });
    const plan = reconcileSlices(input([lost, ...pods(1)]));
    expect(plan.errors).toEqual(['skipping Pod lost for Service ns/web: Node node-9 Not Found']);
    expect(plan.create[0]!.endpoints!.map((e) => e.targetRef?.name)).toEqual(['p0000']);
    const published = reconcileSlices(input([lost], [], { service: { ...svc, spec: { ...svc.spec, publishNotReadyAddresses: true } } }));
    expect(published.errors).toEqual([]);
    expect(published.create[0]!.endpoints![0]).toMatchObject({ nodeName: 'node-9', conditions: { ready: true } });
  });

  it('stamps the trigger time, and gives headless services the headless label', () => {
    const headless = { ...svc, spec: { ...svc.spec, clusterIP: 'None' } };
    const plan = reconcileSlices(input(pods(1), [], { service: headless, triggerTime: T0 + 5 }));
    expect(plan.create[0]!.metadata.annotations).toEqual({ 'endpoints.kubernetes.io/last-change-trigger-time': '2025-01-01T00:00:05Z' });
    expect(plan.create[0]!.metadata.labels!['service.kubernetes.io/headless']).toBe('');
  });

  it('keeps one slice per IP family of a dual-stack service, and deletes slices of a family it dropped', () => {
    const dual = { ...svc, spec: { ...svc.spec, ipFamilies: ['IPv4', 'IPv6'] } };
    const dualPod = pod('ns', 'a', { ip: '10.244.1.1' });
    dualPod.status!.podIPs = [{ ip: '10.244.1.1' }, { ip: 'fd00:10:244::1' }];
    const plan = reconcileSlices(input([dualPod], [], { service: dual }));
    expect(plan.create.map((s) => [s.addressType, s.endpoints![0]!.addresses])).toEqual([
      ['IPv4', ['10.244.1.1']],
      ['IPv6', ['fd00:10:244::1']],
    ]);
    const slices = plan.create.map(stored);
    const ipv4Only = reconcileSlices(input([dualPod], slices));
    expect(ipv4Only.delete.map((s) => s.addressType)).toEqual(['IPv6']);
    expect(ipv4Only.create).toEqual([]);
    expect(ipv4Only.update).toEqual([]);
  });
});
