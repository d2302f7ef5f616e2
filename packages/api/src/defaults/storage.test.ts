import { describe, expect, it } from 'vitest';
import { defaulted } from './test-support.ts';

describe('storage.k8s.io defaults', () => {
  it('makes a StorageClass delete its volumes and bind immediately', () => {
    const out = defaulted({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'nfs-client' },
      provisioner: 'k8s-sigs.io/nfs-subdir-external-provisioner',
      parameters: { archiveOnDelete: 'false' },
    });
    expect(out).toMatchObject({ reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
    const retained = defaulted({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'local' },
      provisioner: 'kubernetes.io/no-provisioner',
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
    });
    expect(retained).toMatchObject({ reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' });
  });

  it('fills every CSIDriver switch', () => {
    const out = defaulted({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'CSIDriver',
      metadata: { name: 'nfs.csi.k8s.io' },
      spec: { attachRequired: false },
    });
    expect(out.spec).toEqual({
      attachRequired: false,
      fsGroupPolicy: 'ReadWriteOnceWithFSType',
      podInfoOnMount: false,
      requiresRepublish: false,
      seLinuxMount: false,
      storageCapacity: false,
      volumeLifecycleModes: ['Persistent'],
    });
  });

  it('defaults the volume source inlined in a VolumeAttachment', () => {
    const out = defaulted({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'VolumeAttachment',
      metadata: { name: 'csi-1' },
      spec: { attacher: 'x', nodeName: 'worker', source: { inlineVolumeSpec: { hostPath: { path: '/data' } } } },
    });
    expect((out.spec as { source: unknown }).source).toEqual({ inlineVolumeSpec: { hostPath: { path: '/data', type: '' } } });
  });
});
