// The ResourceQuota controller: keeps every quota's status true. status.hard follows spec.hard;
// status.used is recounted from scratch — listing the namespace's objects of each kind the quota
// limits and adding up what each uses (the same evaluators admission charges with). Admission
// adds to status.used as objects are created; this controller is what gives usage back when
// they go away. Keys are "namespace/name". A quota is queued when its spec.hard changes (quotas
// whose usage was never counted go to a priority queue first), when an object it limits is
// deleted or stops being charged, and every resync period (--resource-quota-sync-period, 5m).
import type { KubeObject } from '@k8ts/api';
import type { QuotaEvaluator } from '@k8ts/api/quota/evaluator.ts';
import { evaluatorsFor } from '@k8ts/api/quota/registry.ts';
import { equals, mask, parseResourceList, resourceListJson } from '@k8ts/api/quota/resource-list.ts';
import { calculateUsage, statusHard, statusUsed, type ResourceQuota } from '@k8ts/api/quota/usage.ts';
import { sleep, type Clock, type Lister, type Logger, type RateLimitingQueue, type ResourceClient, type SharedIndexInformer } from '@k8ts/client';
import type { Controller } from '../../controller/context.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';
import { objectOf } from '../tombstone.ts';
import { requiresReplenishment } from './replenishment.ts';

export const RESOURCE_QUOTA_CONTROLLER = 'resourcequota-controller';
export const RESOURCE_QUOTA_KIND = { group: '', version: 'v1', kind: 'ResourceQuota' };
/** kube-controller-manager's --resource-quota-sync-period default. */
export const RESOURCE_QUOTA_SYNC_PERIOD_MS = 5 * 60_000;

/** A kind whose objects quota counts, watched so that deletions give quota back. */
export interface MonitoredResource {
  group: string;
  resource: string;
  informer: SharedIndexInformer<KubeObject>;
}

export interface ResourceQuotaControllerDeps {
  resourceQuotas: SharedIndexInformer<ResourceQuota>;
  monitored: readonly MonitoredResource[];
  /**
   * A namespace's objects of a kind no informer watches (a "count/<resource>.<group>" quota on
   * some other kind), read from the apiserver; undefined when the kind cannot be listed.
   */
  listUnmonitored(group: string, resource: string, namespace: string): Promise<KubeObject[] | undefined>;
  quotaClient: ResourceClient<ResourceQuota>;
  /** "resourcequota_primary" */
  queue: RateLimitingQueue<string>;
  /** "resourcequota_priority": quotas whose usage has never been counted */
  priorityQueue: RateLimitingQueue<string>;
  /** --concurrent-resource-quota-syncs, for each queue */
  workers: number;
  resyncPeriodMs?: number;
  clock: Clock;
  logger: Logger;
}

function keyOf(quota: KubeObject): string {
  return `${quota.metadata.namespace ?? ''}/${quota.metadata.name ?? ''}`;
}

function sameHard(a: ResourceQuota, b: ResourceQuota): boolean {
  return equals(parseResourceList(a.spec?.hard), parseResourceList(b.spec?.hard));
}

export class ResourceQuotaController implements Controller {
  private readonly quotas: Lister<ResourceQuota>;
  private readonly listers = new Map<string, Lister<KubeObject>>();

