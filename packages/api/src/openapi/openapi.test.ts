import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { schema } from '../schema/registry.ts';
import type { MessageSchema } from '../schema/types.ts';
import { descriptions, humanize } from './descriptions.ts';
import { openApiV3Document, openApiV3Index } from './index.ts';
import { groupVersionPath } from './names.ts';

type Any = any; // the JSON documents are navigated freely in assertions

function doc(path: string): Any {
  const document = openApiV3Document(path);
  if (!document) throw new Error(`no document ${path}`);
  return JSON.parse(document.body);
}
const core = doc('api/v1');
const apps = doc('apis/apps/v1');
const S = (d: Any, name: string): Any => d.components.schemas[name];
const POD_SPEC = 'io.k8s.api.core.v1.PodSpec';
const CONTAINER = 'io.k8s.api.core.v1.Container';

describe('OpenAPI v3 index', () => {
  it('lists one document per served group version, keyed without a leading slash', () => {
    const keys = Object.keys(openApiV3Index().paths);
    expect(keys).toContain('api/v1');
    expect(keys).toContain('apis/apps/v1');
    expect(keys).toContain('apis/autoscaling/v1');
    expect(keys).toContain('apis/autoscaling/v2');
    expect(keys).toHaveLength(schema.groupVersions.reduce((n, gv) => n + gv.versions.length, 0));
  });

  it('pins each URL to the SHA-512 of the document body', () => {
    const { serverRelativeURL } = openApiV3Index().paths['apis/apps/v1'];
    const document = openApiV3Document('apis/apps/v1')!;
    expect(document.hash).toBe(createHash('sha512').update(document.body).digest('hex').toUpperCase());
    expect(serverRelativeURL).toBe(`/openapi/v3/apis/apps/v1?hash=${document.hash}`);
  });

  it('builds each document once and answers undefined for unknown group versions', () => {
    expect(openApiV3Document('apis/apps/v1')).toBe(openApiV3Document('apis/apps/v1'));
    expect(openApiV3Document('apis/apps/v2')).toBeUndefined();
    expect(openApiV3Document('apis/nope.example.com/v1')).toBeUndefined();
    expect(openApiV3Document('bogus')).toBeUndefined();
  });
});

