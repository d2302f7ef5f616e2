// The PersistentVolume controller ("persistentvolume-binder-controller", events from
// "persistentvolume-controller"): binds claims to volumes and reclaims volumes whose claim is
// gone. Two queues, claims ("namespace/name") and volumes ("name"), fed by the informers and by
// a full resync every 15 s; each sync is level-based.
//   claim, not yet bound   find the best volume (pre-bound, else the smallest adequate one in
//                          its class) and bind both sides; none: assign the default class to a
//                          class-less claim, wait for the first consumer (WaitForFirstConsumer),
//                          ask the class's provisioner (ExternalProvisioning), or say that
//                          nothing fits (FailedBinding); the claim stays Pending
//   claim, bound           keep both sides bound; a vanished volume makes the claim Lost
//   volume                 Available without claim, Bound with its claim, Released when the
//                          claim is gone, then reclaimed: Retain keeps it, Delete deletes it
//                          (a provisioned volume is its provisioner's to delete), Recycle fails
// Writes go through update/updateStatus with the resourceVersion read, so a stale cache costs a
// conflict and a retry, never a lost write; objects this controller wrote are preferred to
// older cached copies.
import type { KubeObject } from '@k8ts/api';
import { defaultClass, isDelayBinding } from '@k8ts/api/storage/classes.ts';
import {
  ANN_BETA_STORAGE_CLASS,
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
  type VolumePhase,
} from '@k8ts/api/storage/types.ts';
import { podClaims } from '@k8ts/api/storage/pod-claims.ts';
import { claimClass, findBestMatchForClaim, volumeModeMismatch, volumeUnsuitableForClaim } from '@k8ts/api/storage/volume-matching.ts';
import {
  errorMessage,
  isNotFound,
  sleep,
  type Clock,
  type DeletedFinalStateUnknown,
  type EventRecorder,
  type EventType,
  type Lister,
  type Logger,
  type RateLimitingQueue,
  type ResourceClient,
  type SharedIndexInformer,
} from '@k8ts/client';
import type { Controller } from '../../controller/context.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';
import type { Pod } from '../../controller/workload-types.ts';
import { objectOf } from '../tombstone.ts';
import { volumeBoundToClaim } from '@k8ts/api/storage/bind-volume.ts';
import { claimBoundToVolume, claimWithPhase, unboundVolume, volumeWithPhase } from './binding.ts';
import { FreshestObjects } from './freshest-objects.ts';

export const PERSISTENT_VOLUME_BINDER_CONTROLLER = 'persistentvolume-binder-controller';
/** The component its events come from. */
export const PERSISTENT_VOLUME_CONTROLLER_COMPONENT = 'persistentvolume-controller';
/** --pvclaimbinder-sync-period */
export const DEFAULT_PV_SYNC_PERIOD_MS = 15_000;

/** Event reasons (pkg/controller/volume/events). */
export const VolumeEvents = {
  FailedBinding: 'FailedBinding',
  VolumeMismatch: 'VolumeMismatch',
  VolumeFailedRecycle: 'VolumeFailedRecycle',
  VolumeFailedDelete: 'VolumeFailedDelete',
  ExternalProvisioning: 'ExternalProvisioning',
  ProvisioningFailed: 'ProvisioningFailed',
  ProvisioningSucceeded: 'ProvisioningSucceeded',
  Provisioning: 'Provisioning',
  WaitForFirstConsumer: 'WaitForFirstConsumer',
  WaitForPodScheduled: 'WaitForPodScheduled',
  ClaimLost: 'ClaimLost',
  ClaimMisbound: 'ClaimMisbound',
} as const;

export const NO_VOLUME_NO_CLASS = 'no persistent volumes available for this claim and no storage class is set';
export const WAITING_FOR_FIRST_CONSUMER = 'waiting for first consumer to be created before binding';

const PERSISTENT_VOLUMES = { apiVersion: 'v1', kind: 'PersistentVolume' };
const PERSISTENT_VOLUME_CLAIMS = { apiVersion: 'v1', kind: 'PersistentVolumeClaim' };

