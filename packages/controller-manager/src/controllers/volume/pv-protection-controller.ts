// The PersistentVolume protection controller ("persistentvolume-protection-controller"): a
// volume bound to a claim must not disappear under it. Every volume carries the finalizer
// kubernetes.io/pv-protection (added here to volumes that lack it); a volume being deleted
// keeps it — staying Terminating — while it is Bound, and loses it once it is not.
import type { PersistentVolume } from '@k8ts/api/storage/types.ts';
import { isNotFound, type Clock, type Lister, type Logger, type RateLimitingQueue, type ResourceClient, type SharedIndexInformer } from '@k8ts/client';
import type { Controller } from '../../controller/context.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';

export const PV_PROTECTION_CONTROLLER = 'persistentvolume-protection-controller';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

export interface PvProtectionControllerDeps {
  volumes: SharedIndexInformer<PersistentVolume>;
  volumeClient: ResourceClient<PersistentVolume>;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
}

export class PvProtectionController implements Controller {
  private readonly volumes: Lister<PersistentVolume>;

  constructor(private readonly deps: PvProtectionControllerDeps) {
    this.volumes = deps.volumes.lister();
    deps.volumes.addEventHandler({
      onAdd: (pv) => deps.queue.add(pv.metadata.name ?? ''),
      onUpdate: (_old, pv) => deps.queue.add(pv.metadata.name ?? ''),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { volumes, queue, clock, logger } = this.deps;
    logger.info(`Starting controller ${PV_PROTECTION_CONTROLLER}`);
    if (!(await waitForNamedCacheSync('PV protection', [() => volumes.hasSynced()], signal, logger, clock))) return;
    await runWorkers({ controller: PV_PROTECTION_CONTROLLER, queue, workers: 1, sync: (name) => this.sync(name), logger }, signal);
  }

  async sync(name: string): Promise<void> {
    const pv = this.volumes.get('', name);
    if (!pv) return;
    const finalizers = pv.metadata.finalizers ?? [];
    const typed = { ...pv, apiVersion: 'v1', kind: 'PersistentVolume' };
    if (!pv.metadata.deletionTimestamp) {
      if (finalizers.includes(PV_PROTECTION_FINALIZER)) return;
      await this.deps.volumeClient.update({ ...typed, metadata: { ...pv.metadata, finalizers: [...finalizers, PV_PROTECTION_FINALIZER] } });
      return;
    }
    if (!finalizers.includes(PV_PROTECTION_FINALIZER) || pv.status?.phase === 'Bound') return;
    try {
      await this.deps.volumeClient.update({ ...typed, metadata: { ...pv.metadata, finalizers: finalizers.filter((f) => f !== PV_PROTECTION_FINALIZER) } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    this.deps.logger.info(`Removed protection finalizer from PV ${name}`);
  }
}
