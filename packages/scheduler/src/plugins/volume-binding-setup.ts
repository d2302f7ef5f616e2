// What the scheduler gives VolumeBinding: informers over claims, volumes and StorageClasses
// (started with the scheduler's others) and clients to write the bindings it decides.
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '@k8ts/api/storage/types.ts';
import type { Clock, RestClient, SharedInformerFactory } from '@k8ts/client';
import type { VolumeBindingDeps } from './volume-binding.ts';
import type { StorageInformers } from './volume-binding-events.ts';

const PVCS = { group: '', version: 'v1', kind: 'PersistentVolumeClaim' };
const PVS = { group: '', version: 'v1', kind: 'PersistentVolume' };
const CLASSES = { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass' };

export function storageInformers(informers: SharedInformerFactory): StorageInformers {
  return {
    claims: informers.forKind<PersistentVolumeClaim>(PVCS),
    volumes: informers.forKind<PersistentVolume>(PVS),
    classes: informers.forKind<StorageClass>(CLASSES),
  };
}

export function volumeBindingDeps(storage: StorageInformers, client: RestClient, clock: Clock): VolumeBindingDeps {
  return {
    claims: storage.claims.lister(),
    volumes: storage.volumes.lister(),
    classes: storage.classes.lister(),
    claimClient: client.forKind<PersistentVolumeClaim>(PVCS),
    volumeClient: client.forKind<PersistentVolume>(PVS),
    clock,
  };
}
