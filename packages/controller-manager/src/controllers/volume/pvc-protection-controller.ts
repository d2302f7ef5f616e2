// The PersistentVolumeClaim protection controller ("persistentvolumeclaim-protection-
// controller"): a claim a running pod uses must not disappear under it. Every claim carries the
// finalizer kubernetes.io/pvc-protection (added here to claims that lack it); a claim being
// deleted keeps it — staying Terminating — while a pod scheduled to a node and not finished
// uses it, and loses it once none does. "In use" is decided from the informer and, before the
// finalizer goes, confirmed with a live list of the namespace's pods, since a pod the informer
// has not shown yet may already use the claim. Keys are "namespace/name" of claims; pod changes
// queue the claims the pod names.
import type { KubeObject } from '@k8ts/api';
import { podClaims } from '@k8ts/api/storage/pod-claims.ts';
import type { PersistentVolumeClaim } from '@k8ts/api/storage/types.ts';
import { isNotFound, type Clock, type Lister, type Logger, type RateLimitingQueue, type ResourceClient, type SharedIndexInformer } from '@k8ts/client';
import type { Controller } from '../../controller/context.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';
import type { Pod } from '../../controller/workload-types.ts';
import { objectOf } from '../tombstone.ts';

export const PVC_PROTECTION_CONTROLLER = 'persistentvolumeclaim-protection-controller';
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';

export interface PvcProtectionControllerDeps {
  claims: SharedIndexInformer<PersistentVolumeClaim>;
  pods: SharedIndexInformer<Pod>;
  claimClient: ResourceClient<PersistentVolumeClaim>;
  podClient: ResourceClient<Pod>;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
}

/** A pod on a node that has not finished holds the claims it names. */
export function podUsesClaim(pod: Pod, claimName: string): boolean {
  if (!pod.spec?.nodeName) return false;
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return false;
  return podClaims(pod).some((c) => c.name === claimName);
}

function withoutFinalizer(claim: PersistentVolumeClaim): PersistentVolumeClaim {
  const finalizers = (claim.metadata.finalizers ?? []).filter((f) => f !== PVC_PROTECTION_FINALIZER);
  return { ...claim, apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { ...claim.metadata, finalizers } };
}

export class PvcProtectionController implements Controller {
  private readonly claims: Lister<PersistentVolumeClaim>;
  private readonly pods: Lister<Pod>;

  constructor(private readonly deps: PvcProtectionControllerDeps) {
    this.claims = deps.claims.lister();
    this.pods = deps.pods.lister();
    const enqueue = (claim: KubeObject) => deps.queue.add(`${claim.metadata.namespace ?? ''}/${claim.metadata.name ?? ''}`);
    deps.claims.addEventHandler({ onAdd: enqueue, onUpdate: (_old, claim) => enqueue(claim) });
    const podChanged = (pod: Pod) => {
      for (const { name } of podClaims(pod)) deps.queue.add(`${pod.metadata.namespace ?? ''}/${name}`);
    };
    deps.pods.addEventHandler({ onAdd: podChanged, onUpdate: (_old, pod) => podChanged(pod), onDelete: (obj) => podChanged(objectOf(obj)) });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { claims, pods, queue, clock, logger } = this.deps;
    logger.info(`Starting controller ${PVC_PROTECTION_CONTROLLER}`);
    if (!(await waitForNamedCacheSync('PVC protection', [() => claims.hasSynced(), () => pods.hasSynced()], signal, logger, clock))) return;
    await runWorkers({ controller: PVC_PROTECTION_CONTROLLER, queue, workers: 1, sync: (key) => this.sync(key), logger }, signal);
  }

  async sync(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const claim = this.claims.get(namespace, name);
    if (!claim) return;
    const protectedClaim = (claim.metadata.finalizers ?? []).includes(PVC_PROTECTION_FINALIZER);
    const client = this.deps.claimClient.namespace(namespace);
    if (!claim.metadata.deletionTimestamp) {
      if (protectedClaim) return;
      await client.update({ ...claim, apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { ...claim.metadata, finalizers: [...(claim.metadata.finalizers ?? []), PVC_PROTECTION_FINALIZER] } });
      return;
    }
    if (!protectedClaim) return;
    if (this.pods.byNamespace(namespace).list().some((pod) => podUsesClaim(pod, name))) return;
    // The informer may lag behind a pod just bound: ask the apiserver before letting go.
    const live = await this.deps.podClient.namespace(namespace).list();
    if (live.items.some((pod) => podUsesClaim(pod, name))) return;
    try {
      await client.update(withoutFinalizer(claim));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    this.deps.logger.info(`Removed protection finalizer from PVC ${key}`);
  }
}