export interface PersistentVolumeControllerDeps {
  volumes: SharedIndexInformer<PersistentVolume>;
  claims: SharedIndexInformer<PersistentVolumeClaim>;
  classes: SharedIndexInformer<StorageClass>;
  /** to name the pods a WaitForFirstConsumer claim waits for */
  pods: SharedIndexInformer<Pod>;
  volumeClient: ResourceClient<PersistentVolume>;
  claimClient: ResourceClient<PersistentVolumeClaim>;
  /** source component "persistentvolume-controller" */
  recorder: EventRecorder;
  volumeQueue: RateLimitingQueue<string>;
  claimQueue: RateLimitingQueue<string>;
  /** how often every claim and volume is synced again (default 15 s) */
  syncPeriodMs?: number;
  clock: Clock;
  logger: Logger;
}

export class PersistentVolumeController implements Controller {
  private readonly volumeLister: Lister<PersistentVolume>;
  private readonly claimLister: Lister<PersistentVolumeClaim>;
  private readonly classLister: Lister<StorageClass>;
  private readonly podLister: Lister<Pod>;
  private readonly written = new FreshestObjects();

  constructor(private readonly deps: PersistentVolumeControllerDeps) {
    this.volumeLister = deps.volumes.lister();
    this.claimLister = deps.claims.lister();
    this.classLister = deps.classes.lister();
    this.podLister = deps.pods.lister();
    deps.volumes.addEventHandler({
      onAdd: (pv) => this.enqueueVolume(pv),
      onUpdate: (_old, pv) => this.enqueueVolume(pv),
      onDelete: (obj) => this.deletedVolume(objectOf(obj)),
    });
    deps.claims.addEventHandler({
      onAdd: (claim) => this.enqueueClaim(claim),
      onUpdate: (_old, claim) => this.enqueueClaim(claim),
      onDelete: (obj) => this.deletedClaim(obj),
    });
    // A class appearing may let waiting claims provision or bind.
    deps.classes.addEventHandler({ onAdd: () => this.enqueuePendingClaims(), onUpdate: () => this.enqueuePendingClaims() });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { volumes, claims, classes, pods, volumeQueue, claimQueue, clock, logger } = this.deps;
    logger.info(`Starting controller ${PERSISTENT_VOLUME_BINDER_CONTROLLER}`);
    const synced = [volumes, claims, classes, pods].map((informer) => () => informer.hasSynced());
    if (!(await waitForNamedCacheSync('persistent volume', synced, signal, logger, clock))) return;
    const syncPeriod = this.deps.syncPeriodMs ?? DEFAULT_PV_SYNC_PERIOD_MS;
    await Promise.all([
      this.resyncEvery(syncPeriod, signal),
      runWorkers({ controller: PERSISTENT_VOLUME_BINDER_CONTROLLER, queue: volumeQueue, workers: 1, sync: (key) => this.syncVolume(key), logger }, signal),
      runWorkers({ controller: PERSISTENT_VOLUME_BINDER_CONTROLLER, queue: claimQueue, workers: 1, sync: (key) => this.syncClaim(key), logger }, signal),
    ]);
  }

  // ---- claims ----

  async syncClaim(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const claim = this.claim(namespace, name);
    if (!claim) return;
    if (claim.metadata.annotations?.[ANN_BIND_COMPLETED] === undefined) await this.syncUnboundClaim(claim);
    else await this.syncBoundClaim(claim);
  }

