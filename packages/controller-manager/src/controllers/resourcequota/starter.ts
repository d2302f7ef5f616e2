// How the controller manager starts the ResourceQuota controller: quotas and the kinds whose
// deletions give quota back from the shared informers, anything else a quota counts listed on
// demand, status written as the "resourcequota-controller" ServiceAccount (its role may list
// and watch everything and update resourcequotas/status), --concurrent-resource-quota-syncs
// workers on each of the "resourcequota_primary" and "resourcequota_priority" queues.
import type { KubeObject } from '@k8ts/api';
import { schema } from '@k8ts/api';
import type { ResourceQuota } from '@k8ts/api/quota/usage.ts';
import type { ControllerStarter } from '../../controller/context.ts';
import { RESOURCE_QUOTA_CONTROLLER, RESOURCE_QUOTA_KIND, ResourceQuotaController, type MonitoredResource } from './resource-quota-controller.ts';

/** The kinds watched for replenishment: quota's own evaluators' kinds and the common workloads. */
const MONITORED_KINDS = [
  { group: '', version: 'v1', kind: 'Pod', resource: 'pods' },
  { group: '', version: 'v1', kind: 'Service', resource: 'services' },
  { group: '', version: 'v1', kind: 'PersistentVolumeClaim', resource: 'persistentvolumeclaims' },
  { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps' },
  { group: '', version: 'v1', kind: 'Secret', resource: 'secrets' },
  { group: '', version: 'v1', kind: 'ReplicationController', resource: 'replicationcontrollers' },
  { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments' },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', resource: 'replicasets' },
  { group: 'apps', version: 'v1', kind: 'StatefulSet', resource: 'statefulsets' },
  { group: 'apps', version: 'v1', kind: 'DaemonSet', resource: 'daemonsets' },
  { group: 'batch', version: 'v1', kind: 'Job', resource: 'jobs' },
  { group: 'batch', version: 'v1', kind: 'CronJob', resource: 'cronjobs' },
];

export const resourceQuotaStarter: ControllerStarter = {
  name: RESOURCE_QUOTA_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('resourcequota-controller');
    const resourceQuotas = ctx.informers.forKind<ResourceQuota>(RESOURCE_QUOTA_KIND);
    const monitored: MonitoredResource[] = [
      ...MONITORED_KINDS.map(({ group, version, kind, resource }) => ({ group, resource, informer: ctx.informers.forKind<KubeObject>({ group, version, kind }) })),
      { group: '', resource: 'resourcequotas', informer: resourceQuotas },
    ];
    return new ResourceQuotaController({
      resyncPeriodMs: ctx.options.resourceQuotaSyncPeriodMs,
      resourceQuotas,
      monitored,
      async listUnmonitored(group, resource, namespace) {
        const info = schema.resources.find((r) => r.group === group && r.resource === resource && r.namespaced);
        if (!info) return undefined;
        const list = await client.forKind({ group, version: info.version, kind: info.kind }).namespace(namespace).list();
        return list.items;
      },
      quotaClient: client.forKind<ResourceQuota>(RESOURCE_QUOTA_KIND),
      queue: ctx.newQueue('resourcequota_primary'),
      priorityQueue: ctx.newQueue('resourcequota_priority'),
      workers: ctx.options.concurrency['concurrent-resource-quota-syncs'],
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};
