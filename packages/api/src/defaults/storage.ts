// storage.k8s.io/v1 defaults (k8s.io/kubernetes pkg/apis/storage/v1 defaults.go).
import { child, defaultPointer, descend, ensureChild, isEmpty, type Fields } from './fields.ts';
import type { KindDefaulters } from './kinds.ts';
import { defaultPersistentVolumeSource } from './volumes.ts';

export const storageV1Defaulters: KindDefaulters = {
  StorageClass: defaultStorageClass,
  CSIDriver: defaultCSIDriver,
  VolumeAttachment: defaultVolumeAttachment,
};

function defaultStorageClass(storageClass: Fields): void {
  // Dynamically provisioned volumes go away with their claim and are bound as soon as claimed.
  defaultPointer(storageClass, 'reclaimPolicy', 'Delete');
  defaultPointer(storageClass, 'volumeBindingMode', 'Immediate');
}

function defaultCSIDriver(driver: Fields): void {
  const spec = ensureChild(driver, 'spec');
  defaultPointer(spec, 'attachRequired', true);
  defaultPointer(spec, 'podInfoOnMount', false);
  defaultPointer(spec, 'storageCapacity', false);
  defaultPointer(spec, 'fsGroupPolicy', 'ReadWriteOnceWithFSType');
  if (isEmpty(spec.volumeLifecycleModes)) spec.volumeLifecycleModes = ['Persistent'];
  defaultPointer(spec, 'requiresRepublish', false);
  // SELinuxMountReadWriteOncePod is beta and on in 1.32, so the field is defaulted.
  defaultPointer(spec, 'seLinuxMount', false);
}

function defaultVolumeAttachment(attachment: Fields): void {
  const inline = descend(attachment, 'spec', 'source');
  const volumeSpec = inline && child(inline, 'inlineVolumeSpec');
  if (volumeSpec) defaultPersistentVolumeSource(volumeSpec);
}
