// The built-in dynamic provisioner for StorageClasses whose provisioner is "k8ts.io/local-path"
// (what rancher's local-path-provisioner does, run inside the controller manager the way
// in-tree provisioners once ran beside the volume binder). It behaves as an external
// provisioner: it acts on claims the binder marked with its name (storage-provisioner
// annotation), and on volumes it provisioned once they are Released.
//   provision  a node-local hostPath volume "pvc-<claim uid>" under
//              /var/lib/k8ts/local-path/<namespace>_<claim>_<volume>, as large as the claim
//              asks, pinned to one node by node affinity: the node the scheduler selected
//              (WaitForFirstConsumer) or, for Immediate binding, the Ready schedulable node
//              holding fewest of its volumes. The volume is pre-bound to the claim (claimRef);
//              the binder completes the binding. A selected node that no longer exists is
//              removed from the claim, so that the scheduler places the pod anew.
//   delete     a Released volume whose reclaim policy is Delete is deleted. Its directory is
//              not touched: hollow nodes have none, and on a real node (the kubelet creates it,
//              DirectoryOrCreate) it stays behind until removed by hand.
// Events: Provisioning, ProvisioningSucceeded, ProvisioningFailed, VolumeFailedDelete.
import type { KubeObject } from '@k8ts/api';
import { claimReference } from '@k8ts/api/storage/bind-volume.ts';
import { nodeAffinityForNode } from '@k8ts/api/storage/node-affinity.ts';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_DYNAMICALLY_PROVISIONED,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from '@k8ts/api/storage/types.ts';
import { claimClass } from '@k8ts/api/storage/volume-matching.ts';
import {
  errorMessage,
  isAlreadyExists,
  isNotFound,
  type Clock,
  type EventRecorder,
  type Lister,
  type Logger,
  type RateLimitingQueue,
  type ResourceClient,
  type SharedIndexInformer,
} from '@k8ts/client';
import type { Controller } from '../../controller/context.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';
import { objectOf } from '../tombstone.ts';
import { keyOfClaim, VolumeEvents } from './persistent-volume-controller.ts';

export const LOCAL_PATH_PROVISIONER = 'k8ts.io/local-path';
export const LOCAL_PATH_ROOT = '/var/lib/k8ts/local-path';
const HOSTNAME_LABEL = 'kubernetes.io/hostname';

export interface Node extends KubeObject {
  spec?: { unschedulable?: boolean; [field: string]: unknown };
  status?: { conditions?: { type: string; status: string }[]; [field: string]: unknown };
}

export interface LocalPathProvisionerDeps {
  claims: SharedIndexInformer<PersistentVolumeClaim>;
  volumes: SharedIndexInformer<PersistentVolume>;
  classes: SharedIndexInformer<StorageClass>;
  nodes: SharedIndexInformer<Node>;
  volumeClient: ResourceClient<PersistentVolume>;
  /** to give a claim back to the scheduler when its selected node is gone */
  claimClient: ResourceClient<PersistentVolumeClaim>;
  /** source component "k8ts.io/local-path" */
  recorder: EventRecorder;
  /** keys "claim/<namespace>/<name>" and "volume/<name>" */
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
}

/** Where a provisioned volume lives on its node. */
export function localPath(claim: PersistentVolumeClaim, volumeName: string): string {
  return `${LOCAL_PATH_ROOT}/${claim.metadata.namespace ?? ''}_${claim.metadata.name ?? ''}_${volumeName}`;
}

/** The volume provisioned for `claim` of class `sc` on `node`, pre-bound to the claim. */
export function provisionedVolume(claim: PersistentVolumeClaim, sc: StorageClass, node: Node): PersistentVolume {
  const name = `pvc-${claim.metadata.uid ?? ''}`;
  const hostname = node.metadata.labels?.[HOSTNAME_LABEL] ?? node.metadata.name ?? '';
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [ANN_DYNAMICALLY_PROVISIONED]: LOCAL_PATH_PROVISIONER } },
    spec: {
      capacity: { storage: claim.spec?.resources?.requests?.storage ?? '0' },
      accessModes: claim.spec?.accessModes ?? [],
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: sc.metadata.name ?? '',
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
      claimRef: claimReference(claim),
      hostPath: { path: localPath(claim, name), type: 'DirectoryOrCreate' },
      nodeAffinity: nodeAffinityForNode(hostname),
      ...((sc as { mountOptions?: string[] }).mountOptions ? { mountOptions: (sc as { mountOptions?: string[] }).mountOptions } : {}),
    },
  };
}

