import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object.ts';
import { schema } from '../schema/registry.ts';
import { ApplyConflictError, FieldManagerError, serverSideApply, type ApplyOptions } from './index.ts';

const deploymentSchema = schema.kindSchema({ group: 'apps', version: 'v1', kind: 'Deployment' })!;
const t0 = new Date('2024-05-01T10:00:00.250Z');
const t1 = new Date('2024-05-01T10:05:00Z');

function opts(manager: string, extra: Partial<ApplyOptions> = {}): ApplyOptions {
  return { manager, force: false, apiVersion: 'apps/v1', now: t0, message: deploymentSchema, ...extra };
}

function deployment(spec: Record<string, unknown> | undefined, metadata: Record<string, unknown> = {}): KubeObject {
  const object: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', ...metadata } };
  return spec ? { ...object, spec } : object;
}

const template = (containers: unknown[]) => ({ metadata: { labels: { app: 'web' } }, spec: { containers } });
const selector = { matchLabels: { app: 'web' } };

function entry(object: KubeObject, manager: string) {
  return object.metadata.managedFields?.find((e) => e.manager === manager);
}

function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('serverSideApply', () => {
  it('creates the object and records the applier as owner of exactly what it applied', () => {
    const applied = deployment({ replicas: 2, selector, template: template([{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }]) }, { labels: { app: 'web' } });
    const created = serverSideApply(undefined, applied, opts('kubectl'));
    expect(created.spec).toMatchObject({ replicas: 2, selector });
    expect(created.metadata.managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2024-05-01T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': {
                    '.': {},
                    'f:image': {},
                    'f:name': {},
                    // the port's protocol key takes its schema default
                    'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                  },
                },
              },
            },
          },
        },
      },
    ]);
  });

  it('removes a field the applier applied before and no longer lists', () => {
    const first = serverSideApply(undefined, deployment({ replicas: 2, minReadySeconds: 5, selector, template: template([{ name: 'nginx', image: 'nginx' }]) }), opts('kubectl'));
    const second = serverSideApply(first, deployment({ replicas: 2, selector, template: template([{ name: 'nginx', image: 'nginx' }]) }), opts('kubectl', { now: t1 }));
    expect(second.spec).not.toHaveProperty('minReadySeconds');
    expect(entry(second, 'kubectl')?.fieldsV1?.['f:spec']).not.toHaveProperty('f:minReadySeconds');
    expect(entry(second, 'kubectl')?.time).toBe('2024-05-01T10:05:00Z');
  });

  it('removes a label the applier stopped applying and keeps the rest of metadata', () => {
    const first = serverSideApply(undefined, deployment({ replicas: 1 }, { labels: { app: 'web', tier: 'front' } }), opts('kubectl'));
    const live = { ...first, metadata: { ...first.metadata, uid: 'u-1', resourceVersion: '7' } };
    const second = serverSideApply(live, deployment({ replicas: 1 }, { labels: { app: 'web' } }), opts('kubectl', { now: t1 }));
    expect(second.metadata).toMatchObject({ name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '7', labels: { app: 'web' } });
    const third = serverSideApply(second, deployment({ replicas: 1 }), opts('kubectl', { now: t1 }));
    expect(third.metadata).not.toHaveProperty('labels');
  });

  it('keeps a dropped field that another manager also owns, and a dropped container another manager applied', () => {
    const base = { replicas: 2, selector };
    let live = serverSideApply(undefined, deployment({ ...base, minReadySeconds: 5, template: template([{ name: 'app', image: 'app:1' }]) }), opts('alice'));
    live = serverSideApply(live, deployment({ ...base, minReadySeconds: 5, template: template([{ name: 'sidecar', image: 'proxy:1' }]) }), opts('bob'));
    expect((live.spec as any).template.spec.containers.map((c: any) => c.name)).toEqual(['app', 'sidecar']);
    live = serverSideApply(live, deployment({ ...base, template: template([{ name: 'sidecar', image: 'proxy:1' }]) }), opts('bob'));
    // bob stopped listing minReadySeconds, but alice still applies it; alice's container stays too
    expect(live.spec).toHaveProperty('minReadySeconds', 5);
    live = serverSideApply(live, deployment({ ...base, template: template([{ name: 'app', image: 'app:1' }]) }), opts('alice'));
    expect(live.spec).not.toHaveProperty('minReadySeconds');
    expect((live.spec as any).template.spec.containers.map((c: any) => c.name)).toEqual(['app', 'sidecar']);
  });

  it('reports a conflict with the exact message and field when another applier owns a different value', () => {
    const live = serverSideApply(undefined, deployment({ replicas: 2, selector, template: template([{ name: 'nginx', image: 'nginx' }]) }), opts('alice'));
    const err = caught(() => serverSideApply(live, deployment({ replicas: 5 }), opts('bob')));
    expect(err).toBeInstanceOf(ApplyConflictError);
    const conflict = err as ApplyConflictError;
    expect(conflict.message).toBe('Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
    expect(conflict.conflicts).toEqual([{ manager: 'alice', field: '.spec.replicas', message: 'conflict with "alice"' }]);
    expect(conflict.status()).toMatchObject({
      code: 409,
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.replicas' }] },
    });
  });

  it('shares ownership without conflict when the value is the same', () => {
    const live = serverSideApply(undefined, deployment({ replicas: 2, selector, template: template([{ name: 'nginx', image: 'nginx' }]) }), opts('alice'));
    const shared = serverSideApply(live, deployment({ replicas: 2 }), opts('bob', { now: t1 }));
    expect(entry(shared, 'alice')?.fieldsV1?.['f:spec']).toHaveProperty('f:replicas');
    expect(entry(shared, 'bob')?.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    // the object did not change, so bob's entry carries no time
    expect(entry(shared, 'bob')).not.toHaveProperty('time');
  });

  it('lists every conflict, grouped by manager, with list items named by key', () => {
    let live = serverSideApply(undefined, deployment({ replicas: 2, selector, template: template([{ name: 'nginx', image: 'nginx:1', args: ['-a'] }]) }), opts('alice'));
    live = serverSideApply(live, deployment({ minReadySeconds: 3 }), opts('carol'));
    const err = caught(() =>
      serverSideApply(live, deployment({ replicas: 3, minReadySeconds: 4, template: template([{ name: 'nginx', image: 'nginx:2' }]) }), opts('bob')),
    ) as ApplyConflictError;
    expect(err.message).toBe(
      'Apply failed with 3 conflicts: conflicts with "alice":\n' +
        '- .spec.replicas\n' +
        '- .spec.template.spec.containers[name="nginx"].image\n' +
        'conflicts with "carol":\n' +
        '- .spec.minReadySeconds',
    );
  });

  it('with force takes the contested fields away from their owner', () => {
    const live = serverSideApply(undefined, deployment({ replicas: 2, selector, template: template([{ name: 'nginx', image: 'nginx' }]) }), opts('alice'));
    const forced = serverSideApply(live, deployment({ replicas: 5 }), opts('bob', { force: true, now: t1 }));
    expect(forced.spec).toMatchObject({ replicas: 5 });
    expect(entry(forced, 'alice')?.fieldsV1?.['f:spec']).not.toHaveProperty('f:replicas');
    expect(entry(forced, 'bob')?.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    // alice no longer owns replicas, so re-applying her configuration conflicts the other way
    expect(() => serverSideApply(forced, deployment({ replicas: 2, selector, template: template([{ name: 'nginx', image: 'nginx' }]) }), opts('alice'))).toThrow(
      'Apply failed with 1 conflict: conflict with "bob": .spec.replicas',
    );
  });

  it('merges containers by name and their fields granularly', () => {
    let live = serverSideApply(undefined, deployment({ replicas: 1, selector, template: template([{ name: 'app', image: 'app:1' }, { name: 'log', image: 'log:1' }]) }), opts('alice'));
    live = serverSideApply(live, deployment({ template: template([{ name: 'app', env: [{ name: 'MODE', value: 'fast' }] }, { name: 'cache', image: 'redis' }]) }), opts('bob'));
    const containers = (live.spec as any).template.spec.containers;
    expect(containers.map((c: any) => c.name)).toEqual(['app', 'log', 'cache']);
    expect(containers[0]).toMatchObject({ name: 'app', image: 'app:1', env: [{ name: 'MODE', value: 'fast' }] });
    expect((entry(live, 'bob')?.fieldsV1 as any)['f:spec']['f:template']['f:spec']['f:containers']).toEqual({
      'k:{"name":"app"}': { '.': {}, 'f:env': { 'k:{"name":"MODE"}': { '.': {}, 'f:name': {}, 'f:value': {} } }, 'f:name': {} },
      'k:{"name":"cache"}': { '.': {}, 'f:image': {}, 'f:name': {} },
    });
  });

  it('treats finalizers as a set: appliers add their own and remove only theirs', () => {
    let live = serverSideApply(undefined, deployment(undefined, { finalizers: ['a.example.com/x'] }), opts('alice'));
    live = serverSideApply(live, deployment(undefined, { finalizers: ['b.example.com/y'] }), opts('bob'));
    expect(live.metadata.finalizers).toEqual(['a.example.com/x', 'b.example.com/y']);
    expect(entry(live, 'bob')?.fieldsV1).toEqual({ 'f:metadata': { 'f:finalizers': { 'v:"b.example.com/y"': {} } } });
    live = serverSideApply(live, deployment(undefined), opts('alice'));
    expect(live.metadata.finalizers).toEqual(['b.example.com/y']);
  });

  it('places the items of an associative list in the live order, moving shared items to the applied order', () => {
    let live = serverSideApply(undefined, deployment(undefined, { finalizers: ['a', 'b', 'c', 'd'] }), opts('alice'));
    live = serverSideApply(live, deployment(undefined, { finalizers: ['d', 'e', 'f', 'a'] }), opts('bob'));
    expect(live.metadata.finalizers).toEqual(['b', 'c', 'd', 'e', 'f', 'a']);
  });

  it('replaces atomic lists whole and conflicts on them as one field', () => {
    let live = serverSideApply(undefined, deployment({ selector, template: template([{ name: 'app', image: 'app', args: ['--a', '--b'] }]) }), opts('alice'));
    expect((entry(live, 'alice')?.fieldsV1 as any)['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"app"}']).toHaveProperty('f:args', {});
    expect(() => serverSideApply(live, deployment({ template: template([{ name: 'app', args: ['--c'] }]) }), opts('bob'))).toThrow(
      'conflict with "alice": .spec.template.spec.containers[name="app"].args',
    );
    live = serverSideApply(live, deployment({ template: template([{ name: 'app', args: ['--c'] }]) }), opts('bob', { force: true }));
    expect((live.spec as any).template.spec.containers[0].args).toEqual(['--c']);
  });

  it('does not own or conflict on status of a kind with a status subresource', () => {
    const live = serverSideApply(undefined, deployment({ replicas: 1 }), opts('alice'));
    const applied = { ...deployment({ replicas: 1 }), status: { replicas: 7 } };
    const next = serverSideApply(live, applied, opts('bob'));
    expect(entry(next, 'bob')?.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
  });

  it('gives the fields of an object created without managedFields to "before-first-apply"', () => {
    const legacy: KubeObject = { ...deployment({ replicas: 3, selector }), metadata: { name: 'web', namespace: 'default', uid: 'u-1' } };
    expect(() => serverSideApply(legacy, deployment({ replicas: 4 }), opts('bob'))).toThrow(
      'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas',
    );
  });

  it('leaves the object and its times alone when re-applying the same configuration', () => {
    const applied = deployment({ replicas: 2, selector, template: template([{ name: 'nginx', image: 'nginx' }]) });
    const live = serverSideApply(undefined, applied, opts('kubectl'));
    const again = serverSideApply(live, applied, opts('kubectl', { now: t1 }));
    expect(again).toEqual(live);
  });

  it('rejects requests the apiserver rejects, with its messages', () => {
    const withManagedFields = deployment({ replicas: 1 }, { managedFields: [] });
    expect((caught(() => serverSideApply(undefined, withManagedFields, opts('kubectl'))) as FieldManagerError).status()).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: 'metadata.managedFields must be nil',
    });
    const wrongKind = { ...deployment({}), kind: 'StatefulSet' };
    expect(() => serverSideApply(undefined, wrongKind, opts('kubectl'))).toThrow('invalid object type: apps/v1, Kind=StatefulSet');
    const unknownField = deployment({ replicas: 1, replica: 2 });
    const err = caught(() => serverSideApply(undefined, unknownField, opts('kubectl'))) as FieldManagerError;
    expect(err.code).toBe(500);
    expect(err.message).toBe('failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.replica: field not declared in schema');
    const duplicate = deployment({ template: template([{ name: 'a' }, { name: 'a' }]) });
    expect(() => serverSideApply(undefined, duplicate, opts('kubectl'))).toThrow('.spec.template.spec.containers: duplicate entries for key [name="a"]');
    const wrongType = deployment({ replicas: 'two' });
    expect(() => serverSideApply(undefined, wrongType, opts('kubectl'))).toThrow('.spec.replicas: expected numeric (int or float), got string');
  });

  it('merges custom resources (unknown kinds) with maps granular and lists atomic', () => {
    const crd = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec });
    const o = (manager: string): ApplyOptions => ({ manager, force: false, apiVersion: 'example.com/v1', now: t0, message: undefined });
    let live = serverSideApply(undefined, crd({ size: 1, tags: ['a'], nested: { x: 1 } }), o('alice'));
    live = serverSideApply(live, crd({ nested: { y: 2 } }), o('bob'));
    expect(live.spec).toEqual({ size: 1, tags: ['a'], nested: { x: 1, y: 2 } });
    expect(() => serverSideApply(live, crd({ tags: ['b'] }), o('bob'))).toThrow('conflict with "alice": .spec.tags');
  });
});
