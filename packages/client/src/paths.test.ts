import { describe, expect, it } from 'vitest';
import { pathSegmentProblems, resourcePath, targetForKind, targetForResource } from './paths.ts';

describe('resourcePath', () => {
  const pods = targetForKind({ group: '', version: 'v1', kind: 'Pod' });
  const deployments = targetForResource({ group: 'apps', version: 'v1', resource: 'deployments' });
  const nodes = targetForKind({ group: '', version: 'v1', kind: 'Node' });

  it('builds core, group, namespaced and cluster-scoped paths', () => {
    expect(resourcePath(pods, { namespace: 'default', name: 'web-1' })).toBe('/api/v1/namespaces/default/pods/web-1');
    expect(resourcePath(pods)).toBe('/api/v1/pods');
    expect(resourcePath(deployments, { namespace: 'prod' })).toBe('/apis/apps/v1/namespaces/prod/deployments');
    expect(resourcePath(nodes, { name: 'node-1' })).toBe('/api/v1/nodes/node-1');
  });

  it('adds subresources the schema lists, and refuses others', () => {
    expect(resourcePath(deployments, { namespace: 'prod', name: 'web', subresource: 'scale' })).toBe('/apis/apps/v1/namespaces/prod/deployments/web/scale');
    expect(resourcePath(pods, { namespace: 'ns', name: 'p', subresource: 'binding' })).toBe('/api/v1/namespaces/ns/pods/p/binding');
    expect(resourcePath(pods, { namespace: 'ns', name: 'p', subresource: 'eviction' })).toBe('/api/v1/namespaces/ns/pods/p/eviction');
    expect(() => resourcePath(deployments, { namespace: 'ns', name: 'web', subresource: 'binding' })).toThrow('deployments.apps has no subresource "binding"');
  });

  it('rejects names that cannot be a path segment, with apimachinery wording', () => {
    expect(() => resourcePath(pods, { namespace: 'ns', name: '' })).toThrow('resource name may not be empty');
    expect(() => resourcePath(pods, { namespace: 'ns', name: 'a/b' })).toThrow(`invalid resource name "a/b": [may not contain '/']`);
    expect(() => resourcePath(pods, { namespace: '..', name: 'x' })).toThrow(`invalid namespace "..": [may not be '..']`);
    expect(pathSegmentProblems('50%/x')).toEqual([`may not contain '/'`, `may not contain '%'`]);
    expect(() => resourcePath(nodes, { namespace: 'default', name: 'n' })).toThrow('nodes is not namespaced');
  });

  it('says which resource type is unknown', () => {
    expect(() => targetForResource({ group: 'apps', version: 'v1', resource: 'widgets' })).toThrow(`the server doesn't have a resource type "widgets" in apps/v1`);
    expect(() => targetForKind({ group: 'apps', version: 'v1beta9', kind: 'Deployment' })).toThrow(`no matches for kind "Deployment" in version "apps/v1beta9"`);
  });
});
