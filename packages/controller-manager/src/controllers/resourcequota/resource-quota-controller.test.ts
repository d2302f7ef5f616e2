import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import type { ResourceQuota } from '@k8ts/api/quota/usage.ts';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { RESOURCE_QUOTA_KIND, ResourceQuotaController, type MonitoredResource } from './resource-quota-controller.ts';

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

const PODS = { group: '', version: 'v1', kind: 'Pod' };
const DEPLOYMENTS = { group: 'apps', version: 'v1', kind: 'Deployment' };

function quota(name: string, hard: Record<string, string>, spec: Record<string, unknown> = {}): ResourceQuota {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: 'dev' }, spec: { hard, ...spec } };
}
function pod(name: string, cpu: string, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'dev' },
    spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu, memory: '64Mi' }, limits: { cpu, memory: '64Mi' } } }] },
    status: { phase: 'Running' },
    ...extra,
  };
}
const deployment = (name: string): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'dev' }, spec: {} });

function start(h: ControllerHarness, listed: string[] = []): ResourceQuotaController {
  const monitored: MonitoredResource[] = [
    { group: '', resource: 'pods', informer: h.informers.forKind<KubeObject>(PODS) },
    { group: 'apps', resource: 'deployments', informer: h.informers.forKind<KubeObject>(DEPLOYMENTS) },
  ];
  return new ResourceQuotaController({
    resourceQuotas: h.informers.forKind<ResourceQuota>(RESOURCE_QUOTA_KIND),
    monitored,
    async listUnmonitored(group, resource, ns) {
      listed.push(`${group}/${resource} in ${ns}`);
      if (resource !== 'jobs') return undefined;
      return (await h.client.forKind({ group, version: 'v1', kind: 'Job' }).namespace(ns).list()).items;
    },
    quotaClient: h.client.forKind<ResourceQuota>(RESOURCE_QUOTA_KIND),
    queue: h.newQueue('resourcequota_primary'),
    priorityQueue: h.newQueue('resourcequota_priority'),
    workers: 2,
    resyncPeriodMs: 300_000,
    clock: h.clock,
    logger: h.logger,
  });
}

const statusOf = (h: ControllerHarness, name: string) => h.api.get<ResourceQuota>('v1', 'ResourceQuota', 'dev', name)?.status;

describe('ResourceQuotaController', () => {
  it('copies spec.hard to status and counts what the namespace already uses', async () => {
    const h = (harness = new ControllerHarness(
      namespace('dev'),
      quota('compute', { pods: '10', 'requests.cpu': '2', 'limits.memory': '1Gi', 'count/deployments.apps': '3', services: '5' }),
      pod('a', '500m'),
      pod('b', '250m'),
      pod('done', '1', { status: { phase: 'Succeeded' } }),
      deployment('web'),
    ));
    await h.start(start(h));
    await h.until(() => statusOf(h, 'compute')?.used !== undefined, 'status.used');
    expect(statusOf(h, 'compute')).toEqual({
      hard: { 'count/deployments.apps': '3', 'limits.memory': '1Gi', pods: '10', 'requests.cpu': '2', services: '5' },
      used: { 'count/deployments.apps': '1', 'limits.memory': '128Mi', pods: '2', 'requests.cpu': '750m' },
    });
    expect(h.logs).toContain('I Caches are synced for resource quota');
  });

  it('gives usage back when a pod is deleted or finishes, and when a deployment goes', async () => {
    const h = (harness = new ControllerHarness(namespace('dev'), quota('q', { pods: '10', 'count/deployments.apps': '2' }), pod('a', '1'), pod('b', '1'), deployment('web')));
    await h.start(start(h));
    await h.until(() => statusOf(h, 'q')?.used?.pods === '2', 'two pods counted');
    await h.client.forKind(PODS).namespace('dev').delete('a', { gracePeriodSeconds: 0 });
    await h.until(() => statusOf(h, 'q')?.used?.pods === '1', 'pod a given back');
    const b = h.api.get('v1', 'Pod', 'dev', 'b')!;
    await h.client.forKind(PODS).namespace('dev').updateStatus({ ...b, status: { phase: 'Succeeded' } });
    await h.until(() => statusOf(h, 'q')?.used?.pods === '0', 'finished pod given back');
    await h.client.forKind(DEPLOYMENTS).namespace('dev').delete('web');
    await h.until(() => statusOf(h, 'q')?.used?.['count/deployments.apps'] === '0', 'deployment given back');
  });

  it('leaves creations to admission until the periodic full recount', async () => {
    const h = (harness = new ControllerHarness(namespace('dev'), quota('q', { pods: '10' })));
    await h.start(start(h));
    await h.until(() => statusOf(h, 'q')?.used?.pods === '0', 'first count');
    await h.client.forKind(PODS).namespace('dev').create(pod('late', '1'));
    await h.settle(10_000);
    expect(statusOf(h, 'q')?.used?.pods).toBe('0');
    await h.until(() => statusOf(h, 'q')?.used?.pods === '1', 'recount after the sync period', 300_000);
  });

  it('recounts when spec.hard changes, dropping usage of names no longer limited', async () => {
    const h = (harness = new ControllerHarness(namespace('dev'), quota('q', { pods: '10', 'requests.cpu': '4' }), pod('a', '1')));
    await h.start(start(h));
    await h.until(() => statusOf(h, 'q')?.used?.['requests.cpu'] === '1', 'first count');
    const current = h.api.get<ResourceQuota>('v1', 'ResourceQuota', 'dev', 'q')!;
    await h.client.forKind<ResourceQuota>(RESOURCE_QUOTA_KIND).namespace('dev').update({ ...current, spec: { hard: { 'limits.cpu': '4' } } });
    await h.until(() => statusOf(h, 'q')?.hard?.['limits.cpu'] === '4', 'new hard');
    expect(statusOf(h, 'q')).toEqual({ hard: { 'limits.cpu': '4' }, used: { 'limits.cpu': '1' } });
  });

  it('counts kinds without an informer by listing them, and keeps what it cannot list', async () => {
    const listed: string[] = [];
    const job: KubeObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'dev' }, spec: {} };
    const h = (harness = new ControllerHarness(namespace('dev'), quota('q', { 'count/jobs.batch': '2', 'count/widgets.example.com': '1' }), job));
    await h.start(start(h, listed));
    await h.until(() => statusOf(h, 'q')?.used !== undefined, 'status.used');
    expect(statusOf(h, 'q')?.used).toEqual({ 'count/jobs.batch': '1' });
    expect(listed).toEqual(['batch/jobs in dev', 'example.com/widgets in dev']);
  });
});
