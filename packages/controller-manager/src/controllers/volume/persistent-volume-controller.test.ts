import type { KubeObject } from '@k8ts/api';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '@k8ts/api/storage/types.ts';
import { EventRecorder, eventSinkFor } from '@k8ts/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../controller/workload-types.ts';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { LOCAL_PATH_PROVISIONER, LocalPathProvisioner, type Node } from './local-path-provisioner.ts';
import { PERSISTENT_VOLUME_CONTROLLER_COMPONENT, PersistentVolumeController } from './persistent-volume-controller.ts';

const PVS = { group: '', version: 'v1', kind: 'PersistentVolume' };
const PVCS = { group: '', version: 'v1', kind: 'PersistentVolumeClaim' };
const CLASSES = { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass' };

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

/** A volume created earlier: the controller has already seen it and made it Available (unless `phase` says otherwise). */
function volume(name: string, size: string, extra: { class?: string; policy?: 'Retain' | 'Delete' | 'Recycle'; path?: string; modes?: string[]; phase?: 'Pending' } = {}): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: {
      capacity: { storage: size },
      accessModes: (extra.modes ?? ['ReadWriteOnce']) as ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: extra.policy ?? 'Retain',
      volumeMode: 'Filesystem',
      hostPath: { path: extra.path ?? `/tmp/${name}/` },
      ...(extra.class !== undefined ? { storageClassName: extra.class } : {}),
    },
    status: { phase: extra.phase ?? 'Available' },
  };
}

function claim(name: string, size: string, extra: { class?: string | null; volumeName?: string; annotations?: Record<string, string>; uid?: string } = {}): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default', uid: extra.uid ?? `uid-${name}`, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: size } },
      volumeMode: 'Filesystem',
      ...(extra.class !== null ? { storageClassName: extra.class ?? '' } : {}),
      ...(extra.volumeName ? { volumeName: extra.volumeName } : {}),
    },
    status: { phase: 'Pending' },
  };
}

function storageClass(name: string, mode: 'Immediate' | 'WaitForFirstConsumer', extra: { isDefault?: boolean; provisioner?: string } = {}): StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name, ...(extra.isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
    provisioner: extra.provisioner ?? LOCAL_PATH_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: mode,
  };
}

function node(name: string, ready: boolean): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function pendingPod(name: string, claimName: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'nginx' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] },
    status: { phase: 'Pending' },
  };
}

async function start(...objects: KubeObject[]): Promise<ControllerHarness> {
  const h = (harness = new ControllerHarness(namespace('default'), ...objects));
  const volumes = h.informers.forKind<PersistentVolume>(PVS);
  const claims = h.informers.forKind<PersistentVolumeClaim>(PVCS);
  const classes = h.informers.forKind<StorageClass>(CLASSES);
  const binder = new PersistentVolumeController({
    volumes,
    claims,
    classes,
    pods: h.informers.forKind<Pod>({ group: '', version: 'v1', kind: 'Pod' }),
    volumeClient: h.client.forKind<PersistentVolume>(PVS),
    claimClient: h.client.forKind<PersistentVolumeClaim>(PVCS),
    recorder: h.recorder(PERSISTENT_VOLUME_CONTROLLER_COMPONENT),
    volumeQueue: h.newQueue('volumes'),
    claimQueue: h.newQueue('claims'),
    clock: h.clock,
    logger: h.logger,
  });
  const provisioner = new LocalPathProvisioner({
    claims,
    volumes,
    classes,
    nodes: h.informers.forKind<Node>({ group: '', version: 'v1', kind: 'Node' }),
    volumeClient: h.client.forKind<PersistentVolume>(PVS),
    claimClient: h.client.forKind<PersistentVolumeClaim>(PVCS),
    recorder: new EventRecorder(eventSinkFor(h.client), { component: LOCAL_PATH_PROVISIONER }, { clock: h.clock, logger: h.logger }),
    queue: h.newQueue('local_path_provisioner'),
    clock: h.clock,
    logger: h.logger,
  });
  await h.start({ run: async (signal) => void (await Promise.all([binder.run(signal), provisioner.run(signal)])) });
  return h;
}

