import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../object.ts';
import type { ResourceInfo } from '../schema/types.ts';
import {
  AGGREGATED_DISCOVERY_CONTENT_TYPE,
  aggregatedDiscovery,
  aggregatedVersionFor,
  compareKubeVersions,
  legacyApiGroup,
  legacyApiGroupList,
  legacyApiResourceList,
  legacyApiVersions,
  type ExtraGroup,
} from './index.ts';

type Any = any; // the JSON documents are navigated freely in assertions

function group(list: JsonObject, name: string): Any {
  return (list.items as Any[]).find((i) => i.metadata.name === name);
}
function resource(g: Any, version: string, name: string): Any {
  return g.versions.find((v: Any) => v.version === version).resources.find((r: Any) => r.resource === name);
}

const metricsGroup: ExtraGroup = {
  group: 'metrics.k8s.io',
  versions: ['v1beta1'],
  preferredVersion: 'v1beta1',
  priority: 100,
  resources: [
    {
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      kind: 'PodMetrics',
      resource: 'pods',
      singular: '',
      namespaced: true,
      verbs: ['get', 'list'],
      shortNames: [],
      categories: [],
      subresources: [],
      listKind: 'PodMetricsList',
      hasStatusField: false,
    } satisfies ResourceInfo,
  ],
};

