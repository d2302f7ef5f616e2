import { describe, expect, it } from 'vitest';
import { defaultClass, isDelayBinding } from './classes.ts';
import { nodeAffinityForNode, volumeNodeAffinityMatches } from './node-affinity.ts';
import type { AccessMode, PersistentVolume, PersistentVolumeClaim, StorageClass } from './types.ts';
import { claimClass, findBestMatchForClaim, findMatchingVolume, volumeUnsuitableForClaim } from './volume-matching.ts';

function pv(name: string, size: string, extra: { class?: string; modes?: AccessMode[]; phase?: string; labels?: Record<string, string>; claimRef?: { namespace: string; name: string; uid?: string }; mode?: 'Block'; node?: string; deleting?: boolean } = {}): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}), ...(extra.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
    spec: {
      capacity: { storage: size },
      accessModes: extra.modes ?? ['ReadWriteOnce'],
      ...(extra.class !== undefined ? { storageClassName: extra.class } : {}),
      ...(extra.claimRef ? { claimRef: extra.claimRef } : {}),
      ...(extra.mode ? { volumeMode: extra.mode } : {}),
      ...(extra.node ? { nodeAffinity: nodeAffinityForNode(extra.node) } : {}),
    },
    status: { phase: (extra.phase ?? 'Available') as 'Available' },
  };
}

function pvc(name: string, size: string, extra: { class?: string | null; modes?: NonNullable<PersistentVolumeClaim['spec']>['accessModes']; selector?: NonNullable<PersistentVolumeClaim['spec']>['selector']; mode?: 'Block'; annotations?: Record<string, string> } = {}): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: {
      accessModes: extra.modes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: size } },
      ...(extra.class !== undefined ? { storageClassName: extra.class } : {}),
      ...(extra.selector ? { selector: extra.selector } : {}),
      ...(extra.mode ? { volumeMode: extra.mode } : {}),
    },
  };
}

const names = (v: PersistentVolume | undefined) => v?.metadata.name;

