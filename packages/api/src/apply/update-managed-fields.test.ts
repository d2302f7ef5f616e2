import { describe, expect, it } from 'vitest';
import type { KubeObject, ManagedFieldsEntry } from '../object.ts';
import { schema } from '../schema/registry.ts';
import { ApplyConflictError, LAST_APPLIED_ANNOTATION, serverSideApply, updateManagedFields } from './index.ts';

const deploymentSchema = schema.kindSchema({ group: 'apps', version: 'v1', kind: 'Deployment' })!;
const podSchema = schema.kindSchema({ group: '', version: 'v1', kind: 'Pod' })!;
const at = (minute: number) => new Date(Date.UTC(2024, 4, 1, 10, minute, 0, 500));
const update = (manager: string, minute: number, extra: { subresource?: string } = {}) => ({
  manager,
  apiVersion: 'apps/v1',
  now: at(minute),
  message: deploymentSchema,
  ...extra,
});

// What `kubectl apply -f` (client-side) sends for a manifest without replicas, after defaulting.
const manifest = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
};
function clientSideApplied(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', annotations: { [LAST_APPLIED_ANNOTATION]: `${JSON.stringify(manifest)}\n` } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'nginx', image: 'nginx', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
          restartPolicy: 'Always',
        },
      },
    },
  };
}

/** The stored object after a write: managedFields recorded, plus the server's uid. */
function stored(object: KubeObject): KubeObject {
  return { ...object, metadata: { ...object.metadata, uid: 'uid-1', resourceVersion: '1' } };
}

function entries(object: KubeObject): Pick<ManagedFieldsEntry, 'manager' | 'operation' | 'subresource' | 'time'>[] {
  return (object.metadata.managedFields ?? []).map(({ manager, operation, subresource, time }) => ({
    manager,
    operation,
    ...(subresource ? { subresource } : {}),
    time,
  }));
}

function withReplicas(object: KubeObject, replicas: number): KubeObject {
  return { ...object, spec: { ...(object.spec as object), replicas } };
}

