// ResourceQuota: the last validating plugin. A write that would use something a quota in its
// namespace limits is measured against that quota's status.used and refused if it would go over
// (or if the quota has not been counted yet, or a pod leaves cpu/memory unstated); otherwise the
// usage is recorded in status.used before the write proceeds, so the next request sees it.
// Requests are taken one namespace at a time, and a status write that lost a race to the quota
// controller is re-checked against the fresh quota, as Kubernetes' quota evaluator does.
import { isIgnoredResource, evaluatorFor } from '@k8ts/api/quota/registry.ts';
import type { ResourceQuota } from '@k8ts/api/quota/usage.ts';
import { errors } from '../http/api-error.ts';
import { forbidden, type AdmissionAttributes, type ClusterState, type PluginFactory } from './attributes.ts';
import { checkRequest, type QuotaRequest } from './resource-quota-check.ts';

const RESOURCE_QUOTAS = { group: '', resource: 'resourcequotas' };
/** Kubernetes re-checks quotas whose status write conflicted this many times before failing. */
const STATUS_WRITE_RETRIES = 3;

/** Runs one task at a time per key; tasks for other keys run alongside. */
class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/** The namespace's quotas as stored now (the cache names them; the store has their latest usage). */
async function currentQuotas(state: ClusterState, namespace: string, names?: ReadonlySet<string>): Promise<ResourceQuota[]> {
  const listed = (await state.list(RESOURCE_QUOTAS, namespace)).filter((q) => !names || names.has(q.metadata.name ?? ''));
  const fresh = await Promise.all(listed.map((q) => state.getLive(RESOURCE_QUOTAS, namespace, q.metadata.name ?? '')));
  return fresh.filter((q): q is ResourceQuota => q !== undefined);
}

export const resourceQuota: PluginFactory = ({ state }) => {
  const namespaces = new KeyedSerializer();

  async function evaluate(attributes: AdmissionAttributes, request: QuotaRequest): Promise<void> {
    const evaluator = evaluatorFor(attributes.resource.group, attributes.resource.resource);
    let quotas = await currentQuotas(state, attributes.namespace);
    for (let retries = STATUS_WRITE_RETRIES; ; retries--) {
      if (quotas.length === 0) return;
      const decision = checkRequest(quotas, request, evaluator, new Date());
      if (!decision.allowed) throw forbidden(attributes, decision.reason);
      if (attributes.dryRun) return;
      const failed = new Set<string>();
      for (const [index, updated] of decision.quotas.entries()) {
        if (updated === quotas[index]) continue;
        const written = await state.updateStatus(RESOURCE_QUOTAS, updated);
        if (!written) failed.add(updated.metadata.name ?? '');
      }
      if (failed.size === 0) return;
      if (retries === 0) throw errors.modified(RESOURCE_QUOTAS, [...failed][0]!);
      // The quotas written are settled; only the ones that moved on are checked again.
      quotas = await currentQuotas(state, attributes.namespace, failed);
    }
  }

  return {
    name: 'ResourceQuota',
    operations: ['CREATE', 'UPDATE'],
    async validate(attributes) {
      const { namespace, resource, object } = attributes;
      if (attributes.subresource !== '' || namespace === '' || !object) return;
      // A namespace is not charged to itself.
      if (resource.group === '' && resource.resource === 'namespaces') return;
      if (isIgnoredResource(resource.group, resource.resource)) return;
      if (!evaluatorFor(resource.group, resource.resource).handles(attributes.operation, attributes.subresource)) return;
      // Most namespaces have no quota: their writes need not wait for one another.
      if ((await state.list(RESOURCE_QUOTAS, namespace)).length === 0) return;
      const request: QuotaRequest = {
        operation: attributes.operation,
        subresource: attributes.subresource,
        object: { ...object, metadata: { ...object.metadata, namespace: object.metadata.namespace ?? namespace } },
        ...(attributes.oldObject ? { oldObject: attributes.oldObject } : {}),
      };
      await namespaces.run(namespace, () => evaluate(attributes, request));
    },
  };
};