  private async syncUnboundClaim(claim: PersistentVolumeClaim): Promise<void> {
    const volumeName = claim.spec?.volumeName ?? '';
    if (volumeName === '') {
      const delayBinding = isDelayBinding(claim, (name) => this.classLister.get('', name));
      const volume = findBestMatchForClaim(claim, this.allVolumes(), delayBinding);
      if (volume) {
        await this.bind(volume, claim);
        return;
      }
      if (await this.assignDefaultStorageClass(claim)) return;
      if (delayBinding && claim.metadata.annotations?.[ANN_SELECTED_NODE] === undefined) {
        this.emitWaitingForConsumer(claim);
      } else if (claimClass(claim) !== '') {
        await this.provisionClaim(claim);
        return;
      } else {
        this.event(claim, 'Normal', VolumeEvents.FailedBinding, NO_VOLUME_NO_CLASS);
      }
      await this.writeClaimStatus(claimWithPhase(claim, 'Pending'));
      return;
    }
    // The user asked for a particular volume.
    const volume = this.volume(volumeName);
    if (!volume) {
      await this.writeClaimStatus(claimWithPhase(claim, 'Pending'));
      return;
    }
    const ref = volume.spec?.claimRef;
    if (!ref) {
      const unsuitable = volumeUnsuitableForClaim(volume, claim);
      if (unsuitable) {
        this.event(claim, 'Warning', VolumeEvents.VolumeMismatch, `Cannot bind to requested volume "${volumeName}": ${unsuitable}`);
        await this.writeClaimStatus(claimWithPhase(claim, 'Pending'));
        return;
      }
      await this.bind(volume, claim);
      return;
    }
    if (ref.namespace === claim.metadata.namespace && ref.name === claim.metadata.name && (!ref.uid || ref.uid === claim.metadata.uid)) {
      await this.bind(volume, claim);
      return;
    }
    this.event(claim, 'Warning', VolumeEvents.FailedBinding, `volume "${volumeName}" already bound to a different claim.`);
    if (claim.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined) {
      throw new Error(`invalid binding of claim "${keyOfClaim(claim)}" to volume "${volumeName}": volume already claimed by "${ref.namespace ?? ''}/${ref.name ?? ''}"`);
    }
    await this.writeClaimStatus(claimWithPhase(claim, 'Pending'));
  }