  constructor(private readonly deps: ResourceQuotaControllerDeps) {
    this.quotas = deps.resourceQuotas.lister();
    deps.resourceQuotas.addEventHandler({
      onAdd: (quota) => this.addQuota(quota),
      // Status writes (ours and admission's) need no recount; a new spec.hard does.
      onUpdate: (old, current) => {
        if (!sameHard(old, current)) this.addQuota(current);
      },
      onDelete: (obj) => deps.queue.add(keyOf(objectOf(obj))),
    });
    for (const { group, resource, informer } of deps.monitored) {
      this.listers.set(`${group}/${resource}`, informer.lister());
      informer.addEventHandler({
        onUpdate: (old, current) => {
          if (requiresReplenishment(group, resource, old, current, new Date(deps.clock.now()))) this.replenish(group, resource, current.metadata.namespace ?? '');
        },
        onDelete: (obj) => this.replenish(group, resource, objectOf(obj).metadata.namespace ?? ''),
      });
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    const { resourceQuotas, monitored, queue, priorityQueue, workers, clock, logger } = this.deps;
    logger.info('Starting resource quota controller');
    const synced = [() => resourceQuotas.hasSynced(), ...monitored.map((m) => () => m.informer.hasSynced())];
    if (!(await waitForNamedCacheSync('resource quota', synced, signal, logger, clock))) return;
    const sync = (key: string) => this.syncResourceQuota(key);
    await Promise.all([
      runWorkers({ controller: RESOURCE_QUOTA_CONTROLLER, queue, workers, sync, logger }, signal),
      runWorkers({ controller: RESOURCE_QUOTA_CONTROLLER, queue: priorityQueue, workers, sync, logger }, signal),
      this.resyncPeriodically(signal),
    ]);
  }

  /** Queues every quota for a full recount each sync period. */
  private async resyncPeriodically(signal: AbortSignal): Promise<void> {
    const period = this.deps.resyncPeriodMs ?? RESOURCE_QUOTA_SYNC_PERIOD_MS;
    while (await sleep(this.deps.clock, period, signal)) {
      for (const quota of this.quotas.list()) this.deps.queue.add(keyOf(quota));
    }
  }

  /** A quota not yet counted (or with a limit it has no usage for) jumps the queue. */
  private addQuota(quota: ResourceQuota): void {
    const key = keyOf(quota);
    const hard = statusHard(quota);
    const used = statusUsed(quota);
    const uncounted =
      !equals(parseResourceList(quota.spec?.hard), hard) ||
      Object.keys(hard).some((name) => used[name] === undefined && evaluatorsFor([name]).length > 0);
    (uncounted ? this.deps.priorityQueue : this.deps.queue).add(key);
  }

  /** Queues the namespace's quotas that limit something of this kind. */
  private replenish(group: string, resource: string, namespace: string): void {
    for (const quota of this.quotas.byNamespace(namespace).list()) {
      const limited = Object.keys(statusHard(quota));
      if (evaluatorsFor(limited).some((e) => e.group === group && e.resource === resource)) this.deps.queue.add(keyOf(quota));
    }
  }

  /** Recounts one quota and writes its status when anything changed. */
  async syncResourceQuota(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const quota = this.quotas.get(namespace, name);
    if (!quota) {
      this.deps.logger.info(`Resource quota has been deleted ${key}`);
      return;
    }
    const hard = parseResourceList(quota.spec?.hard);
    const evaluators = evaluatorsFor(Object.keys(hard));
    const objects = new Map<QuotaEvaluator, readonly KubeObject[]>();
    const counted: QuotaEvaluator[] = [];
    for (const evaluator of evaluators) {
      const found = await this.objectsOf(evaluator, namespace);
      if (!found) continue; // its names keep the usage recorded so far
      objects.set(evaluator, found);
      counted.push(evaluator);
    }
    const recounted = calculateUsage(quota, counted, (e) => objects.get(e) ?? [], new Date(this.deps.clock.now()));
    const used = mask({ ...statusUsed(quota), ...recounted }, Object.keys(hard));
    const dirty =
      quota.status?.hard === undefined ||
      quota.status?.used === undefined ||
      !equals(hard, statusHard(quota)) ||
      !equals(used, statusUsed(quota));
    if (!dirty) return;
    await this.deps.quotaClient.namespace(namespace).updateStatus({
      ...quota,
      status: { hard: resourceListJson(hard), used: resourceListJson(used) },
    });
  }

  private async objectsOf(evaluator: QuotaEvaluator, namespace: string): Promise<readonly KubeObject[] | undefined> {
    const lister = this.listers.get(`${evaluator.group}/${evaluator.resource}`);
    if (lister) return lister.byNamespace(namespace).list();
    return this.deps.listUnmonitored(evaluator.group, evaluator.resource, namespace);
  }
}