describe('findMatchingVolume / findBestMatchForClaim', () => {
  it('binds a 5Mi claim to the smallest volume that holds it', () => {
    const volumes = [pv('big', '1Gi'), pv('ten', '10Mi'), pv('three', '3Mi')];
    expect(names(findBestMatchForClaim(pvc('c', '5Mi'), volumes, false))).toBe('ten');
  });

  it.each([
    ['no volume is large enough', pvc('c', '100Mi'), [pv('ten', '10Mi')]],
    ['the class differs ("" matches only class-less volumes)', pvc('c', '5Mi', { class: '' }), [pv('ten', '10Mi', { class: 'host-test' })]],
    ['the claim names a class the volume lacks', pvc('c', '5Mi', { class: 'fast' }), [pv('ten', '10Mi')]],
    ['the volume lacks a requested access mode', pvc('c', '5Mi', { modes: ['ReadWriteMany'] }), [pv('ten', '10Mi')]],
    ['the volume modes differ', pvc('c', '5Mi', { mode: 'Block' }), [pv('ten', '10Mi')]],
    ['the volume is not Available', pvc('c', '5Mi'), [pv('ten', '10Mi', { phase: 'Released' })]],
    ['the volume is being deleted', pvc('c', '5Mi'), [pv('ten', '10Mi', { deleting: true })]],
    ['the volume is claimed by another claim', pvc('c', '5Mi'), [pv('ten', '10Mi', { claimRef: { namespace: 'default', name: 'other' } })]],
    ['the selector does not match the labels', pvc('c', '5Mi', { selector: { matchLabels: { tier: 'gold' } } }), [pv('ten', '10Mi', { labels: { tier: 'silver' } })]],
  ])('finds nothing when %s', (_why, claim, volumes) => {
    expect(findBestMatchForClaim(claim, volumes, false)).toBeUndefined();
  });

  it('matches class, selector expressions and the legacy class annotation', () => {
    const volumes = [pv('silver', '1Gi', { class: 'host-test', labels: { tier: 'silver' } }), pv('gold', '2Gi', { class: 'host-test', labels: { tier: 'gold' } })];
    const claim = pvc('c', '1Gi', { class: 'other', annotations: { 'volume.beta.kubernetes.io/storage-class': 'host-test' }, selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold'] }] } });
    expect(claimClass(claim)).toBe('host-test');
    expect(names(findBestMatchForClaim(claim, volumes, false))).toBe('gold');
  });

  it('prefers a volume pre-bound to the claim over a smaller one, whatever its phase', () => {
    const volumes = [pv('small', '10Mi'), pv('reserved', '1Gi', { phase: 'Pending', claimRef: { namespace: 'default', name: 'c' } })];
    expect(names(findBestMatchForClaim(pvc('c', '5Mi'), volumes, false))).toBe('reserved');
    // pre-bound to an earlier claim of the same name: not this one
    const stale = [pv('reserved', '1Gi', { claimRef: { namespace: 'default', name: 'c', uid: 'old' } })];
    expect(findBestMatchForClaim(pvc('c', '5Mi'), stale, false)).toBeUndefined();
  });

  it('tries volumes offering the fewest access modes first', () => {
    const volumes = [pv('rwx-small', '10Mi', { modes: ['ReadWriteOnce', 'ReadWriteMany'] }), pv('rwo-big', '1Gi')];
    expect(names(findBestMatchForClaim(pvc('c', '5Mi'), volumes, false))).toBe('rwo-big');
  });

  it('leaves delayed claims to the scheduler unless a volume is pre-bound', () => {
    expect(findBestMatchForClaim(pvc('c', '5Mi'), [pv('ten', '10Mi')], true)).toBeUndefined();
    expect(names(findBestMatchForClaim(pvc('c', '5Mi'), [pv('ten', '10Mi', { claimRef: { namespace: 'default', name: 'c' } })], true))).toBe('ten');
  });

  it('on a node, skips volumes whose node affinity excludes it and excluded volumes', () => {
    const volumes = [pv('on-a', '10Mi', { node: 'a' }), pv('on-b', '20Mi', { node: 'b' }), pv('anywhere', '30Mi')];
    const claim = pvc('c', '5Mi');
    expect(names(findMatchingVolume(claim, volumes, { node: { name: 'b', labels: { 'kubernetes.io/hostname': 'b' } }, delayBinding: true }))).toBe('on-b');
    expect(names(findMatchingVolume(claim, volumes, { node: { name: 'b', labels: { 'kubernetes.io/hostname': 'b' } }, excluded: new Set(['on-b']) }))).toBe('anywhere');
    // a pre-bound volume that the node cannot reach means no match at all
    const prebound = [pv('on-a', '10Mi', { node: 'a', claimRef: { namespace: 'default', name: 'c' } }), pv('anywhere', '30Mi')];
    expect(findMatchingVolume(claim, prebound, { node: { name: 'b', labels: { 'kubernetes.io/hostname': 'b' } } })).toBeUndefined();
  });
});

describe('volumeUnsuitableForClaim', () => {
  it.each([
    [pv('v', '1Mi'), pvc('c', '5Mi'), 'requested PV is too small'],
    [pv('v', '10Mi', { class: 'a' }), pvc('c', '5Mi', { class: 'b' }), 'storageClassName does not match'],
    [pv('v', '10Mi'), pvc('c', '5Mi', { mode: 'Block' }), 'incompatible volumeMode'],
    [pv('v', '10Mi'), pvc('c', '5Mi', { modes: ['ReadOnlyMany'] }), 'incompatible accessMode'],
    [pv('v', '10Mi'), pvc('c', '5Mi'), undefined],
  ])('%#: %s', (volume, claim, why) => {
    expect(volumeUnsuitableForClaim(volume, claim)).toBe(why);
  });
});

describe('node affinity and classes', () => {
  it('matches hostname terms, ORs terms and ANDs requirements', () => {
    const volume = pv('v', '1Gi');
    volume.spec!.nodeAffinity = {
      required: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }, { key: 'disk', operator: 'Exists' }] },
          { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['special'] }] },
        ],
      },
    };
    expect(volumeNodeAffinityMatches(volume, { name: 'n', labels: { zone: 'z1', disk: 'ssd' } })).toBe(true);
    expect(volumeNodeAffinityMatches(volume, { name: 'n', labels: { zone: 'z1' } })).toBe(false);
    expect(volumeNodeAffinityMatches(volume, { name: 'special' })).toBe(true);
    expect(volumeNodeAffinityMatches(pv('free', '1Gi'), { name: 'any' })).toBe(true);
  });

  it('picks the newest default class and knows delayed binding', () => {
    const sc = (name: string, created: string, isDefault: boolean, mode?: 'WaitForFirstConsumer'): StorageClass => ({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name, creationTimestamp: created, ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
      provisioner: 'k8ts.io/local-path',
      ...(mode ? { volumeBindingMode: mode } : {}),
    });
    const classes = [sc('old', '2025-01-01T00:00:00Z', true), sc('new', '2025-02-01T00:00:00Z', true, 'WaitForFirstConsumer'), sc('plain', '2025-03-01T00:00:00Z', false)];
    expect(defaultClass(classes)?.metadata.name).toBe('new');
    const named = (name: string) => classes.find((c) => c.metadata.name === name);
    expect(isDelayBinding(pvc('c', '1Gi', { class: 'new' }), named)).toBe(true);
    expect(isDelayBinding(pvc('c', '1Gi', { class: 'old' }), named)).toBe(false);
    expect(isDelayBinding(pvc('c', '1Gi', { class: 'missing' }), named)).toBe(false);
    expect(isDelayBinding(pvc('c', '1Gi', { class: '' }), named)).toBe(false);
  });
});
