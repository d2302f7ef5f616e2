// VolumeBinding inside the real scheduling loop, with the controller manager's volume binder
// and local-path provisioner running beside it on one in-memory API: the flows of
// WaitForFirstConsumer (static volumes and provisioning) and of unbound Immediate claims.
import type { KubeObject } from '@k8ts/api';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '@k8ts/api/storage/types.ts';
import { EventRecorder, eventSinkFor, type Clock } from '@k8ts/client';
import { LocalPathProvisioner, type Node as ProvisionerNode } from '@k8ts/controller-manager/controllers/volume/local-path-provisioner.ts';
import { PersistentVolumeController } from '@k8ts/controller-manager/controllers/volume/persistent-volume-controller.ts';
import { namespace } from '@k8ts/controller-manager/testing/fixtures.ts';
import { ControllerHarness } from '@k8ts/controller-manager/testing/harness.ts';
import { afterEach, describe, expect, it } from 'vitest';
import type { Node, Pod } from '../framework/types.ts';
import { defaultSchedulingConfiguration } from '../options/options.ts';
import { Scheduler } from '../scheduler/scheduler.ts';

const PVS = { group: '', version: 'v1', kind: 'PersistentVolume' };
const PVCS = { group: '', version: 'v1', kind: 'PersistentVolumeClaim' };
const CLASSES = { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass' };

function node(name: string): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: {
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

function claim(name: string, className: string): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: className, volumeMode: 'Filesystem' },
    status: { phase: 'Pending' },
  };
}

function storageClass(name: string, mode: 'Immediate' | 'WaitForFirstConsumer', provisioner = 'k8ts.io/local-path'): StorageClass {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, reclaimPolicy: 'Delete', volumeBindingMode: mode };
}

function localVolume(name: string, nodeName: string, className: string): PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: {
      capacity: { storage: '2Gi' },
      accessModes: ['ReadWriteOnce'],
      storageClassName: className,
      persistentVolumeReclaimPolicy: 'Retain',
      volumeMode: 'Filesystem',
      hostPath: { path: `/mnt/${name}` },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [nodeName] }] }] } },
    },
    status: { phase: 'Available' },
  };
}

function podUsing(name: string, claimName: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { schedulerName: 'default-scheduler', containers: [{ name: 'app', image: 'nginx' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] },
  };
}

/** Each recorder names events by timestamp; in frozen fake time two recorders need distinct milliseconds. */
function offset(clock: Clock, ms: number): Clock {
  return { now: () => clock.now() + ms, setTimer: (delay, callback) => clock.setTimer(delay, callback) };
}

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

async function start(...objects: KubeObject[]): Promise<ControllerHarness> {
  const h = (harness = new ControllerHarness(namespace('default'), node('n1'), node('n2'), ...objects));
  const recorder = (component: string, ms: number) => new EventRecorder(eventSinkFor(h.client), { component }, { clock: offset(h.clock, ms), logger: h.logger });
  const volumes = h.informers.forKind<PersistentVolume>(PVS);
  const claims = h.informers.forKind<PersistentVolumeClaim>(PVCS);
  const classes = h.informers.forKind<StorageClass>(CLASSES);
  const scheduler = new Scheduler({
    client: h.client,
    informers: h.informers,
    recorder: recorder('default-scheduler', 0),
    scheduling: defaultSchedulingConfiguration(),
    clock: h.clock,
    random: () => 0,
    logger: h.logger,
  });
  const binder = new PersistentVolumeController({
    volumes,
    claims,
    classes,
    pods: h.informers.forKind({ group: '', version: 'v1', kind: 'Pod' }),
    volumeClient: h.client.forKind<PersistentVolume>(PVS),
    claimClient: h.client.forKind<PersistentVolumeClaim>(PVCS),
    recorder: recorder('persistentvolume-controller', 1),
    volumeQueue: h.newQueue('volumes'),
    claimQueue: h.newQueue('claims'),
    clock: h.clock,
    logger: h.logger,
  });
  const provisioner = new LocalPathProvisioner({
    claims,
    volumes,
    classes,
    nodes: h.informers.forKind<ProvisionerNode>({ group: '', version: 'v1', kind: 'Node' }),
    volumeClient: h.client.forKind<PersistentVolume>(PVS),
    claimClient: h.client.forKind<PersistentVolumeClaim>(PVCS),
    recorder: recorder('k8ts.io/local-path', 2),
    queue: h.newQueue('local_path_provisioner'),
    clock: h.clock,
    logger: h.logger,
  });
  await h.start({ run: async (signal) => void (await Promise.all([scheduler.run(signal), binder.run(signal), provisioner.run(signal)])) });
  return h;
}

