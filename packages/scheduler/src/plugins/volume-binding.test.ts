import type { KubeObject } from '@k8ts/api';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '@k8ts/api/storage/types.ts';
import { FakeClock, Indexer, Lister, type ResourceClient } from '@k8ts/client';
import { describe, expect, it } from 'vitest';
import { CycleState } from '../framework/interfaces.ts';
import { newPodInfo } from '../framework/node-info.ts';
import { clusterOf, filterAll } from '../framework/testing/run-plugin.ts';
import { makeNode, makePod } from '../framework/testing/fixtures.ts';
import type { Pod } from '../framework/types.ts';
import { VolumeBinding } from './volume-binding.ts';

function listerOf<T extends KubeObject>(...objects: T[]): Lister<T> {
  const indexer = new Indexer<T>();
  for (const obj of objects) indexer.add(obj);
  return new Lister(indexer);
}

function claim(name: string, extra: { class?: string; volumeName?: string; bound?: boolean; size?: string; annotations?: Record<string, string>; deleting?: boolean } = {}): PersistentVolumeClaim {
  const annotations = { ...(extra.bound ? { 'pv.kubernetes.io/bind-completed': 'yes' } : {}), ...extra.annotations };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '10',
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ...(extra.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}),
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: extra.size ?? '1Gi' } },
      storageClassName: extra.class ?? '',
      ...(extra.volumeName ? { volumeName: extra.volumeName } : {}),
    },
    status: { phase: extra.bound ? 'Bound' : 'Pending' },
  };
}

function volume(name: string, extra: { node?: string; class?: string; size?: string; claimRef?: string } = {}): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, resourceVersion: '5' },
    spec: {
      capacity: { storage: extra.size ?? '1Gi' },
      accessModes: ['ReadWriteOnce'],
      storageClassName: extra.class ?? '',
      ...(extra.claimRef ? { claimRef: { namespace: 'default', name: extra.claimRef, uid: `uid-${extra.claimRef}` } } : {}),
      ...(extra.node ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [extra.node] }] }] } } } : {}),
    },
    status: { phase: extra.claimRef ? 'Bound' : 'Available' },
  };
}

function storageClass(name: string, mode: 'Immediate' | 'WaitForFirstConsumer', provisioner = 'k8ts.io/local-path', zones?: string[]): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name },
    provisioner,
    volumeBindingMode: mode,
    ...(zones ? { allowedTopologies: [{ matchLabelExpressions: [{ key: 'zone', values: zones }] }] } : {}),
  };
}

function podUsing(...claims: string[]): Pod {
  const pod = makePod('web');
  pod.spec.volumes = claims.map((c, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName: c } }));
  return pod;
}

function plugin(objects: { claims?: PersistentVolumeClaim[]; volumes?: PersistentVolume[]; classes?: StorageClass[] }): VolumeBinding {
  return new VolumeBinding({
    claims: listerOf(...(objects.claims ?? [])),
    volumes: listerOf(...(objects.volumes ?? [])),
    classes: listerOf(...(objects.classes ?? [])),
    // Filter tests never write.
    claimClient: undefined as unknown as ResourceClient<PersistentVolumeClaim>,
    volumeClient: undefined as unknown as ResourceClient<PersistentVolume>,
    clock: new FakeClock(0),
  });
}

const nodes = clusterOf([makeNode('n1', { labels: { zone: 'a' } }), makeNode('n2', { labels: { zone: 'b' } })]);
const UNRESOLVABLE = 'UnschedulableAndUnresolvable';

describe('VolumeBinding PreFilter', () => {
  it('lets pods without claims through', () => {
    expect(filterAll(plugin({}), makePod('web'), nodes)).toEqual({ n1: 'fits', n2: 'fits' });
  });

  it.each([
    ['a claim that does not exist', {}, `${UNRESOLVABLE}: persistentvolumeclaim "data" not found`],
    ['a claim being deleted', { claims: [claim('data', { deleting: true })] }, `${UNRESOLVABLE}: persistentvolumeclaim "data" is being deleted`],
    ['an unbound claim without class', { claims: [claim('data')] }, `${UNRESOLVABLE}: pod has unbound immediate PersistentVolumeClaims`],
    [
      'an unbound claim of an Immediate class',
      { claims: [claim('data', { class: 'fast' })], classes: [storageClass('fast', 'Immediate')] },
      `${UNRESOLVABLE}: pod has unbound immediate PersistentVolumeClaims`,
    ],
  ])('rejects %s', (_what, objects, message) => {
    expect(filterAll(plugin(objects), podUsing('data'), nodes)).toEqual({ prefilter: message });
  });

  it('waits for the ephemeral volume controller', () => {
    const pod = makePod('web');
    pod.spec.volumes = [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } }];
    expect(filterAll(plugin({}), pod, nodes)).toEqual({
      prefilter: `${UNRESOLVABLE}: waiting for ephemeral volume controller to create the persistentvolumeclaim "web-scratch"`,
    });
  });
});