  private async syncBoundClaim(claim: PersistentVolumeClaim): Promise<void> {
    const volumeName = claim.spec?.volumeName ?? '';
    if (volumeName === '') {
      await this.lostClaim(claim, VolumeEvents.ClaimLost, 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
      return;
    }
    const volume = this.volume(volumeName);
    if (!volume) {
      await this.lostClaim(claim, VolumeEvents.ClaimLost, 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
      return;
    }
    const ref = volume.spec?.claimRef;
    if (!ref || ref.uid === claim.metadata.uid) {
      // Unbound meanwhile (or our volume write not seen yet): bind again; a no-op when all is set.
      await this.bind(volume, claim);
      return;
    }
    await this.lostClaim(claim, VolumeEvents.ClaimMisbound, 'Two claims are bound to the same volume, this one is bound incorrectly');
  }

  private async lostClaim(claim: PersistentVolumeClaim, reason: string, message: string): Promise<void> {
    if (claim.status?.phase === 'Lost') return;
    await this.writeClaimStatus(claimWithPhase(claim, 'Lost'));
    this.event(claim, 'Warning', reason, message);
  }

  /**
   * RetroactiveDefaultStorageClass: a claim created without a class (before any default class
   * existed) gets the default class once there is one. True when the claim was updated.
   */
  private async assignDefaultStorageClass(claim: PersistentVolumeClaim): Promise<boolean> {
    const hasClass = claim.spec?.storageClassName !== undefined && claim.spec.storageClassName !== null;
    if (hasClass || claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] !== undefined) return false;
    const chosen = defaultClass(this.classLister.list());
    if (!chosen?.metadata.name) return false;
    this.deps.logger.info(`Assigning StorageClass "${chosen.metadata.name}" to PersistentVolumeClaim ${keyOfClaim(claim)}`);
    await this.writeClaim({ ...claim, spec: { ...claim.spec, storageClassName: chosen.metadata.name } });
    return true;
  }

  /** emitEventForUnboundDelayBindingClaim: name the pods not scheduled yet, if any. */
  private emitWaitingForConsumer(claim: PersistentVolumeClaim): void {
    const waiting = this.podLister
      .byNamespace(claim.metadata.namespace ?? '')
      .list()
      .filter((pod) => !pod.spec?.nodeName && podClaims(pod).some((c) => c.name === claim.metadata.name))
      .map((pod) => pod.metadata.name ?? '');
    if (waiting.length === 0) this.event(claim, 'Normal', VolumeEvents.WaitForFirstConsumer, WAITING_FOR_FIRST_CONSUMER);
    else if (waiting.length === 1) this.event(claim, 'Normal', VolumeEvents.WaitForPodScheduled, `waiting for pod ${waiting[0]} to be scheduled`);
    else this.event(claim, 'Normal', VolumeEvents.WaitForPodScheduled, `waiting for pods ${waiting.join(',')} to be scheduled`);
  }

  /**
   * provisionClaim for a provisioner outside the controller (every provisioner k8ts has, the
   * built-in local-path one included): mark the claim with the provisioner's name, which is
   * its cue, and say so.
   */
  private async provisionClaim(claim: PersistentVolumeClaim): Promise<void> {
    const className = claimClass(claim);
    const sc = this.classLister.get('', className);
    if (!sc) {
      this.event(claim, 'Warning', VolumeEvents.ProvisioningFailed, `storageclass.storage.k8s.io "${className}" not found`);
      return;
    }
    const provisioner = sc.provisioner;
    if (provisioner.startsWith('kubernetes.io/')) {
      // In-tree provisioners were removed or migrated to CSI; no-provisioner names none.
      this.event(claim, 'Warning', VolumeEvents.ProvisioningFailed, `no volume plugin matched name: ${provisioner}`);
      return;
    }
    const annotations = claim.metadata.annotations ?? {};
    let current = claim;
    if (annotations[ANN_STORAGE_PROVISIONER] !== provisioner || annotations[ANN_BETA_STORAGE_PROVISIONER] !== provisioner) {
      try {
        current = await this.writeClaim({
          ...claim,
          metadata: { ...claim.metadata, annotations: { ...annotations, [ANN_BETA_STORAGE_PROVISIONER]: provisioner, [ANN_STORAGE_PROVISIONER]: provisioner } },
        });
      } catch (err) {
        this.event(claim, 'Warning', VolumeEvents.ProvisioningFailed, `Error saving claim: ${errorMessage(err)}`);
        throw err;
      }
    }
    this.event(
      current,
      'Normal',
      VolumeEvents.ExternalProvisioning,
      `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
  }

  /** The four writes that bind volume and claim; each is skipped when already done. */
  private async bind(volume: PersistentVolume, claim: PersistentVolumeClaim): Promise<void> {
    const now = this.deps.clock.now();
    let pv = volume;
    const claimed = volumeBoundToClaim(pv, claim);
    if (claimed) pv = await this.writeVolume(claimed);
    const bound = volumeWithPhase(pv, 'Bound', '', now);
    if (bound) pv = await this.writeVolumeStatus(bound);
    let current = claim;
    const named = claimBoundToVolume(current, pv);
    if (named) current = await this.writeClaim(named);
    await this.writeClaimStatus(claimWithPhase(current, 'Bound', pv));
    if (claimed) this.deps.logger.info(`volume "${pv.metadata.name ?? ''}" bound to claim "${keyOfClaim(claim)}"`);
  }

  // ---- volumes ----

  async syncVolume(name: string): Promise<void> {
    const volume = this.volume(name);
    if (!volume) return;
    const ref = volume.spec?.claimRef;
    // Unused, or pre-bound by the user to a claim that has not bound yet.
    if (!ref || !ref.uid) {
      const wasAvailable = volume.status?.phase === 'Available';
      await this.setVolumePhase(volume, 'Available', '');
      // Claims created together with the volume looked before it was Available: look again
      // now rather than at the next resync.
      if (!wasAvailable) this.enqueuePendingClaims();
      return;
    }
    let claim = this.claim(ref.namespace ?? '', ref.name ?? '');
    const phase = volume.status?.phase;
    if (!claim && phase !== 'Released' && phase !== 'Failed') {
      // A claim this controller has not seen yet (a provisioner or the scheduler bound the
      // volume right after creating it) must not release the volume: ask the apiserver.
      claim = await this.liveClaim(ref.namespace ?? '', ref.name ?? '');
    }
    if (claim && claim.metadata.uid !== ref.uid) claim = undefined;
    if (!claim) {
      let released = volume;
      if (phase !== 'Released' && phase !== 'Failed') {
        this.deps.logger.info(`volume "${name}" is released and reclaim policy "${volume.spec?.persistentVolumeReclaimPolicy ?? ''}" will be executed`);
        released = await this.setVolumePhase(volume, 'Released', '');
      }
      await this.reclaimVolume(released);
      return;
    }
    const claimVolume = claim.spec?.volumeName ?? '';
    if (claimVolume === '') {
      if (volumeModeMismatch(claim, volume)) {
        this.event(volume, 'Warning', VolumeEvents.VolumeMismatch, `Cannot bind PersistentVolume to requested PersistentVolumeClaim "${claim.metadata.name ?? ''}" due to incompatible volumeMode.`);
        this.event(claim, 'Warning', VolumeEvents.VolumeMismatch, `Cannot bind PersistentVolume "${name}" to requested PersistentVolumeClaim due to incompatible volumeMode.`);
        return;
      }
      // Bound on the volume's side only: the claim's sync finishes it.
      this.deps.claimQueue.add(keyOfClaim(claim));
      return;
    }
    if (claimVolume === name) {
      await this.setVolumePhase(volume, 'Bound', '');
      return;
    }
    // The claim went to another volume.
    if (volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] !== undefined && volume.spec?.persistentVolumeReclaimPolicy === 'Delete') {
      // Provisioned for this claim and not needed after all.
      const released = phase !== 'Released' && phase !== 'Failed' ? await this.setVolumePhase(volume, 'Released', '') : volume;
      await this.reclaimVolume(released);
      return;
    }
    const unbound = await this.writeVolume(unboundVolume(volume));
    await this.setVolumePhase(unbound, 'Available', '');
  }

  /** reclaimVolume: what the volume's reclaim policy says to do with a released volume. */
  private async reclaimVolume(volume: PersistentVolume): Promise<void> {
    const name = volume.metadata.name ?? '';
    switch (volume.spec?.persistentVolumeReclaimPolicy) {
      case 'Recycle':
        await this.failVolume(volume, VolumeEvents.VolumeFailedRecycle, 'No recycler plugin found for the volume!');
        return;
      case 'Delete': {
        if (volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] !== undefined) {
          // Its provisioner deletes it (and its storage).
          return;
        }
        const live = await this.liveVolume(name);
        if (!live || live.status?.phase === 'Bound' || live.status?.phase === 'Available') return;
        const cannotDelete = unDeletableReason(live);
        if (cannotDelete) {
          await this.failVolume(live, VolumeEvents.VolumeFailedDelete, cannotDelete);
          return;
        }
        try {
          await this.deps.volumeClient.delete(name, { preconditions: { uid: live.metadata.uid } });
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        this.deps.logger.info(`volume "${name}" deleted`);
        return;
      }
      default:
        // Retain: the volume and its data stay until an administrator deals with them.
        return;
    }
  }

  private async failVolume(volume: PersistentVolume, reason: string, message: string): Promise<void> {
    if (volume.status?.phase === 'Failed') return;
    await this.setVolumePhase(volume, 'Failed', message);
    this.event(volume, 'Warning', reason, message);
  }

  private async setVolumePhase(volume: PersistentVolume, phase: VolumePhase, message: string): Promise<PersistentVolume> {
    const next = volumeWithPhase(volume, phase, message, this.deps.clock.now());
    return next ? this.writeVolumeStatus(next) : volume;
  }

  // ---- reads and writes ----

  private volume(name: string): PersistentVolume | undefined {
    return this.written.pick(`pv/${name}`, this.volumeLister.get('', name));
  }

  private claim(namespace: string, name: string): PersistentVolumeClaim | undefined {
    return this.written.pick(`pvc/${namespace}/${name}`, this.claimLister.get(namespace, name));
  }

  private allVolumes(): PersistentVolume[] {
    return this.volumeLister.list().map((pv) => this.volume(pv.metadata.name ?? '') ?? pv);
  }

  private async liveClaim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined> {
    try {
      return await this.deps.claimClient.namespace(namespace).get(name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async liveVolume(name: string): Promise<PersistentVolume | undefined> {
    try {
      return await this.deps.volumeClient.get(name);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async writeVolume(pv: PersistentVolume): Promise<PersistentVolume> {
    const written = await this.deps.volumeClient.update({ ...pv, ...PERSISTENT_VOLUMES });
    return this.written.remember(`pv/${written.metadata.name ?? ''}`, written);
  }

  private async writeVolumeStatus(pv: PersistentVolume): Promise<PersistentVolume> {
    const written = await this.deps.volumeClient.updateStatus({ ...pv, ...PERSISTENT_VOLUMES });
    return this.written.remember(`pv/${written.metadata.name ?? ''}`, written);
  }

  private async writeClaim(claim: PersistentVolumeClaim): Promise<PersistentVolumeClaim> {
    const written = await this.deps.claimClient.namespace(claim.metadata.namespace ?? '').update({ ...claim, ...PERSISTENT_VOLUME_CLAIMS });
    return this.written.remember(`pvc/${keyOfClaim(written)}`, written);
  }

  private async writeClaimStatus(claim: PersistentVolumeClaim | undefined): Promise<void> {
    if (!claim) return;
    const written = await this.deps.claimClient.namespace(claim.metadata.namespace ?? '').updateStatus({ ...claim, ...PERSISTENT_VOLUME_CLAIMS });
    this.written.remember(`pvc/${keyOfClaim(written)}`, written);
  }

  private event(obj: PersistentVolume | PersistentVolumeClaim, type: EventType, reason: string, message: string): void {
    // Cached objects may lack their type; claims are the namespaced ones.
    const typed: KubeObject = { ...obj, ...(obj.metadata.namespace ? PERSISTENT_VOLUME_CLAIMS : PERSISTENT_VOLUMES) };
    this.deps.recorder.event(typed, type, reason, message);
  }

  // ---- informer handlers ----

  private enqueueVolume(pv: PersistentVolume): void {
    this.deps.volumeQueue.add(pv.metadata.name ?? '');
  }

  private enqueueClaim(claim: PersistentVolumeClaim): void {
    this.deps.claimQueue.add(keyOfClaim(claim));
  }

  private deletedVolume(pv: PersistentVolume): void {
    this.written.forget(`pv/${pv.metadata.name ?? ''}`);
    // Its claim, if bound, is now Lost.
    const ref = pv.spec?.claimRef;
    if (ref?.name) this.deps.claimQueue.add(`${ref.namespace ?? ''}/${ref.name}`);
  }

  private deletedClaim(obj: PersistentVolumeClaim | DeletedFinalStateUnknown<PersistentVolumeClaim>): void {
    const claim = objectOf(obj);
    this.written.forget(`pvc/${keyOfClaim(claim)}`);
    // Its volume is released now.
    const volumeName = claim.spec?.volumeName;
    if (volumeName) this.deps.volumeQueue.add(volumeName);
  }

  private enqueuePendingClaims(): void {
    for (const claim of this.claimLister.list()) if (!claim.spec?.volumeName) this.enqueueClaim(claim);
  }

  private async resyncEvery(periodMs: number, signal: AbortSignal): Promise<void> {
    while (await sleep(this.deps.clock, periodMs, signal)) {
      for (const claim of this.claimLister.list()) this.enqueueClaim(claim);
      for (const pv of this.volumeLister.list()) this.enqueueVolume(pv);
    }
  }
}

/**
 * Why the controller itself cannot delete a volume nobody provisioned (the in-tree deleters):
 * only hostPath volumes under /tmp can be deleted; undefined when it can.
 */
function unDeletableReason(pv: PersistentVolume): string | undefined {
  const hostPath = pv.spec?.hostPath?.path;
  if (hostPath === undefined) return `error getting deleter volume plugin for volume "${pv.metadata.name ?? ''}": no deletable volume plugin matched`;
  if (!/\/tmp\/.+/.test(hostPath)) return `host_path deleter only supports /tmp/.+ but received provided ${hostPath}`;
  return undefined;
}

export function keyOfClaim(claim: KubeObject): string {
  return `${claim.metadata.namespace ?? ''}/${claim.metadata.name ?? ''}`;
}