describe('OpenAPI v3 paths', () => {
  it('gives every patchable kind a PATCH operation with its GVK and a fieldValidation parameter (kubectl --validate=strict)', () => {
    for (const r of schema.resources.filter((res) => res.verbs.includes('patch'))) {
      const d = doc(groupVersionPath(r.group, r.version));
      const prefix = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
      const path = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.resource}/{name}` : `${prefix}/${r.resource}/{name}`;
      const patch = d.paths[path]?.patch;
      expect(patch, path).toBeDefined();
      expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: r.group, kind: r.kind, version: r.version });
      expect(patch.parameters.map((p: Any) => p.name)).toContain('fieldValidation');
      expect(Object.keys(patch.requestBody.content)).toEqual([
        'application/apply-patch+yaml',
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/strategic-merge-patch+json',
      ]);
    }
  });

  it('lays out the collection, item, all-namespaces and watch paths of a namespaced resource', () => {
    const p = apps.paths;
    expect(Object.keys(p['/apis/apps/v1/namespaces/{namespace}/deployments']).sort()).toEqual(['delete', 'get', 'parameters', 'post']);
    expect(Object.keys(p['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']).sort()).toEqual(['delete', 'get', 'parameters', 'patch', 'put']);
    expect(p['/apis/apps/v1/deployments'].get.operationId).toBe('listAppsV1DeploymentForAllNamespaces');
    expect(p['/apis/apps/v1/watch/namespaces/{namespace}/deployments/{name}'].get['x-kubernetes-action']).toBe('watch');
    expect(p['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].put.operationId).toBe('replaceAppsV1NamespacedDeploymentScale');
    expect(p['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].get['x-kubernetes-group-version-kind']).toEqual({
      group: 'autoscaling',
      kind: 'Scale',
      version: 'v1',
    });
  });

  it('hoists the parameters all operations of a path share onto the path', () => {
    const item = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(item.parameters.map((x: Any) => `${x.in}:${x.name}`)).toEqual(['path:name', 'path:namespace', 'query:pretty']);
    expect(item.get.parameters).toBeUndefined();
    expect(item.delete.parameters.map((x: Any) => x.name)).toEqual([
      'dryRun',
      'gracePeriodSeconds',
      'ignoreStoreReadErrorWithClusterBreakingPotential',
      'orphanDependents',
      'propagationPolicy',
    ]);
    const list = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments'];
    expect(list.get.parameters.map((x: Any) => x.name)).toContain('sendInitialEvents');
    expect(list.delete.parameters.map((x: Any) => x.name)).not.toContain('watch');
  });

  it('uses cluster-scoped paths and operation ids for cluster-scoped kinds', () => {
    expect(core.paths['/api/v1/nodes/{name}'].patch.operationId).toBe('patchCoreV1Node');
    expect(core.paths['/api/v1/namespaces/{name}/finalize'].put.operationId).toBe('replaceCoreV1NamespaceFinalize');
    expect(core.paths['/api/v1/namespaces'].delete).toBeUndefined(); // no deletecollection on namespaces
  });

  it('answers DELETE of a pod with the pod, and of a deployment with a Status', () => {
    const ref = (op: Any) => op.responses['200'].content['application/json'].schema.$ref;
    expect(ref(core.paths['/api/v1/namespaces/{namespace}/pods/{name}'].delete)).toBe('#/components/schemas/io.k8s.api.core.v1.Pod');
    expect(ref(apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].delete)).toBe(
      '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Status',
    );
  });

  it('describes connect, log and create-only subresources of pods', () => {
    const exec = core.paths['/api/v1/namespaces/{namespace}/pods/{name}/exec'];
    expect(Object.keys(exec).sort()).toEqual(['get', 'parameters', 'post']);
    expect(exec.get.operationId).toBe('connectCoreV1GetNamespacedPodExec');
    expect(exec.parameters.map((x: Any) => x.name)).toEqual(['command', 'container', 'name', 'namespace', 'stderr', 'stdin', 'stdout', 'tty']);
    const proxy = core.paths['/api/v1/namespaces/{namespace}/pods/{name}/proxy/{path}'];
    expect(Object.keys(proxy)).toEqual(expect.arrayContaining(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']));
    expect(proxy.head.operationId).toBe('connectCoreV1HeadNamespacedPodProxyWithPath');
    const log = core.paths['/api/v1/namespaces/{namespace}/pods/{name}/log'];
    expect(log.get.responses['200'].content).toHaveProperty('text/plain');
    expect(log.parameters.map((x: Any) => x.name)).toEqual(expect.arrayContaining(['container', 'follow', 'tailLines', 'timestamps']));
    expect(log.parameters.map((x: Any) => x.name)).not.toContain('sinceTime'); // a Time cannot travel as a plain query value
    const eviction = core.paths['/api/v1/namespaces/{namespace}/pods/{name}/eviction'];
    expect(eviction.post['x-kubernetes-group-version-kind']).toEqual({ group: 'policy', kind: 'Eviction', version: 'v1' });
    expect(S(core, 'io.k8s.api.policy.v1.Eviction')).toBeDefined();
  });

  it('omits sendInitialEvents for resources that cannot be watched', () => {
    const cs = core.paths['/api/v1/componentstatuses'];
    expect(cs.parameters.map((x: Any) => x.name)).not.toContain('sendInitialEvents');
    expect(core.paths['/api/v1/watch/componentstatuses']).toBeUndefined();
  });
});

describe('OpenAPI v3 schemas', () => {
  it('resolves every $ref of a document to one of its components', () => {
    for (const d of [core, apps, doc('apis/autoscaling/v2'), doc('apis/apiextensions.k8s.io/v1')]) {
      const refs = JSON.stringify(d).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
      for (const ref of new Set(refs)) expect(d.components.schemas, ref).toHaveProperty([ref.slice('"#/components/schemas/'.length, -1)]);
    }
  });

  it('marks each kind with its group-version-kind list, and shared meta kinds with every group version', () => {
    expect(S(apps, 'io.k8s.api.apps.v1.Deployment')['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    const deleteOptions = S(apps, 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions')['x-kubernetes-group-version-kind'];
    expect(deleteOptions).toContainEqual({ group: 'apps', kind: 'DeleteOptions', version: 'v1' });
    expect(deleteOptions).toContainEqual({ group: '', kind: 'DeleteOptions', version: 'v1' });
    expect(S(apps, 'io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent')['x-kubernetes-group-version-kind']).toContainEqual({
      group: 'apps',
      kind: 'WatchEvent',
      version: 'v1',
    });
    expect(S(apps, 'io.k8s.apimachinery.pkg.apis.meta.v1.Status')['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Status', version: 'v1' }]);
  });

  it('carries merge keys, list and map types for client-side and server-side apply', () => {
    const podSpec = S(core, POD_SPEC).properties;
    expect(podSpec.containers).toMatchObject({
      type: 'array',
      items: { default: {}, allOf: [{ $ref: `#/components/schemas/${CONTAINER}` }] },
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    });
    expect(podSpec.volumes['x-kubernetes-patch-strategy']).toBe('merge,retainKeys');
    expect(podSpec.tolerations['x-kubernetes-list-type']).toBe('atomic');
    expect(podSpec.nodeSelector).toMatchObject({ type: 'object', additionalProperties: { type: 'string', default: '' }, 'x-kubernetes-map-type': 'atomic' });
    expect(S(core, CONTAINER).properties.ports['x-kubernetes-list-map-keys']).toEqual(['containerPort', 'protocol']);
    expect(S(core, 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector')['x-kubernetes-map-type']).toBe('atomic');
    expect(S(core, 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta').properties.finalizers['x-kubernetes-patch-strategy']).toBe('merge');
  });

  it('marks required fields, enums and defaults', () => {
    expect(S(core, CONTAINER).required).toEqual(['name']);
    expect(S(core, POD_SPEC).required).toEqual(['containers']);
    expect(S(core, CONTAINER).properties.imagePullPolicy).toMatchObject({ type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] });
    const servicePort = S(core, 'io.k8s.api.core.v1.ServicePort');
    expect(servicePort.required).toEqual(['port']);
    expect(servicePort.properties.protocol.default).toBe('TCP');
    expect(servicePort.properties.port).toMatchObject({ type: 'integer', format: 'int32', default: 0 });
    expect(S(core, 'io.k8s.api.core.v1.ResourceRequirements').properties.limits.additionalProperties).toEqual({
      default: {},
      allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' }],
    });
  });

  it('gives the custom JSON types their wire shapes', () => {
    expect(S(core, 'io.k8s.apimachinery.pkg.util.intstr.IntOrString')).toMatchObject({
      format: 'int-or-string',
      oneOf: [{ type: 'integer' }, { type: 'string' }],
      'x-kubernetes-int-or-string': true,
    });
    expect(S(core, 'io.k8s.apimachinery.pkg.api.resource.Quantity').oneOf).toEqual([{ type: 'string' }, { type: 'number' }]);
    expect(S(core, 'io.k8s.apimachinery.pkg.apis.meta.v1.Time')).toMatchObject({ type: 'string', format: 'date-time' });
    expect(S(apps, 'io.k8s.apimachinery.pkg.runtime.RawExtension')).toMatchObject({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(S(core, 'io.k8s.api.core.v1.Secret').properties.data.additionalProperties).toEqual({ type: 'string', format: 'byte' });
  });

  it('flattens inline members into their parent (Volume sources, probe handlers)', () => {
    expect(S(core, 'io.k8s.api.core.v1.Volume').properties).toHaveProperty('configMap');
    expect(S(core, 'io.k8s.api.core.v1.Probe').properties).toHaveProperty('httpGet');
    expect(S(core, 'io.k8s.api.core.v1.VolumeSource')).toBeUndefined();
  });

  it('names apiextensions schemas after the Go module path', () => {
    expect(S(doc('apis/apiextensions.k8s.io/v1'), 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition')).toBeDefined();
  });
});

describe('descriptions', () => {
  it('uses the written text for kinds and fields, and generates the rest', () => {
    const container = schema.message('k8s.io.api.core.v1.Container');
    expect(S(core, CONTAINER).description).toBe(descriptions.writtenMessage(container.fullName));
    expect(S(core, CONTAINER).properties.image.description).toBe(descriptions.writtenField(container.fullName, 'image'));
    expect(S(core, 'io.k8s.api.core.v1.PodList').description).toBe('PodList is a list of Pod objects.');
    expect(S(core, 'io.k8s.api.core.v1.PodList').properties.items.description).toBe('The Pod objects in this list.');
    expect(S(core, 'io.k8s.api.core.v1.HTTPGetAction').properties.httpHeaders.description).toBe('Http headers.');
  });

  it('humanizes names for generated text', () => {
    expect(humanize('terminationGracePeriodSeconds')).toBe('Termination grace period seconds');
    expect(humanize('podIPs')).toBe('Pod IPs');
    expect(humanize('HTTPGetAction')).toBe('HTTP get action');
    expect(humanize('hostIP')).toBe('Host IP');
  });

  it('has a written description for every kind the API serves', () => {
    for (const r of schema.resources) {
      const kind = schema.kindSchema(r)!;
      expect(descriptions.writtenMessage(kind.fullName), kind.fullName).toBeTruthy();
    }
  });

  it('has written text for every field of the tutorial kinds, their spec and status, Container and ObjectMeta', () => {
    const tutorialKinds: [string, string, string][] = [
      ['', 'v1', 'Pod'], ['apps', 'v1', 'Deployment'], ['apps', 'v1', 'ReplicaSet'], ['apps', 'v1', 'StatefulSet'],
      ['apps', 'v1', 'DaemonSet'], ['batch', 'v1', 'Job'], ['batch', 'v1', 'CronJob'], ['', 'v1', 'Service'],
      ['', 'v1', 'ConfigMap'], ['', 'v1', 'Secret'], ['', 'v1', 'Namespace'], ['', 'v1', 'Node'],
      ['', 'v1', 'PersistentVolume'], ['', 'v1', 'PersistentVolumeClaim'], ['networking.k8s.io', 'v1', 'Ingress'],
      ['autoscaling', 'v1', 'HorizontalPodAutoscaler'], ['autoscaling', 'v2', 'HorizontalPodAutoscaler'],
      ['', 'v1', 'ServiceAccount'], ['rbac.authorization.k8s.io', 'v1', 'Role'], ['rbac.authorization.k8s.io', 'v1', 'ClusterRole'],
      ['rbac.authorization.k8s.io', 'v1', 'RoleBinding'], ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding'],
    ];
    // Fields as JSON sees them: inline members contribute their own fields, described under their own message.
    const fieldsOf = (m: MessageSchema): [MessageSchema, string][] =>
      m.fields.flatMap((f) => (f.json === null ? fieldsOf(schema.message(f.type)) : f.json === '-' ? [] : [[m, f.json] as [MessageSchema, string]]));
    const unwritten = (m: MessageSchema) => fieldsOf(m).filter(([owner, json]) => !descriptions.writtenField(owner.fullName, json)).map(([o, j]) => `${o.name}.${j}`);
    const missing: string[] = [];
    for (const [group, version, kind] of tutorialKinds) {
      const message = schema.kindSchema({ group, version, kind })!;
      missing.push(...unwritten(message).filter((f) => !f.endsWith('.metadata')));
      for (const part of ['spec', 'status']) {
        const field = message.properties.get(part);
        if (field) missing.push(...unwritten(schema.message(field.type)));
      }
    }
    missing.push(...unwritten(schema.message('k8s.io.api.core.v1.Container')));
    missing.push(...unwritten(schema.message('k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta')));
    expect(missing).toEqual([]);
  });

  it('writes only about messages and fields that exist', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../../data/descriptions/', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'common.json')) {
      const data = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
      for (const [name, entry] of Object.entries<Any>(data.messages)) {
        const message = schema.findMessage(`${data.package}.${name}`);
        expect(message, `${file}: ${name}`).toBeDefined();
        const own = new Set(message!.fields.map((f) => f.json));
        for (const field of Object.keys(entry.fields ?? {})) expect(own.has(field), `${file}: ${name}.${field}`).toBe(true);
      }
    }
  });
});