function isReadySchedulable(node: Node): boolean {
  if (node.spec?.unschedulable) return false;
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export class LocalPathProvisioner implements Controller {
  private readonly claims: Lister<PersistentVolumeClaim>;
  private readonly volumes: Lister<PersistentVolume>;
  private readonly classes: Lister<StorageClass>;
  private readonly nodes: Lister<Node>;

  constructor(private readonly deps: LocalPathProvisionerDeps) {
    this.claims = deps.claims.lister();
    this.volumes = deps.volumes.lister();
    this.classes = deps.classes.lister();
    this.nodes = deps.nodes.lister();
    const claimKey = (claim: PersistentVolumeClaim) => `claim/${keyOfClaim(claim)}`;
    deps.claims.addEventHandler({
      onAdd: (claim) => deps.queue.add(claimKey(claim)),
      onUpdate: (_old, claim) => deps.queue.add(claimKey(claim)),
    });
    deps.volumes.addEventHandler({
      onAdd: (pv) => deps.queue.add(`volume/${pv.metadata.name ?? ''}`),
      onUpdate: (_old, pv) => deps.queue.add(`volume/${pv.metadata.name ?? ''}`),
      onDelete: (obj) => {
        // A claim whose volume vanished before binding may need a new one.
        const ref = objectOf(obj).spec?.claimRef;
        if (ref?.name) deps.queue.add(`claim/${ref.namespace ?? ''}/${ref.name}`);
      },
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { claims, volumes, classes, nodes, queue, clock, logger } = this.deps;
    logger.info(`Starting provisioner ${LOCAL_PATH_PROVISIONER}`);
    const synced = [claims, volumes, classes, nodes].map((informer) => () => informer.hasSynced());
    if (!(await waitForNamedCacheSync(LOCAL_PATH_PROVISIONER, synced, signal, logger, clock))) return;
    await runWorkers({ controller: LOCAL_PATH_PROVISIONER, queue, workers: 1, sync: (key) => this.sync(key), logger }, signal);
  }

  async sync(key: string): Promise<void> {
    const [kind, ...rest] = key.split('/');
    if (kind === 'claim') await this.syncClaim(rest[0] ?? '', rest[1] ?? '');
    else await this.syncVolume(rest[0] ?? '');
  }

  /** shouldProvision, then provision. */
  private async syncClaim(namespace: string, name: string): Promise<void> {
    const claim = this.claims.get(namespace, name);
    if (!claim || claim.metadata.deletionTimestamp || claim.spec?.volumeName) return;
    const annotations = claim.metadata.annotations ?? {};
    const asked = annotations[ANN_STORAGE_PROVISIONER] ?? annotations[ANN_BETA_STORAGE_PROVISIONER];
    if (asked !== LOCAL_PATH_PROVISIONER) return;
    const sc = this.classes.get('', claimClass(claim));
    if (!sc || sc.provisioner !== LOCAL_PATH_PROVISIONER) return;
    const selectedNode = annotations[ANN_SELECTED_NODE];
    if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !selectedNode) return;
    const volumeName = `pvc-${claim.metadata.uid ?? ''}`;
    if (this.volumes.get('', volumeName)) return;

    const typed = { ...claim, apiVersion: 'v1', kind: 'PersistentVolumeClaim' };
    const { recorder } = this.deps;
    recorder.event(typed, 'Normal', VolumeEvents.Provisioning, `External provisioner is provisioning volume for claim "${namespace}/${name}"`);
    const failed = (why: string): void =>
      recorder.event(typed, 'Warning', VolumeEvents.ProvisioningFailed, `failed to provision volume with StorageClass "${sc.metadata.name ?? ''}": ${why}`);
    if (claim.spec?.selector) {
      failed('claim Selector is not supported');
      return;
    }
    const node = selectedNode ? this.nodes.get('', selectedNode) : this.leastUsedReadyNode();
    if (!node && selectedNode) {
      // The node went away: drop the selection so that the scheduler picks another one.
      recorder.event(typed, 'Warning', VolumeEvents.ProvisioningFailed, `node "${selectedNode}" not found`);
      const rest = { ...annotations };
      delete rest[ANN_SELECTED_NODE];
      await this.deps.claimClient.namespace(namespace).update({ ...typed, metadata: { ...claim.metadata, annotations: rest } });
      return;
    }
    if (!node) {
      const why = 'no Ready schedulable node to place the volume on';
      failed(why);
      throw new Error(why);
    }
    try {
      await this.deps.volumeClient.create(provisionedVolume(claim, sc, node));
    } catch (err) {
      // Created by an earlier attempt whose answer was lost: that is success.
      if (!isAlreadyExists(err)) {
        failed(errorMessage(err));
        throw err;
      }
    }
    this.deps.logger.info(`provisioned volume "${volumeName}" for claim "${namespace}/${name}" on node "${node.metadata.name ?? ''}"`);
    recorder.event(typed, 'Normal', VolumeEvents.ProvisioningSucceeded, `Successfully provisioned volume ${volumeName}`);
  }

  /** shouldDelete, then delete: a Released volume of ours whose policy is Delete. */
  private async syncVolume(name: string): Promise<void> {
    const pv = this.volumes.get('', name);
    if (!pv || pv.metadata.deletionTimestamp) return;
    if (pv.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] !== LOCAL_PATH_PROVISIONER) return;
    if (pv.status?.phase !== 'Released' || pv.spec?.persistentVolumeReclaimPolicy !== 'Delete') return;
    try {
      await this.deps.volumeClient.delete(name, { preconditions: { uid: pv.metadata.uid } });
    } catch (err) {
      if (isNotFound(err)) return;
      this.deps.recorder.event({ ...pv, apiVersion: 'v1', kind: 'PersistentVolume' }, 'Warning', VolumeEvents.VolumeFailedDelete, errorMessage(err));
      throw err;
    }
    this.deps.logger.info(`deleted volume "${name}"`);
  }

  /** Immediate binding: spread volumes over the Ready, schedulable nodes. */
  private leastUsedReadyNode(): Node | undefined {
    const perNode = new Map<string, number>();
    for (const pv of this.volumes.list()) {
      if (pv.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] !== LOCAL_PATH_PROVISIONER) continue;
      const host = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms[0]?.matchExpressions?.[0]?.values?.[0];
      if (host) perNode.set(host, (perNode.get(host) ?? 0) + 1);
    }
    const hostnameOf = (node: Node) => node.metadata.labels?.[HOSTNAME_LABEL] ?? node.metadata.name ?? '';
    return this.nodes
      .list()
      .filter(isReadySchedulable)
      .sort((a, b) => (perNode.get(hostnameOf(a)) ?? 0) - (perNode.get(hostnameOf(b)) ?? 0) || ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1))[0];
  }
}
