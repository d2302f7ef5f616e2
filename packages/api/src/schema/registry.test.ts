import { describe, expect, it } from 'vitest';
import { schema } from './registry.ts';

describe('schema registry', () => {
  it('resolves registered kinds to their messages', () => {
    const deployment = schema.kindSchema({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(deployment?.fullName).toBe('k8s.io.api.apps.v1.Deployment');
    expect(deployment?.typeMeta).toBe(true);
    expect(schema.kindSchema({ group: '', version: 'v1', kind: 'Status' })?.name).toBe('Status');
    expect(schema.kindSchema({ group: 'apps', version: 'v1', kind: 'DeleteOptions' })?.name).toBe('DeleteOptions');
    expect(schema.kindSchema({ group: 'apps', version: 'v1', kind: 'Pod' })).toBeUndefined();
  });

  it('carries merge keys, list types and enums from the markers', () => {
    const podSpec = schema.message('k8s.io.api.core.v1.PodSpec');
    const containers = podSpec.properties.get('containers')!;
    expect(containers.patchMergeKey).toBe('name');
    expect(containers.patchStrategy).toEqual(['merge']);
    expect(containers.listMapKeys).toEqual(['name']);
    expect(podSpec.properties.get('volumes')!.patchStrategy).toEqual(['merge', 'retainKeys']);
    expect(podSpec.properties.get('tolerations')!.listType).toBe('atomic');
    expect(podSpec.properties.get('restartPolicy')!.enumValues).toContain('OnFailure');
  });

  it('flattens inline fields into the parent object properties', () => {
    const list = schema.message('k8s.io.apimachinery.pkg.apis.meta.v1.PartialObjectMetadata');
    expect([...list.properties.keys()]).toContain('metadata');
    const scale = schema.kindSchema({ group: 'autoscaling', version: 'v1', kind: 'Scale' })!;
    expect(scale.properties.get('spec')?.type).toBe('k8s.io.api.autoscaling.v1.ScaleSpec');
  });

  it('marks types with custom JSON', () => {
    expect(schema.message('k8s.io.apimachinery.pkg.apis.meta.v1.Time').jsonShape).toBe('time');
    expect(schema.message('k8s.io.apimachinery.pkg.util.intstr.IntOrString').jsonShape).toBe('int-or-string');
    expect(schema.message('k8s.io.api.core.v1.PodSpec').jsonShape).toBe('object');
  });

  it('indexes REST resources by path and kind, with subresource group/version filled in', () => {
    const deployments = schema.resourceFor('apps', 'v1', 'deployments')!;
    expect(deployments.shortNames).toEqual(['deploy']);
    const scale = deployments.subresources.find((s) => s.name === 'scale')!;
    expect(scale).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    const status = deployments.subresources.find((s) => s.name === 'status')!;
    expect(status).toMatchObject({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(schema.resourceForKind({ group: '', version: 'v1', kind: 'Pod' })?.resource).toBe('pods');
  });
});
