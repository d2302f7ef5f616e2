// How the controller manager starts the PersistentVolume binder ("persistentvolume-binder-
// controller"): PVs, PVCs, StorageClasses, pods and nodes from the shared informers, writes as
// the "persistent-volume-binder" ServiceAccount, events from "persistentvolume-controller";
// queues "volumes" and "claims". The built-in local-path provisioner runs beside it under the
// same identity (its role may create and delete volumes), its events from "k8ts.io/local-path".
// The two protection controllers write as "pvc-protection-controller" and
// "pv-protection-controller", on the queues "pvcprotection" and "pvprotection".
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '@k8ts/api/storage/types.ts';
import type { ControllerStarter } from '../../controller/context.ts';
import type { Pod } from '../../controller/workload-types.ts';
import { LOCAL_PATH_PROVISIONER, LocalPathProvisioner, type Node } from './local-path-provisioner.ts';
import { PERSISTENT_VOLUME_BINDER_CONTROLLER, PERSISTENT_VOLUME_CONTROLLER_COMPONENT, PersistentVolumeController } from './persistent-volume-controller.ts';
import { PV_PROTECTION_CONTROLLER, PvProtectionController } from './pv-protection-controller.ts';
import { PVC_PROTECTION_CONTROLLER, PvcProtectionController } from './pvc-protection-controller.ts';

const PVS = { group: '', version: 'v1', kind: 'PersistentVolume' };
const PVCS = { group: '', version: 'v1', kind: 'PersistentVolumeClaim' };
const CLASSES = { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass' };
const PODS = { group: '', version: 'v1', kind: 'Pod' };
const NODES = { group: '', version: 'v1', kind: 'Node' };

export const persistentVolumeBinderStarter: ControllerStarter = {
  name: PERSISTENT_VOLUME_BINDER_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('persistent-volume-binder');
    const volumes = ctx.informers.forKind<PersistentVolume>(PVS);
    const claims = ctx.informers.forKind<PersistentVolumeClaim>(PVCS);
    const classes = ctx.informers.forKind<StorageClass>(CLASSES);
    const volumeClient = client.forKind<PersistentVolume>(PVS);
    const claimClient = client.forKind<PersistentVolumeClaim>(PVCS);
    const binder = new PersistentVolumeController({
      syncPeriodMs: ctx.options.pvClaimBinderSyncPeriodMs,
      volumes,
      claims,
      classes,
      pods: ctx.informers.forKind<Pod>(PODS),
      volumeClient,
      claimClient,
      recorder: ctx.eventRecorder(client, PERSISTENT_VOLUME_CONTROLLER_COMPONENT),
      volumeQueue: ctx.newQueue('volumes'),
      claimQueue: ctx.newQueue('claims'),
      clock: ctx.clock,
      logger: ctx.logger,
    });
    const provisioner = new LocalPathProvisioner({
      claims,
      volumes,
      classes,
      nodes: ctx.informers.forKind<Node>(NODES),
      volumeClient,
      claimClient,
      recorder: ctx.eventRecorder(client, LOCAL_PATH_PROVISIONER),
      queue: ctx.newQueue('local_path_provisioner'),
      clock: ctx.clock,
      logger: ctx.logger,
    });
    return {
      async run(signal) {
        await Promise.all([binder.run(signal), provisioner.run(signal)]);
      },
    };
  },
};

export const pvcProtectionStarter: ControllerStarter = {
  name: PVC_PROTECTION_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('pvc-protection-controller');
    return new PvcProtectionController({
      claims: ctx.informers.forKind<PersistentVolumeClaim>(PVCS),
      pods: ctx.informers.forKind<Pod>(PODS),
      claimClient: client.forKind<PersistentVolumeClaim>(PVCS),
      podClient: client.forKind<Pod>(PODS),
      queue: ctx.newQueue('pvcprotection'),
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};

export const pvProtectionStarter: ControllerStarter = {
  name: PV_PROTECTION_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('pv-protection-controller');
    return new PvProtectionController({
      volumes: ctx.informers.forKind<PersistentVolume>(PVS),
      volumeClient: client.forKind<PersistentVolume>(PVS),
      queue: ctx.newQueue('pvprotection'),
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};
