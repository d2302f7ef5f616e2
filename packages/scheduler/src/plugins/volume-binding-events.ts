// The cluster events VolumeBinding waits for: a claim created or bound, a volume created or
// freed, a class created or changed may let a pod it rejected fit now (the pod moves back to
// the active queue); labels as kube-scheduler's queue metrics show them.
import type { KubeObject } from '@k8ts/api';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '@k8ts/api/storage/types.ts';
import type { SharedIndexInformer } from '@k8ts/client';
import type { ClusterEvent } from '../queue/cluster-events.ts';

export const PVC_ADD: ClusterEvent = { resource: 'PersistentVolumeClaim', action: 'Add', label: 'PvcAdd' };
export const PVC_UPDATE: ClusterEvent = { resource: 'PersistentVolumeClaim', action: 'Update', label: 'PvcUpdate' };
export const PV_ADD: ClusterEvent = { resource: 'PersistentVolume', action: 'Add', label: 'PvAdd' };
export const PV_UPDATE: ClusterEvent = { resource: 'PersistentVolume', action: 'Update', label: 'PvUpdate' };
export const STORAGE_CLASS_ADD: ClusterEvent = { resource: 'StorageClass', action: 'Add', label: 'StorageClassAdd' };
export const STORAGE_CLASS_UPDATE: ClusterEvent = { resource: 'StorageClass', action: 'Update', label: 'StorageClassUpdate' };

export interface StorageInformers {
  claims: SharedIndexInformer<PersistentVolumeClaim>;
  volumes: SharedIndexInformer<PersistentVolume>;
  classes: SharedIndexInformer<StorageClass>;
}

export function addVolumeBindingEventHandlers(informers: StorageInformers, move: (event: ClusterEvent) => void): void {
  const onChange = <T extends KubeObject>(add: ClusterEvent, update: ClusterEvent) => ({
    onAdd: () => move(add),
    onUpdate: (old: T, cur: T) => {
      // A resync of an unchanged object helps nobody.
      if (old.metadata.resourceVersion !== cur.metadata.resourceVersion) move(update);
    },
  });
  informers.claims.addEventHandler(onChange<PersistentVolumeClaim>(PVC_ADD, PVC_UPDATE));
  informers.volumes.addEventHandler(onChange<PersistentVolume>(PV_ADD, PV_UPDATE));
  informers.classes.addEventHandler(onChange<StorageClass>(STORAGE_CLASS_ADD, STORAGE_CLASS_UPDATE));
}