const podNamed = (h: ControllerHarness, name: string) => h.api.get<Pod>('v1', 'Pod', 'default', name);
const claimNamed = (h: ControllerHarness, name: string) => h.api.get<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', 'default', name);
const volumeNamed = (h: ControllerHarness, name: string) => h.api.get<PersistentVolume>('v1', 'PersistentVolume', undefined, name);

describe('VolumeBinding in the scheduling loop', () => {
  it('WaitForFirstConsumer with a provisioner: selects the node, waits for the volume, then binds the pod there', async () => {
    const h = await start(storageClass('standard', 'WaitForFirstConsumer'), claim('data', 'standard'), podUsing('web', 'data'));
    await h.until(() => Boolean(podNamed(h, 'web')?.spec.nodeName), 'pod bound');
    const nodeName = podNamed(h, 'web')!.spec.nodeName!;
    const pvc = claimNamed(h, 'data')!;
    expect(pvc.metadata.annotations?.['volume.kubernetes.io/selected-node']).toBe(nodeName);
    expect(pvc.status?.phase).toBe('Bound');
    const pv = volumeNamed(h, pvc.spec!.volumeName!)!;
    expect(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions?.[0]?.values).toEqual([nodeName]);
  });

  it('WaitForFirstConsumer with local volumes: the pod goes to the node of the only volume, which the scheduler takes', async () => {
    const h = await start(
      storageClass('local', 'WaitForFirstConsumer', 'kubernetes.io/no-provisioner'),
      localVolume('disk-n2', 'n2', 'local'),
      claim('data', 'local'),
      podUsing('web', 'data'),
    );
    await h.until(() => Boolean(podNamed(h, 'web')?.spec.nodeName), 'pod bound');
    expect(podNamed(h, 'web')!.spec.nodeName).toBe('n2');
    expect(volumeNamed(h, 'disk-n2')!.spec?.claimRef?.uid).toBe('uid-data');
    expect(volumeNamed(h, 'disk-n2')!.metadata.annotations?.['pv.kubernetes.io/bound-by-controller']).toBe('yes');
    expect(claimNamed(h, 'data')!.status?.phase).toBe('Bound');
  });

  it('an unbound Immediate claim keeps the pod Pending until the binder binds it', async () => {
    const h = await start(claim('data', ''), podUsing('web', 'data'));
    await h.until(() => h.eventLines().some((l) => l.startsWith('Warning FailedScheduling')), 'FailedScheduling');
    expect(h.eventLines()).toContain(
      'Warning FailedScheduling 0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    );
    expect(podNamed(h, 'web')!.spec.nodeName).toBeUndefined();
    // A volume appears: the binder binds the claim, the pod follows.
    h.api.seed(localVolume('disk-n1', 'n1', ''));
    await h.until(() => podNamed(h, 'web')?.spec.nodeName === 'n1', 'pod bound to n1', 120_000);
  });

  it('a claim that does not exist is reported', async () => {
    const h = await start(podUsing('web', 'missing'));
    await h.until(() => h.eventLines().some((l) => l.startsWith('Warning FailedScheduling')), 'FailedScheduling');
    expect(h.eventLines().find((l) => l.startsWith('Warning FailedScheduling'))).toBe(
      'Warning FailedScheduling 0/2 nodes are available: persistentvolumeclaim "missing" not found. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    );
  });
});