describe('updateManagedFields', () => {
  it('records a create as the creator owning every field it set, defaults included', () => {
    const created = updateManagedFields(undefined, clientSideApplied(), update('kubectl-client-side-apply', 0));
    expect(created.metadata.managedFields).toEqual([
      {
        manager: 'kubectl-client-side-apply',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: '2024-05-01T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:annotations': { '.': {}, [`f:${LAST_APPLIED_ANNOTATION}`]: {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': {
                    '.': {},
                    'f:image': {},
                    'f:imagePullPolicy': {},
                    'f:name': {},
                    'f:resources': {},
                    'f:terminationMessagePath': {},
                    'f:terminationMessagePolicy': {},
                  },
                },
                'f:restartPolicy': {},
              },
            },
          },
        },
      },
    ]);
    // the object itself is untouched apart from managedFields
    expect({ ...created, metadata: { ...created.metadata, managedFields: undefined } }).toEqual({
      ...clientSideApplied(),
      metadata: { ...clientSideApplied().metadata, managedFields: undefined },
    });
  });

  it('moves a changed field to the writer, and an apply then conflicts with the writer', () => {
    const created = stored(updateManagedFields(undefined, clientSideApplied(), update('kubectl-client-side-apply', 0)));
    const scaled = stored(updateManagedFields(created, withReplicas(created, 5), update('kubectl-scale', 1, { subresource: 'scale' })));
    expect(entries(scaled)).toEqual([
      { manager: 'kubectl-client-side-apply', operation: 'Update', time: '2024-05-01T10:00:00Z' },
      { manager: 'kubectl-scale', operation: 'Update', subresource: 'scale', time: '2024-05-01T10:01:00Z' },
    ]);
    expect(scaled.metadata.managedFields![0].fieldsV1!['f:spec']).not.toHaveProperty('f:replicas');
    expect(scaled.metadata.managedFields![1].fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });

    const applied = withReplicas({ ...manifest } as KubeObject, 2);
    const err = (() => {
      try {
        serverSideApply(scaled, applied, { ...update('kubectl', 2), force: false });
      } catch (e) {
        return e as ApplyConflictError;
      }
    })();
    expect(err?.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-scale" with subresource "scale" using apps/v1: .spec.replicas');
  });

  it('lets kubectl --server-side take over what client-side apply last applied, but not a defaulted field', () => {
    const created = stored(updateManagedFields(undefined, clientSideApplied(), update('kubectl-client-side-apply', 0)));
    // Same manifest with a new image: the annotation vouches for the image, so no conflict.
    const newImage = structuredClone(manifest) as any;
    newImage.spec.template.spec.containers[0].image = 'nginx:1.27';
    const upgraded = serverSideApply(created, newImage, { ...update('kubectl', 1), force: false });
    expect((upgraded.spec as any).template.spec.containers[0].image).toBe('nginx:1.27');
    // kept in step with what was applied, encoded as Go does (sorted keys, trailing newline)
    expect(upgraded.metadata.annotations![LAST_APPLIED_ANNOTATION]).toBe(
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},"spec":{"selector":{"matchLabels":{"app":"web"}},' +
        '"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx:1.27","name":"nginx"}]}}}}\n',
    );
    // replicas was defaulted, not in the last applied configuration: a real conflict
    expect(() => serverSideApply(created, withReplicas(newImage, 3), { ...update('kubectl', 1), force: false })).toThrow(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    );
  });

  it('keeps one entry per manager and operation, with its latest time, and orders Apply entries first', () => {
    let live = stored(serverSideApply(undefined, withReplicas({ ...manifest } as KubeObject, 1), { ...update('deployer', 0), force: false }));
    live = stored(updateManagedFields(live, { ...live, metadata: { ...live.metadata, labels: { tier: 'web' } } }, update('kubectl-label', 1)));
    live = stored(updateManagedFields(live, { ...live, metadata: { ...live.metadata, labels: { tier: 'web', team: 'a' } } }, update('kubectl-label', 2)));
    expect(entries(live)).toEqual([
      { manager: 'deployer', operation: 'Apply', time: '2024-05-01T10:00:00Z' },
      { manager: 'kubectl-label', operation: 'Update', time: '2024-05-01T10:02:00Z' },
    ]);
    expect(live.metadata.managedFields![1].fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { '.': {}, 'f:team': {}, 'f:tier': {} } } });
    // a write that changes nothing the manager could own leaves times as they were
    const same = updateManagedFields(live, { ...live, metadata: { ...live.metadata, resourceVersion: '9' } }, update('kubectl-label', 3));
    expect(entries(same)).toEqual(entries(live));
  });

  it('takes a removed field away from every owner', () => {
    const labeled = { ...clientSideApplied(), metadata: { ...clientSideApplied().metadata, labels: { app: 'web', tier: 'front' } } };
    const created = stored(updateManagedFields(undefined, labeled, update('kubectl-client-side-apply', 0)));
    expect(created.metadata.managedFields![0].fieldsV1!['f:metadata']).toHaveProperty('f:labels', { '.': {}, 'f:app': {}, 'f:tier': {} });
    const unlabeled = updateManagedFields(created, { ...created, metadata: { ...created.metadata, labels: { app: 'web' } } }, update('kubectl-label', 1));
    expect(unlabeled.metadata.managedFields![0].fieldsV1!['f:metadata']).toHaveProperty('f:labels', { '.': {}, 'f:app': {} });
    // removing a field gains the writer nothing, so it gets no entry
    expect(entries(unlabeled).map((e) => e.manager)).toEqual(['kubectl-client-side-apply']);
  });

  it('records status writers through the status subresource and keeps them off spec', () => {
    const pod: KubeObject = stored({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    const created = stored(updateManagedFields(undefined, pod, { manager: 'kubectl-run', apiVersion: 'v1', now: at(0), message: podSchema }));
    const running = { ...created, status: { phase: 'Running' } };
    const reported = updateManagedFields(created, running, { manager: 'kubelet', apiVersion: 'v1', now: at(1), message: podSchema, subresource: 'status' });
    const kubelet = reported.metadata.managedFields!.find((e) => e.manager === 'kubelet')!;
    expect(kubelet).toMatchObject({ operation: 'Update', subresource: 'status', fieldsV1: { 'f:status': { 'f:phase': {} } } });
    // on the main resource, status is not owned by the writer
    const mainWrite = updateManagedFields(created, running, { manager: 'other', apiVersion: 'v1', now: at(1), message: podSchema });
    expect(mainWrite.metadata.managedFields!.find((e) => e.manager === 'other')).toBeUndefined();
  });

  it('clears managedFields when a write sets them to [{}], and leaves untracked objects untracked', () => {
    const created = stored(updateManagedFields(undefined, clientSideApplied(), update('kubectl-client-side-apply', 0)));
    const cleared = updateManagedFields(created, { ...created, metadata: { ...created.metadata, managedFields: [{}] } }, update('kubectl-edit', 1));
    expect(cleared.metadata).not.toHaveProperty('managedFields');
    const relabeled = updateManagedFields(stored(cleared), withReplicas(stored(cleared), 4), update('kubectl-edit', 2));
    expect(relabeled.metadata).not.toHaveProperty('managedFields');
  });

  it('takes managedFields a client writes directly, unless it writes through a subresource', () => {
    const created = stored(updateManagedFields(undefined, clientSideApplied(), update('kubectl-client-side-apply', 0)));
    const handWritten: ManagedFieldsEntry[] = [
      { manager: 'someone', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
    ];
    const next = updateManagedFields(created, { ...created, metadata: { ...created.metadata, managedFields: handWritten } }, update('kubectl-replace', 1));
    expect(entries(next)).toEqual([{ manager: 'someone', operation: 'Update', time: undefined }]);
    const viaStatus = updateManagedFields(created, { ...created, metadata: { ...created.metadata, managedFields: handWritten } }, update('x', 1, { subresource: 'status' }));
    expect(entries(viaStatus)).toEqual(entries(created));
  });

  it('folds the oldest of more than ten Update managers into "ancient-changes"', () => {
    let live = stored(updateManagedFields(undefined, clientSideApplied(), update('creator', 0)));
    for (let i = 1; i <= 11; i++) {
      const labels = { ...live.metadata.labels, [`l${i}`]: 'x' };
      live = stored(updateManagedFields(live, { ...live, metadata: { ...live.metadata, labels } }, update(`labeler-${i}`, i)));
    }
    const managers = entries(live).map((e) => e.manager);
    expect(managers).toHaveLength(10);
    expect(managers[0]).toBe('ancient-changes');
    expect(managers).not.toContain('creator');
    expect(managers).not.toContain('labeler-1');
    expect(live.metadata.managedFields![0].fieldsV1).toMatchObject({ 'f:metadata': { 'f:labels': { 'f:l1': {} } } });
  });
});