describe('aggregated discovery', () => {
  it('serves the core group alone under /api, named ""', () => {
    const list = aggregatedDiscovery('api', 'v2');
    expect(list.kind).toBe('APIGroupDiscoveryList');
    expect(list.apiVersion).toBe('apidiscovery.k8s.io/v2');
    expect((list.items as Any[]).map((i) => i.metadata.name)).toEqual(['']);
  });

  it('lists pods with short name, category and every subresource with its response kind', () => {
    const pods = resource(group(aggregatedDiscovery('api', 'v2'), ''), 'v1', 'pods');
    expect(pods).toMatchObject({
      resource: 'pods',
      singularResource: 'pod',
      scope: 'Namespaced',
      responseKind: { group: '', version: '', kind: 'Pod' },
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['po'],
      categories: ['all'],
    });
    const subs = Object.fromEntries(pods.subresources.map((s: Any) => [s.subresource, s]));
    expect(Object.keys(subs)).toEqual(['attach', 'binding', 'ephemeralcontainers', 'eviction', 'exec', 'log', 'portforward', 'proxy', 'status']);
    expect(subs.eviction.responseKind).toEqual({ group: 'policy', version: 'v1', kind: 'Eviction' });
    expect(subs.exec).toEqual({ subresource: 'exec', responseKind: { group: '', version: '', kind: 'PodExecOptions' }, verbs: ['create', 'get'] });
    expect(subs.status.verbs).toEqual(['get', 'patch', 'update']);
  });

  it('leaves out subresources behind a feature gate that is off in 1.32 (pods/resize)', () => {
    const pods = resource(group(aggregatedDiscovery('api', 'v2'), ''), 'v1', 'pods');
    expect(pods.subresources.map((s: Any) => s.subresource)).not.toContain('resize');
  });

  it('gives namespaces no deletecollection and cluster scope', () => {
    const ns = resource(group(aggregatedDiscovery('api', 'v2'), ''), 'v1', 'namespaces');
    expect(ns.scope).toBe('Cluster');
    expect(ns.verbs).toEqual(['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
  });

  it('orders named groups by priority and lists the preferred version first', () => {
    const list = aggregatedDiscovery('apis', 'v2');
    const names = (list.items as Any[]).map((i) => i.metadata.name);
    expect(names).not.toContain('');
    expect(names[0]).toBe('apps');
    expect(names.indexOf('autoscaling')).toBeLessThan(names.indexOf('batch'));
    expect(names.indexOf('batch')).toBeLessThan(names.indexOf('networking.k8s.io'));
    expect(names.indexOf('admissionregistration.k8s.io')).toBeLessThan(names.indexOf('apiextensions.k8s.io'));
    expect(group(list, 'autoscaling').versions.map((v: Any) => v.version)).toEqual(['v2', 'v1']);
    expect(group(list, 'autoscaling').versions[0].freshness).toBe('Current');
  });

  it('points deployments/scale at autoscaling/v1 Scale and keeps the "all" category', () => {
    const deployments = resource(group(aggregatedDiscovery('apis', 'v2'), 'apps'), 'v1', 'deployments');
    expect(deployments.shortNames).toEqual(['deploy']);
    expect(deployments.categories).toEqual(['all']);
    expect(deployments.subresources).toEqual([
      { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
      { subresource: 'status', responseKind: { group: '', version: '', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
    ]);
  });

  it('omits empty shortNames, categories and subresources', () => {
    const roles = resource(group(aggregatedDiscovery('apis', 'v2'), 'rbac.authorization.k8s.io'), 'v1', 'roles');
    expect(Object.keys(roles)).toEqual(['resource', 'responseKind', 'scope', 'singularResource', 'verbs']);
  });

  it('serves v2beta1 with the same content and its own apiVersion', () => {
    const v2 = aggregatedDiscovery('apis', 'v2');
    const beta = aggregatedDiscovery('apis', 'v2beta1');
    expect(beta.apiVersion).toBe('apidiscovery.k8s.io/v2beta1');
    expect(beta.items).toEqual(v2.items);
  });

  it('names the parameterised media type kubectl looks for', () => {
    expect(AGGREGATED_DISCOVERY_CONTENT_TYPE('v2')).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(AGGREGATED_DISCOVERY_CONTENT_TYPE('v2beta1')).toContain('v=v2beta1');
  });

  it('picks the aggregated format from Accept in the client\'s order of preference', () => {
    const kubectl132 =
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    const kubectl127 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    expect(aggregatedVersionFor(kubectl132)).toBe('v2');
    expect(aggregatedVersionFor(kubectl127)).toBe('v2beta1');
    expect(aggregatedVersionFor('application/json; as=APIGroupDiscoveryList ; v=v2beta1; g=apidiscovery.k8s.io')).toBe('v2beta1');
    expect(aggregatedVersionFor('application/json')).toBeUndefined();
    expect(aggregatedVersionFor(undefined)).toBeUndefined();
    expect(aggregatedVersionFor('application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList')).toBeUndefined();
  });

  it('appends extra groups by priority and ignores one that reuses a built-in name', () => {
    const hijack: ExtraGroup = { ...metricsGroup, group: 'apps', priority: 99999 };
    const list = aggregatedDiscovery('apis', 'v2', [metricsGroup, hijack]);
    const names = (list.items as Any[]).map((i) => i.metadata.name);
    expect(names.at(-1)).toBe('metrics.k8s.io');
    expect(names[0]).toBe('apps');
    expect(resource(group(list, 'metrics.k8s.io'), 'v1beta1', 'pods').responseKind.kind).toBe('PodMetrics');
    expect(resource(group(list, 'apps'), 'v1', 'deployments')).toBeDefined();
  });
});

describe('legacy discovery', () => {
  it('answers /api with the core versions and the server address', () => {
    expect(legacyApiVersions('10.0.0.1:6443')).toEqual({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }],
    });
  });

  it('lists groups with their preferred version', () => {
    const list = legacyApiGroupList() as Any;
    expect(list.kind).toBe('APIGroupList');
    const autoscaling = list.groups.find((g: Any) => g.name === 'autoscaling');
    expect(autoscaling.preferredVersion).toEqual({ groupVersion: 'autoscaling/v2', version: 'v2' });
    expect(autoscaling.versions.map((v: Any) => v.groupVersion)).toEqual(['autoscaling/v2', 'autoscaling/v1']);
  });

  it('answers /apis/<group> for served groups only', () => {
    expect(legacyApiGroup('apps')).toMatchObject({ kind: 'APIGroup', apiVersion: 'v1', name: 'apps' });
    expect(legacyApiGroup('nope.example.com')).toBeUndefined();
    expect(legacyApiGroup('')).toBeUndefined();
    expect(legacyApiGroup('metrics.k8s.io', [metricsGroup])).toMatchObject({ name: 'metrics.k8s.io' });
  });

  it('lists subresources as separate entries, with group and version where they differ (drain, scale)', () => {
    const core = legacyApiResourceList('', 'v1') as Any;
    expect(core.groupVersion).toBe('v1');
    const eviction = core.resources.find((r: Any) => r.name === 'pods/eviction');
    expect(eviction).toEqual({ name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    const names: string[] = core.resources.map((r: Any) => r.name);
    expect(names).toEqual([...names].sort());
    expect(names.indexOf('pods/attach')).toBe(names.indexOf('pods') + 1);

    const apps = legacyApiResourceList('apps', 'v1') as Any;
    const scale = apps.resources.find((r: Any) => r.name === 'deployments/scale');
    expect(scale).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    const status = apps.resources.find((r: Any) => r.name === 'deployments/status');
    expect(status).not.toHaveProperty('group');
  });

  it('returns undefined for a version the group does not serve', () => {
    expect(legacyApiResourceList('apps', 'v2')).toBeUndefined();
    expect(legacyApiResourceList('autoscaling', 'v2')).toMatchObject({ groupVersion: 'autoscaling/v2' });
  });
});

describe('version order', () => {
  it('puts GA before beta before alpha, higher numbers first', () => {
    expect(['v1beta1', 'v1', 'v2alpha1', 'v2', 'v1alpha1', 'v1beta2'].sort(compareKubeVersions)).toEqual([
      'v2',
      'v1',
      'v1beta2',
      'v1beta1',
      'v2alpha1',
      'v1alpha1',
    ]);
  });
});