const pvNamed = (h: ControllerHarness, name: string) => h.api.get<PersistentVolume>('v1', 'PersistentVolume', undefined, name);
const pvcNamed = (h: ControllerHarness, name: string) => h.api.get<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', 'default', name)!;

async function create(h: ControllerHarness, obj: KubeObject): Promise<void> {
  h.api.seed(obj);
  await h.settle(100);
}

async function deleteClaim(h: ControllerHarness, name: string): Promise<void> {
  await h.client.forKind<PersistentVolumeClaim>(PVCS).namespace('default').delete(name);
}

describe('PersistentVolume controller: static binding', () => {
  it('binds a 5Mi claim to the smallest adequate volume, both sides, showing the volume capacity', async () => {
    const h = await start(volume('pv-3m', '3Mi', { class: '' }), volume('pv-10m', '10Mi'), volume('pv-1g', '1Gi', { phase: 'Pending' }), claim('data', '5Mi'));
    await h.until(() => pvcNamed(h, 'data').status?.phase === 'Bound', 'claim Bound');
    const pvc = pvcNamed(h, 'data');
    expect(pvc.spec?.volumeName).toBe('pv-10m');
    expect(pvc.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '10Mi' } });
    expect(pvc.metadata.annotations).toEqual({ 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' });
    const pv = pvNamed(h, 'pv-10m')!;
    expect(pv.spec?.claimRef).toEqual({ kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: 'uid-data', apiVersion: 'v1', resourceVersion: expect.any(String) });
    expect(pv.status?.phase).toBe('Bound');
    expect(pv.status?.lastPhaseTransitionTime).toBe('2025-01-01T00:00:00Z');
    expect(pv.metadata.annotations).toEqual({ 'pv.kubernetes.io/bound-by-controller': 'yes' });
    await h.until(() => pvNamed(h, 'pv-3m')?.status?.phase === 'Available' && pvNamed(h, 'pv-1g')?.status?.phase === 'Available', 'the others Available');
    expect(h.eventLines()).toEqual([]);
  });

  it('keeps a claim nothing fits Pending with FailedBinding, and binds it when a volume appears', async () => {
    const h = await start(volume('pv-10m', '10Mi'), claim('big', '100Mi'));
    await h.until(() => h.eventLines().length > 0, 'an event');
    expect(h.eventLines()).toEqual(['Normal FailedBinding no persistent volumes available for this claim and no storage class is set']);
    expect(pvcNamed(h, 'big').status?.phase).toBe('Pending');
    await create(h, volume('pv-1g', '1Gi'));
    await h.until(() => pvcNamed(h, 'big').status?.phase === 'Bound', 'claim Bound');
    expect(pvcNamed(h, 'big').status?.capacity).toEqual({ storage: '1Gi' });
  });

  it('looks at waiting claims as soon as a new volume becomes Available, not at the next resync', async () => {
    const h = await start(claim('data', '5Mi'));
    await h.until(() => h.eventLines().length > 0, 'FailedBinding');
    await create(h, volume('pv', '10Mi', { phase: 'Pending' }));
    await h.until(() => pvcNamed(h, 'data').status?.phase === 'Bound', 'claim Bound', 5_000);
  });

  it('reports a class that does not exist when no volume of that class fits', async () => {
    const h = await start(volume('pv-10m', '10Mi', { class: 'host-test' }), claim('small', '5Mi', { class: 'host-test' }), claim('big', '100Mi', { class: 'host-test' }));
    await h.until(() => pvcNamed(h, 'small').status?.phase === 'Bound', 'small Bound');
    await h.until(() => h.eventLines().length > 0, 'an event');
    expect(h.eventLines()).toEqual(['Warning ProvisioningFailed storageclass.storage.k8s.io "host-test" not found']);
    expect(pvcNamed(h, 'big').status?.phase).toBe('Pending');
  });

  it('binds a claim naming its volume, and refuses one that does not fit', async () => {
    const h = await start(volume('pv-a', '1Gi'), volume('pv-b', '1Mi'), claim('wants-a', '5Mi', { volumeName: 'pv-a' }), claim('wants-b', '5Mi', { volumeName: 'pv-b' }));
    await h.until(() => pvcNamed(h, 'wants-a').status?.phase === 'Bound', 'wants-a Bound');
    // The user chose: the claim is not marked bound-by-controller, the volume is.
    expect(pvcNamed(h, 'wants-a').metadata.annotations).toEqual({ 'pv.kubernetes.io/bind-completed': 'yes' });
    expect(pvNamed(h, 'pv-a')!.metadata.annotations).toEqual({ 'pv.kubernetes.io/bound-by-controller': 'yes' });
    await h.until(() => h.eventLines().length > 0, 'an event');
    expect(h.eventLines()[0]).toBe('Warning VolumeMismatch Cannot bind to requested volume "pv-b": requested PV is too small');
    expect(pvcNamed(h, 'wants-b').status?.phase).toBe('Pending');
  });
});

