import type { KubeObject, Status } from '@k8ts/api';
import { isNotFound } from '@k8ts/client';
import { describe, expect, it } from 'vitest';
import { namespace } from '../testing/fixtures.ts';
import { ControllerHarness } from '../testing/harness.ts';
import { newControllerRef, PodControl, podFromTemplate } from './pod-control.ts';
import type { Pod, PodTemplateSpec } from './workload-types.ts';

const RS_KIND = { group: 'apps', version: 'v1', kind: 'ReplicaSet' };
const owner: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-5d59d67564', namespace: 'default', uid: 'rs-uid' } };
const template: PodTemplateSpec = {
  metadata: { labels: { app: 'web', 'pod-template-hash': '5d59d67564' }, annotations: { note: 'x' }, finalizers: ['example.com/keep'] },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
};

function setup(ns = namespace('default')) {
  const h = new ControllerHarness(ns);
  const recorder = h.recorder('replicaset-controller');
  const control = new PodControl({ pods: h.client.forKind<Pod>({ group: '', version: 'v1', kind: 'Pod' }), recorder, logger: h.logger });
  return { h, recorder, control };
}

function failure(code: number, reason: string, message: string, causes?: { reason: string }[]): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message, ...(causes ? { details: { causes } } : {}) };
}

describe('podFromTemplate', () => {
  it('stamps the template with generateName "<owner>-" and the controller reference, copying rather than sharing', () => {
    const pod = podFromTemplate(template, owner, newControllerRef(owner, RS_KIND));
    expect(pod).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: 'web-5d59d67564-',
        labels: { app: 'web', 'pod-template-hash': '5d59d67564' },
        annotations: { note: 'x' },
        finalizers: ['example.com/keep'],
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d59d67564', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }],
      },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
    });
    pod.metadata.labels!.app = 'changed';
    (pod.spec as { containers: { image: string }[] }).containers[0]!.image = 'changed';
    expect(template.metadata!.labels!.app).toBe('web');
    expect((template.spec as { containers: { image: string }[] }).containers[0]!.image).toBe('nginx:1.27');
  });

  it('drops the dash when "<owner>-" would be too long a name', () => {
    const long = { ...owner, metadata: { ...owner.metadata, name: 'a'.repeat(253) } };
    expect(podFromTemplate(template, long).metadata.generateName).toBe('a'.repeat(253));
  });
});

describe('PodControl', () => {
  it('creates the pod and records SuccessfulCreate on the owner', async () => {
    const { h, recorder, control } = setup();
    await control.createPods('default', template, owner, newControllerRef(owner, RS_KIND));
    await recorder.flush();
    const [pod] = h.api.list<Pod>('v1', 'Pod');
    expect(pod!.metadata.ownerReferences?.[0]?.uid).toBe('rs-uid');
    expect(h.eventLines()).toEqual([`Normal SuccessfulCreate Created pod: ${pod!.metadata.name}`]);
  });

  it('uses a chosen generateName', async () => {
    const { h, control } = setup();
    await control.createPodsWithGenerateName('default', template, owner, newControllerRef(owner, RS_KIND), 'pi-');
    expect(h.api.list<Pod>('v1', 'Pod')[0]!.metadata.generateName).toBe('pi-');
  });

  it('refuses a template without labels', async () => {
    const { h, control } = setup();
    await expect(control.createPods('default', { spec: {} }, owner, newControllerRef(owner, RS_KIND))).rejects.toThrow('unable to create pods, no labels');
    expect(h.api.writes()).toEqual([]);
  });

  it('records FailedCreate with the API error, except when the namespace is terminating', async () => {
    const { h, recorder, control } = setup();
    h.api.failNext('create', 'pods', failure(403, 'Forbidden', 'pods "web-abcde" is forbidden: exceeded quota: q'));
    await expect(control.createPods('default', template, owner, newControllerRef(owner, RS_KIND))).rejects.toThrow('exceeded quota');
    h.api.failNext('create', 'pods', failure(403, 'Forbidden', 'unable to create new content in namespace default because it is being terminated', [{ reason: 'NamespaceTerminating' }]));
    await expect(control.createPods('default', template, owner, newControllerRef(owner, RS_KIND))).rejects.toThrow('being terminated');
    await recorder.flush();
    expect(h.eventLines()).toEqual(['Warning FailedCreate Error creating: pods "web-abcde" is forbidden: exceeded quota: q']);
  });

  it('deletes with SuccessfulDelete; a pod already gone is NotFound without an event; other failures are FailedDelete', async () => {
    const { h, recorder, control } = setup();
    const plain: PodTemplateSpec = { metadata: { labels: { app: 'web' } }, spec: template.spec };
    await control.createPods('default', plain, owner, newControllerRef(owner, RS_KIND));
    const name = h.api.list<Pod>('v1', 'Pod')[0]!.metadata.name!;
    await control.deletePod('default', name, owner);
    expect(h.api.list('v1', 'Pod')).toEqual([]);
    const gone = await control.deletePod('default', name, owner).catch((err: unknown) => err);
    expect(isNotFound(gone)).toBe(true);
    h.api.failNext('delete', 'pods', failure(500, 'InternalError', 'etcdserver: request timed out'));
    await expect(control.deletePod('default', 'other', owner)).rejects.toThrow('unable to delete pods: etcdserver: request timed out');
    await recorder.flush();
    expect(h.eventLines()).toEqual([
      `Normal SuccessfulCreate Created pod: ${name}`,
      `Normal SuccessfulDelete Deleted pod: ${name}`,
      'Warning FailedDelete Error deleting: etcdserver: request timed out',
    ]);
  });
});
