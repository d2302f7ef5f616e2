import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { schema } from '../../schema/registry.ts';
import { servedGroups } from '../../discovery/groups.ts';
import { buildGroupVersionDocument } from '../document.ts';
import { openApiV2 } from './index.ts';

type Any = any; // the JSON document is navigated freely in assertions

const swagger: Any = JSON.parse(openApiV2().json);
const D = (name: string): Any => swagger.definitions[name];
const itemPath = (r: { group: string; version: string; resource: string; namespaced: boolean }) => {
  const prefix = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  return r.namespaced ? `${prefix}/namespaces/{namespace}/${r.resource}/{name}` : `${prefix}/${r.resource}/{name}`;
};
const v3Documents = servedGroups().flatMap((g) => g.versions.map((v) => buildGroupVersionDocument(g.group, v)! as Any));

/** Every object in a JSON value, with the key path that leads to it. */
function* objectsIn(value: Any, path = ''): Generator<[string, Any]> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* objectsIn(v, `${path}[${i}]`);
  } else if (value && typeof value === 'object') {
    yield [path, value];
    for (const [k, v] of Object.entries(value)) yield* objectsIn(v, `${path}/${k}`);
  }
}

describe('the Swagger 2.0 document', () => {
  it('is one Swagger 2.0 document for the whole cluster, with the bearer-token scheme', () => {
    expect(swagger.swagger).toBe('2.0');
    expect(swagger.info).toEqual({ title: 'Kubernetes', version: 'v1.32.0' });
    expect(swagger.securityDefinitions.BearerToken).toMatchObject({ type: 'apiKey', name: 'authorization', in: 'header' });
    expect(swagger.security).toEqual([{ BearerToken: [] }]);
  });

  it('holds every path and every schema of every group version v3 publishes', () => {
    for (const v3 of v3Documents) {
      for (const path of Object.keys(v3.paths)) expect(swagger.paths, path).toHaveProperty([path]);
      for (const name of Object.keys(v3.components.schemas)) expect(swagger.definitions, name).toHaveProperty([name]);
    }
    expect(swagger.paths['/apis/autoscaling/v1/namespaces/{namespace}/horizontalpodautoscalers/{name}']).toBeDefined();
    expect(swagger.paths['/apis/autoscaling/v2/namespaces/{namespace}/horizontalpodautoscalers/{name}']).toBeDefined();
  });

  it('lists the discovery endpoints with their response kinds', () => {
    const ref = (path: string) => swagger.paths[path].get.responses['200'].schema.$ref;
    expect(ref('/api/')).toBe('#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.APIVersions');
    expect(ref('/apis/')).toBe('#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.APIGroupList');
    expect(ref('/apis/apps/')).toBe('#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.APIGroup');
    expect(swagger.paths['/apis/rbac.authorization.k8s.io/'].get.operationId).toBe('getRbacAuthorizationAPIGroup');
    expect(swagger.paths['/apis//']).toBeUndefined();
  });

  it('resolves every $ref to a definition, and uses nothing Swagger 2.0 lacks', () => {
    const v3Only = ['allOf', 'oneOf', 'anyOf', 'components', 'requestBody', 'content', 'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields'];
    const problems: string[] = [];
    let refs = 0;
    for (const [path, o] of objectsIn(swagger)) {
      if (typeof o.$ref === 'string') {
        refs++;
        const name = o.$ref.startsWith('#/definitions/') ? o.$ref.slice('#/definitions/'.length) : undefined;
        if (!name || !(name in swagger.definitions)) problems.push(`${path}: dangling ${o.$ref}`);
        if (o.type !== undefined) problems.push(`${path}: a reference with a type beside it`);
      }
      // `properties` objects are maps of field names (a field may be called "default" or "content").
      if (path.endsWith('/properties')) continue;
      for (const key of v3Only) if (key in o) problems.push(`${path}: ${key}`);
    }
    expect(problems).toEqual([]);
    expect(refs).toBeGreaterThan(1000);
  });
});