describe('PersistentVolume controller: reclaiming', () => {
  it('releases a Retain volume when its claim goes, and keeps it', async () => {
    const h = await start(volume('pv', '10Mi'), claim('data', '5Mi'));
    await h.until(() => pvNamed(h, 'pv')?.status?.phase === 'Bound', 'Bound');
    await deleteClaim(h, 'data');
    await h.until(() => pvNamed(h, 'pv')?.status?.phase === 'Released', 'Released');
    await h.settle(20_000);
    expect(pvNamed(h, 'pv')?.status?.phase).toBe('Released');
    // Released volumes keep their claimRef: a new claim of that name does not get them.
    await create(h, claim('data', '5Mi', { uid: 'uid-data-2' }));
    await h.settle(1000);
    expect(pvcNamed(h, 'data').status?.phase).toBe('Pending');
  });

  it('deletes a Delete volume under /tmp, and fails one elsewhere or with Recycle', async () => {
    const h = await start(
      volume('tmp', '10Mi', { policy: 'Delete', path: '/tmp/data' }),
      volume('mnt', '20Mi', { policy: 'Delete', path: '/mnt/data' }),
      volume('recycled', '30Mi', { policy: 'Recycle' }),
      claim('a', '10Mi'),
      claim('b', '20Mi'),
      claim('c', '30Mi'),
    );
    await h.until(() => ['a', 'b', 'c'].every((c) => pvcNamed(h, c).status?.phase === 'Bound'), 'all Bound');
    for (const c of ['a', 'b', 'c']) await deleteClaim(h, c);
    await h.until(() => pvNamed(h, 'tmp') === undefined, 'tmp deleted');
    await h.until(() => pvNamed(h, 'mnt')?.status?.phase === 'Failed' && pvNamed(h, 'recycled')?.status?.phase === 'Failed', 'both Failed');
    expect(pvNamed(h, 'mnt')!.status?.message).toBe('host_path deleter only supports /tmp/.+ but received provided /mnt/data');
    expect(h.eventLines().sort()).toEqual([
      'Warning VolumeFailedDelete host_path deleter only supports /tmp/.+ but received provided /mnt/data',
      'Warning VolumeFailedRecycle No recycler plugin found for the volume!',
    ]);
  });

  it('makes a bound claim Lost when its volume disappears', async () => {
    const h = await start(volume('pv', '10Mi'), claim('data', '5Mi'));
    await h.until(() => pvcNamed(h, 'data').status?.phase === 'Bound', 'Bound');
    await h.client.forKind<PersistentVolume>(PVS).delete('pv');
    await h.until(() => pvcNamed(h, 'data').status?.phase === 'Lost' && h.eventLines().length > 0, 'Lost');
    expect(h.eventLines()).toEqual(['Warning ClaimLost Bound claim has lost its PersistentVolume. Data on the volume is lost!']);
  });
});

