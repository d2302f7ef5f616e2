import { describe, expect, it } from 'vitest';
import {
  claimsForPod,
  identityMatches,
  isMemberOf,
  newStatefulSetPod,
  newVersionedStatefulSetPod,
  parentNameAndOrdinal,
  podInOrdinalRange,
  podRevision,
  storageMatches,
  updateIdentity,
  updateStorage,
} from './identity.ts';
import { statefulSet } from './testing.ts';
import type { Pod } from './types.ts';

const set = { ...statefulSet('web'), metadata: { name: 'web', namespace: 'default', uid: 'set-uid' } };
const named = (name: string): Pod => ({ metadata: { name, namespace: 'default' } });

describe('pod names and ordinals', () => {
  it('reads the parent and ordinal from the last dash', () => {
    expect(parentNameAndOrdinal(named('web-0'))).toEqual({ parent: 'web', ordinal: 0 });
    expect(parentNameAndOrdinal(named('my-web-12'))).toEqual({ parent: 'my-web', ordinal: 12 });
    expect(parentNameAndOrdinal(named('web')).ordinal).toBe(-1);
    expect(parentNameAndOrdinal(named('web-x')).ordinal).toBe(-1);
    expect(parentNameAndOrdinal(named('web-99999999999')).ordinal).toBe(-1);
  });

  it('tells members from look-alikes', () => {
    expect(isMemberOf(set, named('web-3'))).toBe(true);
    expect(isMemberOf(set, named('web2-3'))).toBe(false);
    expect(isMemberOf(set, named('web-abc-1'))).toBe(false);
  });

  it('keeps ordinals from spec.ordinals.start up to start+replicas-1', () => {
    const shifted = { ...set, spec: { ...set.spec, replicas: 2, ordinals: { start: 3 } } };
    expect([2, 3, 4, 5].map((n) => podInOrdinalRange(named(`web-${n}`), shifted))).toEqual([false, true, true, false]);
  });
});

describe('newStatefulSetPod', () => {
  it('gives the pod its identity, its claims as volumes and the owner reference', () => {
    const withVolumes = structuredClone(set);
    withVolumes.spec!.template!.spec!.volumes = [
      { name: 'www', emptyDir: {} },
      { name: 'config', configMap: { name: 'web-config' } },
    ];
    const pod = newStatefulSetPod(withVolumes, 2);
    expect(pod.metadata).toMatchObject({
      name: 'web-2',
      generateName: 'web-',
      namespace: 'default',
      labels: { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-2', 'apps.kubernetes.io/pod-index': '2' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(pod.spec).toMatchObject({ hostname: 'web-2', subdomain: 'web' });
    // The claim replaces the template's volume of the same name; the others stay, after it.
    expect(pod.spec?.volumes).toEqual([
      { name: 'www', persistentVolumeClaim: { claimName: 'www-web-2' } },
      { name: 'config', configMap: { name: 'web-config' } },
    ]);
    expect(identityMatches(withVolumes, pod)).toBe(true);
    expect(storageMatches(withVolumes, pod)).toBe(true);
  });

  it('makes ordinals below the partition from the current revision', () => {
    const current = { ...set, spec: { ...set.spec, updateStrategy: { type: 'RollingUpdate' as const, rollingUpdate: { partition: 2 } } } };
    const update = structuredClone(current);
    update.spec!.template!.spec!.containers = [{ name: 'nginx', image: 'nginx:new' }];
    const pods = [0, 1, 2].map((n) => newVersionedStatefulSetPod(current, update, 'web-old', 'web-new', n));
    expect(pods.map(podRevision)).toEqual(['web-old', 'web-old', 'web-new']);
    expect(pods.map((p) => (p.spec?.containers as { image: string }[])[0]!.image)).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:new']);
  });
});

describe('repairs', () => {
  it('restores a drifted identity and storage', () => {
    const pod: Pod = { metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } }, spec: { volumes: [{ name: 'www', emptyDir: {} }] } };
    expect(identityMatches(set, pod)).toBe(false);
    expect(storageMatches(set, pod)).toBe(false);
    updateIdentity(set, pod);
    updateStorage(set, pod);
    expect(identityMatches(set, pod)).toBe(true);
    expect(storageMatches(set, pod)).toBe(true);
    expect(pod.spec?.volumes).toEqual([{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } }]);
  });

  it('labels each claim with the template labels and the selector match labels', () => {
    const labelled = structuredClone(set);
    labelled.spec!.volumeClaimTemplates![0]!.metadata!.labels = { tier: 'storage' };
    const claim = claimsForPod(labelled, named('web-4')).get('www')!;
    expect(claim.metadata).toMatchObject({ name: 'www-web-4', namespace: 'default', labels: { tier: 'storage', app: 'web' } });
    expect(claim.spec).toEqual(set.spec!.volumeClaimTemplates![0]!.spec);
  });
});
