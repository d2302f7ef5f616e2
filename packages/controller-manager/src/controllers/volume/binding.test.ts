import { volumeBoundToClaim } from '@k8ts/api/storage/bind-volume.ts';
import type { PersistentVolume, PersistentVolumeClaim } from '@k8ts/api/storage/types.ts';
import { describe, expect, it } from 'vitest';
import { claimBoundToVolume, claimWithPhase, unboundVolume, volumeWithPhase } from './binding.ts';

const claim: PersistentVolumeClaim = {
  metadata: { name: 'data', namespace: 'default', uid: 'c1', resourceVersion: '7' },
  spec: { resources: { requests: { storage: '5Mi' } } },
  status: { phase: 'Pending' },
};

const volume: PersistentVolume = {
  metadata: { name: 'pv' },
  spec: { capacity: { storage: '10Mi' }, accessModes: ['ReadWriteOnce', 'ReadWriteMany'] },
  status: { phase: 'Available' },
};

describe('binding writes', () => {
  it('points a volume at a claim once, marking it bound by controller unless the user pre-bound it', () => {
    const bound = volumeBoundToClaim(volume, claim)!;
    expect(bound.spec?.claimRef).toEqual({ kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: 'c1', apiVersion: 'v1', resourceVersion: '7' });
    expect(bound.metadata.annotations).toEqual({ 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(volumeBoundToClaim(bound, claim)).toBeUndefined();
    const preBound = { ...volume, spec: { ...volume.spec, claimRef: { namespace: 'default', name: 'data' } } };
    expect(volumeBoundToClaim(preBound, claim)!.metadata.annotations).toBeUndefined();
  });

  it('names the volume in the claim with bind-completed, and copies capacity and modes into its status', () => {
    const named = claimBoundToVolume(claim, volume)!;
    expect(named.spec?.volumeName).toBe('pv');
    expect(named.metadata.annotations).toEqual({ 'pv.kubernetes.io/bound-by-controller': 'yes', 'pv.kubernetes.io/bind-completed': 'yes' });
    expect(claimBoundToVolume(named, volume)).toBeUndefined();
    expect(claimWithPhase(named, 'Bound', volume)!.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce', 'ReadWriteMany'], capacity: { storage: '10Mi' } });
    expect(claimWithPhase(claim, 'Pending')).toBeUndefined();
    expect(claimWithPhase({ ...named, status: { phase: 'Bound', capacity: { storage: '10Mi' } } }, 'Lost')!.status).toEqual({ phase: 'Lost' });
  });

  it('stamps the phase transition time only when the phase changes', () => {
    const released = volumeWithPhase(volume, 'Released', '', Date.UTC(2025, 0, 2))!;
    expect(released.status).toEqual({ phase: 'Released', lastPhaseTransitionTime: '2025-01-02T00:00:00Z' });
    expect(volumeWithPhase(released, 'Released', '', Date.UTC(2025, 0, 3))).toBeUndefined();
    expect(volumeWithPhase(released, 'Released', 'why', Date.UTC(2025, 0, 3))!.status).toEqual({ phase: 'Released', message: 'why', lastPhaseTransitionTime: '2025-01-02T00:00:00Z' });
  });

  it('frees a volume the controller bound, and keeps a user pre-binding without the uid', () => {
    const byController = volumeBoundToClaim(volume, claim)!;
    const freed = unboundVolume(byController);
    expect(freed.spec?.claimRef).toBeUndefined();
    expect(freed.metadata.annotations).toEqual({});
    const byUser: PersistentVolume = { ...volume, spec: { ...volume.spec, claimRef: { namespace: 'default', name: 'data', uid: 'c1' } } };
    expect(unboundVolume(byUser).spec?.claimRef).toEqual({ namespace: 'default', name: 'data' });
  });
});