describe('dynamic provisioning through k8ts.io/local-path', () => {
  it('Immediate: provisions on a Ready node, binds, and deletes the volume with the claim', async () => {
    const h = await start(node('n1', false), node('n2', true), storageClass('fast', 'Immediate'), claim('data', '64Mi', { class: 'fast' }));
    await h.until(() => pvcNamed(h, 'data').status?.phase === 'Bound', 'Bound');
    const pvc = pvcNamed(h, 'data');
    expect(pvc.spec?.volumeName).toBe('pvc-uid-data');
    expect(pvc.metadata.annotations).toMatchObject({
      'volume.kubernetes.io/storage-provisioner': 'k8ts.io/local-path',
      'volume.beta.kubernetes.io/storage-provisioner': 'k8ts.io/local-path',
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
    });
    const pv = pvNamed(h, 'pvc-uid-data')!;
    expect(pv.metadata.annotations).toEqual({ 'pv.kubernetes.io/provisioned-by': 'k8ts.io/local-path' });
    expect(pv.spec).toMatchObject({
      capacity: { storage: '64Mi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'fast',
      hostPath: { path: '/var/lib/k8ts/local-path/default_data_pvc-uid-data', type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n2'] }] }] } },
    });
    expect(pv.status?.phase).toBe('Bound');
    await h.until(() => h.eventLines().length >= 3, 'three events');
    const lines = h.eventLines();
    expect(lines.slice(0, 3)).toEqual([
      "Normal ExternalProvisioning Waiting for a volume to be created either by the external provisioner 'k8ts.io/local-path' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
      'Normal Provisioning External provisioner is provisioning volume for claim "default/data"',
      'Normal ProvisioningSucceeded Successfully provisioned volume pvc-uid-data',
    ]);
    await deleteClaim(h, 'data');
    await h.until(() => pvNamed(h, 'pvc-uid-data') === undefined, 'volume deleted');
  });

  it('WaitForFirstConsumer: waits, names the waiting pod, and provisions on the selected node', async () => {
    const h = await start(node('n1', true), node('n2', true), storageClass('local', 'WaitForFirstConsumer'), claim('data', '1Gi', { class: 'local' }));
    await h.until(() => h.eventLines().length > 0, 'an event');
    expect(h.eventLines()).toEqual(['Normal WaitForFirstConsumer waiting for first consumer to be created before binding']);
    await create(h, pendingPod('web', 'data'));
    await h.settle(16_000);
    expect(h.eventLines()).toContain('Normal WaitForPodScheduled waiting for pod web to be scheduled');
    expect(pvNamed(h, 'pvc-uid-data')).toBeUndefined();
    // What the scheduler's VolumeBinding PreBind does once it picked n1.
    await h.client.forKind<PersistentVolumeClaim>(PVCS).namespace('default').patch('data', 'merge', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'n1' } } });
    await h.until(() => pvcNamed(h, 'data').status?.phase === 'Bound', 'Bound');
    expect(pvNamed(h, 'pvc-uid-data')!.spec?.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions?.[0]?.values).toEqual(['n1']);
  });

  it('gives the claim back to the scheduler when its selected node is gone', async () => {
    const h = await start(node('n1', true), storageClass('local', 'WaitForFirstConsumer'), claim('data', '1Gi', { class: 'local', annotations: { 'volume.kubernetes.io/selected-node': 'gone' } }));
    await h.until(() => pvcNamed(h, 'data').metadata.annotations?.['volume.kubernetes.io/selected-node'] === undefined, 'selection dropped');
    await h.until(() => h.eventLines().includes('Warning ProvisioningFailed node "gone" not found'), 'the event');
    expect(h.api.list('v1', 'PersistentVolume')).toEqual([]);
  });

  it('gives a class-less claim the default class once one exists', async () => {
    const h = await start(node('n1', true), claim('data', '1Gi', { class: null }));
    await h.until(() => h.eventLines().length > 0, 'an event');
    expect(h.eventLines()).toEqual(['Normal FailedBinding no persistent volumes available for this claim and no storage class is set']);
    await create(h, storageClass('standard', 'Immediate', { isDefault: true }));
    await h.until(() => pvcNamed(h, 'data').status?.phase === 'Bound', 'Bound');
    expect(pvcNamed(h, 'data').spec?.storageClassName).toBe('standard');
  });

  it('fails a class with the no-provisioner name', async () => {
    const h = await start(storageClass('manual', 'Immediate', { provisioner: 'kubernetes.io/no-provisioner' }), claim('data', '1Gi', { class: 'manual' }));
    await h.until(() => h.eventLines().length > 0, 'an event');
    expect(h.eventLines()).toEqual(['Warning ProvisioningFailed no volume plugin matched name: kubernetes.io/no-provisioner']);
  });
});
