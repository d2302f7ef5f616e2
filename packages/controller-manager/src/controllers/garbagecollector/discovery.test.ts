import { describe, expect, it } from 'vitest';
import { FakeApi } from '../../testing/fake-api.ts';
import { discoverServerResources, discoveryFailureMessage, RestMapper } from './discovery.ts';
import { clientWithDiscovery } from './test-discovery.ts';

describe('discovery', () => {
  it('lists each resource once in its preferred version, without subresources, with scope and verbs', async () => {
    const { preferred, failed } = await discoverServerResources(clientWithDiscovery(new FakeApi()));
    expect(failed.size).toBe(0);
    const pods = preferred.filter((r) => r.group === '' && r.resource === 'pods');
    expect(pods).toEqual([{ group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true, verbs: expect.arrayContaining(['list', 'watch', 'delete', 'deletecollection']) }]);
    expect(preferred.find((r) => r.resource === 'nodes')!.namespaced).toBe(false);
    expect(preferred.some((r) => r.resource.includes('/'))).toBe(false);
    const keys = preferred.map((r) => `${r.group}/${r.resource}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('reports group versions it could not read, and keeps the rest', async () => {
    const { preferred, failed } = await discoverServerResources(clientWithDiscovery(new FakeApi(), () => ['apps/v1']));
    expect(preferred.some((r) => r.group === 'apps')).toBe(false);
    expect(preferred.some((r) => r.resource === 'pods')).toBe(true);
    expect(discoveryFailureMessage(failed)).toBe('unable to retrieve the complete list of server APIs: apps/v1: the server is currently unable to handle the request');
  });

  it('maps an owner reference apiVersion/kind to its resource', async () => {
    const { all } = await discoverServerResources(clientWithDiscovery(new FakeApi()));
    const mapper = new RestMapper(all);
    expect(mapper.forKind('apps/v1', 'ReplicaSet')).toMatchObject({ group: 'apps', resource: 'replicasets', namespaced: true });
    expect(mapper.forKind('example.com/v1', 'Widget')).toBeUndefined();
  });
});