describe('VolumeBinding Filter', () => {
  it("keeps a pod with a bound claim on its volume's node", () => {
    const objects = { claims: [claim('data', { volumeName: 'pv', bound: true })], volumes: [volume('pv', { node: 'n2', claimRef: 'data' })] };
    expect(filterAll(plugin(objects), podUsing('data'), nodes)).toEqual({ n1: `${UNRESOLVABLE}: node(s) had volume node affinity conflict`, n2: 'fits' });
  });

  it('rejects every node when a bound claim names a volume that does not exist', () => {
    const objects = { claims: [claim('data', { volumeName: 'gone', bound: true })] };
    const reason = `${UNRESOLVABLE}: node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)`;
    expect(filterAll(plugin(objects), podUsing('data'), nodes)).toEqual({ n1: reason, n2: reason });
  });

  it('finds Available volumes for WaitForFirstConsumer claims on the nodes they allow, each used once', () => {
    const classes = [storageClass('local', 'WaitForFirstConsumer', 'kubernetes.io/no-provisioner')];
    const claims = [claim('a', { class: 'local' }), claim('b', { class: 'local' })];
    const conflict = `${UNRESOLVABLE}: node(s) didn't find available persistent volumes to bind`;
    // Only n2 has two volumes.
    const volumes = [volume('pv-n1', { node: 'n1', class: 'local' }), volume('pv-n2a', { node: 'n2', class: 'local' }), volume('pv-n2b', { node: 'n2', class: 'local' })];
    expect(filterAll(plugin({ claims, classes, volumes }), podUsing('a', 'b'), nodes)).toEqual({ n1: conflict, n2: 'fits' });
  });

  it('provisions where the class allows it, and never with no-provisioner', () => {
    const claims = [claim('data', { class: 'zoned' })];
    const zoned = [storageClass('zoned', 'WaitForFirstConsumer', 'k8ts.io/local-path', ['b'])];
    const conflict = `${UNRESOLVABLE}: node(s) didn't find available persistent volumes to bind`;
    expect(filterAll(plugin({ claims, classes: zoned }), podUsing('data'), nodes)).toEqual({ n1: conflict, n2: 'fits' });
    const manual = [storageClass('zoned', 'WaitForFirstConsumer', 'kubernetes.io/no-provisioner')];
    expect(filterAll(plugin({ claims, classes: manual }), podUsing('data'), nodes)).toEqual({ n1: conflict, n2: conflict });
  });

  it('keeps a claim whose provisioning started on its selected node', () => {
    const claims = [claim('data', { class: 'local', annotations: { 'volume.kubernetes.io/selected-node': 'n1' } })];
    const classes = [storageClass('local', 'WaitForFirstConsumer')];
    expect(filterAll(plugin({ claims, classes }), podUsing('data'), nodes)).toEqual({
      n1: 'fits',
      n2: `${UNRESOLVABLE}: node(s) didn't find available persistent volumes to bind`,
    });
  });
});

describe('VolumeBinding Reserve', () => {
  it('assumes the choices so the next pod does not take the same volume, and Unreserve forgets them', () => {
    const classes = [storageClass('local', 'WaitForFirstConsumer', 'kubernetes.io/no-provisioner')];
    const claims = [claim('a', { class: 'local' }), claim('b', { class: 'local' })];
    const p = plugin({ claims, classes, volumes: [volume('only', { class: 'local' })] });
    const state = new CycleState();
    const pod = podUsing('a');
    expect(p.preFilter(state, newPodInfo(pod)).status).toBeUndefined();
    expect(p.filter(state, newPodInfo(pod), nodes.get('n1')!)).toBeUndefined();
    expect(p.reserve(state, pod, 'n1')).toBeUndefined();
    const conflict = `${UNRESOLVABLE}: node(s) didn't find available persistent volumes to bind`;
    expect(filterAll(p, podUsing('b'), nodes)).toEqual({ n1: conflict, n2: conflict });
    p.unreserve(state);
    expect(filterAll(p, podUsing('b'), nodes)).toEqual({ n1: 'fits', n2: 'fits' });
  });
});