describe('operations', () => {
  it('gives every patchable kind a PATCH operation with its GVK and its own fieldValidation query parameter (kubectl 1.27/1.28 --validate)', () => {
    for (const r of schema.resources.filter((res) => res.verbs.includes('patch'))) {
      const patch = swagger.paths[itemPath(r)]?.patch;
      expect(patch, itemPath(r)).toBeDefined();
      expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: r.group, kind: r.kind, version: r.version });
      expect(patch.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query', type: 'string' }));
    }
  });

  it('passes the request body as the first parameter, named body', () => {
    const item = swagger.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(item.put.parameters[0]).toEqual({ in: 'body', name: 'body', required: true, schema: { $ref: '#/definitions/io.k8s.api.apps.v1.Deployment' } });
    expect(item.patch.parameters[0]).toEqual({
      in: 'body',
      name: 'body',
      required: true,
      schema: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' },
    });
    // DeleteOptions may be left out of a DELETE
    expect(item.delete.parameters[0]).toEqual({ in: 'body', name: 'body', schema: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions' } });
    expect(item.put.parameters.slice(1).map((p: Any) => p.name)).toEqual(['dryRun', 'fieldManager', 'fieldValidation']);
    expect(item.get.parameters).toBeUndefined();
  });

  it('keeps the parameters every operation of a path shares on the path, each with its own type', () => {
    const item = swagger.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(item.parameters).toEqual([
      expect.objectContaining({ name: 'name', in: 'path', required: true, type: 'string', uniqueItems: true }),
      expect.objectContaining({ name: 'namespace', in: 'path', required: true, type: 'string' }),
      expect.objectContaining({ name: 'pretty', in: 'query', type: 'string' }),
    ]);
    const list = swagger.paths['/api/v1/namespaces/{namespace}/pods'].get;
    expect(list.parameters).toContainEqual(expect.objectContaining({ name: 'limit', in: 'query', type: 'integer' }));
    expect(list.parameters).toContainEqual(expect.objectContaining({ name: 'watch', in: 'query', type: 'boolean' }));
  });

  it('lists media types in kube-apiserver order and names the https scheme', () => {
    const deployments = swagger.paths['/apis/apps/v1/namespaces/{namespace}/deployments'];
    expect(deployments.get.produces).toEqual([
      'application/json',
      'application/yaml',
      'application/vnd.kubernetes.protobuf',
      'application/json;stream=watch',
      'application/vnd.kubernetes.protobuf;stream=watch',
    ]);
    expect(deployments.post.consumes).toEqual(['*/*']);
    expect(deployments.post.schemes).toEqual(['https']);
    const patch = swagger.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(patch.consumes).toEqual([
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
      'application/apply-patch+yaml',
    ]);
    expect(patch.responses).toEqual({
      '200': { description: 'OK', schema: { $ref: '#/definitions/io.k8s.api.apps.v1.Deployment' } },
      '201': { description: 'Created', schema: { $ref: '#/definitions/io.k8s.api.apps.v1.Deployment' } },
      '401': { description: 'Unauthorized' },
    });
    const log = swagger.paths['/api/v1/namespaces/{namespace}/pods/{name}/log'].get;
    expect(log.produces[0]).toBe('text/plain');
    expect(log.responses['200'].schema).toEqual({ type: 'string' });
  });
});

describe('definitions', () => {
  it('marks each kind with its group-version-kind list (kubectl finds a manifest schema by it)', () => {
    expect(D('io.k8s.api.apps.v1.Deployment')['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect(D('io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions')['x-kubernetes-group-version-kind']).toContainEqual({ group: 'batch', kind: 'DeleteOptions', version: 'v1' });
  });

  it('refers to other types with a bare $ref beside the description', () => {
    const spec = D('io.k8s.api.apps.v1.DeploymentSpec');
    expect(spec.properties.template).toEqual({ description: expect.any(String), $ref: '#/definitions/io.k8s.api.core.v1.PodTemplateSpec' });
    expect(spec.required).toEqual(['selector', 'template']);
    expect(D('io.k8s.api.core.v1.ResourceRequirements').properties.limits.additionalProperties).toEqual({
      $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity',
    });
  });

  it('carries merge keys and list and map types (client-side apply patches)', () => {
    const podSpec = D('io.k8s.api.core.v1.PodSpec').properties;
    expect(podSpec.containers).toEqual({
      description: expect.any(String),
      type: 'array',
      items: { $ref: '#/definitions/io.k8s.api.core.v1.Container' },
      'x-kubernetes-list-map-keys': ['name'],
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    expect(podSpec.volumes['x-kubernetes-patch-strategy']).toBe('merge,retainKeys');
    expect(podSpec.nodeSelector).toMatchObject({ type: 'object', additionalProperties: { type: 'string' }, 'x-kubernetes-map-type': 'atomic' });
    expect(D('io.k8s.api.apps.v1.DeploymentSpec').properties.strategy['x-kubernetes-patch-strategy']).toBe('retainKeys');
  });

  it('leaves out defaults and enums, as kube-apiserver does in v2', () => {
    const servicePort = D('io.k8s.api.core.v1.ServicePort').properties;
    expect(servicePort.protocol).toEqual({ description: expect.any(String), type: 'string' });
    expect(servicePort.port).toEqual({ description: expect.any(String), type: 'integer', format: 'int32' });
    expect(D('io.k8s.api.core.v1.Container').properties.imagePullPolicy).not.toHaveProperty('enum');
  });

  it('publishes int-or-string and Quantity as strings, and raw JSON as an object', () => {
    expect(D('io.k8s.apimachinery.pkg.util.intstr.IntOrString')).toEqual({ description: expect.any(String), format: 'int-or-string', type: 'string' });
    expect(D('io.k8s.apimachinery.pkg.api.resource.Quantity')).toEqual({ description: expect.any(String), type: 'string' });
    expect(D('io.k8s.apimachinery.pkg.apis.meta.v1.Time')).toEqual({ description: expect.any(String), type: 'string', format: 'date-time' });
    expect(D('io.k8s.apimachinery.pkg.runtime.RawExtension')).toEqual({ description: expect.any(String), type: 'object' });
  });
});

describe('openApiV2()', () => {
  it('builds once and tags the document with the SHA-512 of its JSON', () => {
    const v2 = openApiV2();
    expect(openApiV2()).toBe(v2);
    expect(v2.etag).toBe(createHash('sha512').update(v2.json).digest('hex').toUpperCase());
    expect(v2.protobuf.length).toBeGreaterThan(0);
  });
});
