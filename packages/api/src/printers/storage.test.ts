import { describe, expect, it } from 'vitest';
import { DAY, SECOND, ago, describeColumns, printRow } from './testing.ts';

describe('persistent volume printer', () => {
  it('has the columns of kubectl get pv', () => {
    expect(describeColumns('', 'persistentvolumes')).toEqual([
      'Name [name]',
      'Capacity',
      'Access Modes',
      'Reclaim Policy',
      'Status',
      'Claim',
      'StorageClass',
      'VolumeAttributesClass',
      'Reason',
      'Age',
      'VolumeMode (wide)',
    ]);
  });

  it('prints a bound volume', () => {
    const row = printRow('', 'persistentvolumes', {
      metadata: { name: 'pv-1', creationTimestamp: ago(DAY) },
      spec: {
        capacity: { storage: '10240Mi' },
        accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        claimRef: { namespace: 'default', name: 'data' },
        storageClassName: 'standard',
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Bound' },
    });
    expect(row).toEqual({
      Name: 'pv-1',
      Capacity: '10Gi',
      'Access Modes': 'RWO,RWX',
      'Reclaim Policy': 'Retain',
      Status: 'Bound',
      Claim: 'default/data',
      StorageClass: 'standard',
      VolumeAttributesClass: '<unset>',
      Reason: '',
      Age: '24h',
      VolumeMode: 'Filesystem',
    });
  });

  it('prints Terminating while deleting, and lets the beta annotation name the class', () => {
    const row = printRow('', 'persistentvolumes', {
      metadata: {
        name: 'pv-2',
        deletionTimestamp: ago(SECOND),
        annotations: { 'volume.beta.kubernetes.io/storage-class': 'slow' },
      },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOncePod'], storageClassName: 'fast' },
      status: { phase: 'Released', reason: 'claim deleted' },
    });
    expect(row).toMatchObject({ Status: 'Terminating', 'Access Modes': 'RWOP', StorageClass: 'slow', Claim: '', Reason: 'claim deleted', VolumeMode: '<unset>' });
  });
});

describe('persistent volume claim printer', () => {
  const claim = (spec: object, status: object) =>
    printRow('', 'persistentvolumeclaims', {
      metadata: { name: 'data', creationTimestamp: ago(DAY) },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, ...spec },
      status,
    });

  it('prints a pending claim with empty capacity and access modes', () => {
    expect(claim({ storageClassName: 'standard' }, { phase: 'Pending' })).toEqual({
      Name: 'data',
      Status: 'Pending',
      Volume: '',
      Capacity: '',
      'Access Modes': '',
      StorageClass: 'standard',
      VolumeAttributesClass: '<unset>',
      Age: '24h',
      VolumeMode: '<unset>',
    });
  });

  it('prints the bound volume capacity and access modes', () => {
    const row = claim(
      { volumeName: 'pvc-1234', storageClassName: 'standard', volumeMode: 'Filesystem', volumeAttributesClassName: 'gold' },
      { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '5Gi' } },
    );
    expect(row).toMatchObject({ Status: 'Bound', Volume: 'pvc-1234', Capacity: '5Gi', 'Access Modes': 'RWO', VolumeAttributesClass: 'gold', VolumeMode: 'Filesystem' });
  });

  it('prints an empty class for a claim without one', () => {
    expect(claim({}, { phase: 'Pending' }).StorageClass).toBe('');
  });
});

describe('storage class printer', () => {
  it('marks the default class and fills in defaults', () => {
    expect(describeColumns('storage.k8s.io', 'storageclasses')).toEqual([
      'Name [name]',
      'Provisioner',
      'ReclaimPolicy',
      'VolumeBindingMode',
      'AllowVolumeExpansion',
      'Age',
    ]);
    const row = printRow('storage.k8s.io', 'storageclasses', {
      metadata: { name: 'standard', creationTimestamp: ago(DAY), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'rancher.io/local-path',
      volumeBindingMode: 'WaitForFirstConsumer',
    });
    expect(row).toEqual({
      Name: 'standard (default)',
      Provisioner: 'rancher.io/local-path',
      ReclaimPolicy: 'Delete',
      VolumeBindingMode: 'WaitForFirstConsumer',
      AllowVolumeExpansion: false,
      Age: '24h',
    });
    const other = printRow('storage.k8s.io', 'storageclasses', {
      metadata: { name: 'fast', annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' } },
      provisioner: 'csi.example.com',
      reclaimPolicy: 'Retain',
      allowVolumeExpansion: true,
    });
    expect(other).toMatchObject({ Name: 'fast', ReclaimPolicy: 'Retain', VolumeBindingMode: 'Immediate', AllowVolumeExpansion: true });
  });
});

describe('CSI printers', () => {
  it('prints a CSI driver with the API defaults', () => {
    expect(describeColumns('storage.k8s.io', 'csidrivers')).toEqual([
      'Name [name]',
      'AttachRequired:boolean',
      'PodInfoOnMount:boolean',
      'StorageCapacity:boolean',
      'TokenRequests',
      'RequiresRepublish:boolean',
      'Modes',
      'Age',
    ]);
    expect(printRow('storage.k8s.io', 'csidrivers', { metadata: { name: 'hostpath.csi.k8s.io', creationTimestamp: ago(DAY) }, spec: {} })).toEqual({
      Name: 'hostpath.csi.k8s.io',
      AttachRequired: true,
      PodInfoOnMount: false,
      StorageCapacity: false,
      TokenRequests: '<unset>',
      RequiresRepublish: false,
      Modes: '<none>',
      Age: '24h',
    });
    const configured = printRow('storage.k8s.io', 'csidrivers', {
      metadata: { name: 'secrets-store.csi.k8s.io' },
      spec: {
        attachRequired: false,
        podInfoOnMount: true,
        tokenRequests: [{ audience: 'vault' }, { audience: 'aws' }],
        requiresRepublish: true,
        volumeLifecycleModes: ['Persistent', 'Ephemeral'],
      },
    });
    expect(configured).toMatchObject({ AttachRequired: false, PodInfoOnMount: true, TokenRequests: 'vault,aws', RequiresRepublish: true, Modes: 'Persistent,Ephemeral' });
  });

  it('counts the drivers on a CSI node', () => {
    expect(
      printRow('storage.k8s.io', 'csinodes', { metadata: { name: 'node-1', creationTimestamp: ago(DAY) }, spec: { drivers: [{ name: 'a' }, { name: 'b' }] } }),
    ).toEqual({ Name: 'node-1', Drivers: 2, Age: '24h' });
  });

  it('prints a volume attachment', () => {
    expect(describeColumns('storage.k8s.io', 'volumeattachments')).toEqual([
      'Name [name]',
      'Attacher [name]',
      'PV',
      'Node',
      'Attached:boolean',
      'Age',
    ]);
    const row = printRow('storage.k8s.io', 'volumeattachments', {
      metadata: { name: 'csi-123', creationTimestamp: ago(DAY) },
      spec: { attacher: 'ebs.csi.aws.com', nodeName: 'node-1', source: { persistentVolumeName: 'pv-1' } },
      status: { attached: true },
    });
    expect(row).toEqual({ Name: 'csi-123', Attacher: 'ebs.csi.aws.com', PV: 'pv-1', Node: 'node-1', Attached: true, Age: '24h' });
  });
});
