// Kinds other than workloads, Services and config: one table per API group.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../object.ts';
import { create, lines, stored, update } from './testing/fixtures.ts';

const spec = (obj: JsonObject) => obj.spec as JsonObject;

describe('core/v1 cluster and storage kinds', () => {
  it('Namespace names are DNS labels', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'Dev' }, spec: { finalizers: ['kubernetes'] } };
    expect(lines(create(ns))[0]).toMatch(/^metadata\.name: Invalid value: "Dev": a lowercase RFC 1123 label must consist of/);
    expect(create({ ...ns, metadata: { name: 'dev' } })).toEqual([]);
  });

  it('Node taints need an effect (reported under metadata.taints, as k8s does)', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: { taints: [{ key: 'dedicated', value: 'gpu' }] } };
    expect(lines(create(node))).toEqual(['metadata.taints[0].effect: Required value']);
  });

  it('Node podCIDRs may be set once', () => {
    const old = stored({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] } });
    const changed = structuredClone(old);
    spec(changed).podCIDRs = ['10.244.2.0/24'];
    expect(lines(update(changed, old))).toEqual(['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid']);
  });

  const pv = (): JsonObject => ({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'pv-1' },
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: '/data', type: '' }, volumeMode: 'Filesystem' },
  });

  it('PersistentVolumes need access modes, storage capacity and one source', () => {
    expect(create(pv())).toEqual([]);
    const p = pv();
    Object.assign(spec(p), { accessModes: ['ReadWriteSometimes'], capacity: {} });
    delete spec(p).hostPath;
    expect(lines(create(p))).toEqual([
      'spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      'spec.capacity: Required value',
      'spec.capacity: Unsupported value: core.ResourceList{}: supported values: "storage"',
      'spec: Required value: must specify a volume type',
    ]);
  });

  const pvc = (): JsonObject => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
  });

  it('PersistentVolumeClaims need access modes and a storage request', () => {
    expect(create(pvc())).toEqual([]);
    const c = pvc();
    Object.assign(spec(c), { accessModes: [], resources: {} });
    expect(lines(create(c))).toEqual(['spec.accessModes: Required value: at least 1 access mode is required', 'spec.resources[storage]: Required value']);
  });

  it('PersistentVolumeClaims are immutable except storage requests', () => {
    const old = stored(pvc());
    const changed = structuredClone(old);
    spec(changed).accessModes = ['ReadWriteMany'];
    expect(lines(update(changed, old))).toEqual(['spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims']);
    const shrunk = structuredClone(old);
    spec(shrunk).resources = { requests: { storage: '500Mi' } };
    expect(lines(update(shrunk, old))).toContain('spec.resources.requests.storage: Forbidden: field can not be less than previous value');
  });

  it('ResourceQuota hard limits are standard, non-negative, whole counts', () => {
    const quota = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'q', namespace: 'default' },
      spec: { hard: { 'requests.cpu': '1', pods: '1500m', 'count/deployments.apps': '2', widgets: '1', 'limits.memory': '-1Gi' } },
    };
    expect(lines(create(quota))).toEqual([
      'spec.hard[limits.memory]: Invalid value: "-1Gi": must be greater than or equal to 0',
      'spec.hard[pods]: Invalid value: resource.Quantity{i:resource.int64Amount{value:1500, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"1500m", Format:"DecimalSI"}: must be an integer',
      'spec.hard[widgets]: Invalid value: "widgets": must be a standard resource type or fully qualified',
      'spec.hard[widgets]: Invalid value: "widgets": must be a standard resource for quota',
    ]);
  });

  it('LimitRange defaults must lie between min and max', () => {
    const limitRange = {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'lr', namespace: 'default' },
      spec: { limits: [{ type: 'Container', max: { cpu: '1' }, min: { cpu: '100m' }, default: { cpu: '2' }, defaultRequest: { cpu: '200m' } }] },
    };
    expect(lines(create(limitRange))).toEqual([
      'spec.limits[0].default[cpu]: Invalid value: resource.Quantity{i:resource.int64Amount{value:1, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"1", Format:"DecimalSI"}: default value 2 is greater than max value 1',
    ]);
  });

  it('ServiceAccount names are DNS subdomains', () => {
    expect(lines(create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ci_bot', namespace: 'default' } }))[0]).toMatch(
      /^metadata\.name: Invalid value: "ci_bot": a lowercase RFC 1123 subdomain/,
    );
  });

  it('core Events only need a matching involvedObject namespace', () => {
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.17', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'prod' },
      reason: 'Started',
      message: 'Started container',
    };
    expect(lines(create(event))).toEqual(['involvedObject.namespace: Invalid value: "prod": does not match event.namespace']);
  });
});

describe('networking.k8s.io/v1', () => {
  const ingress = (paths: JsonObject[]): JsonObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', namespace: 'default' },
    spec: { ingressClassName: 'nginx', rules: [{ host: 'web.example.com', http: { paths } }] },
  });
  const backend = { service: { name: 'web', port: { number: 80 } } };

  it('accepts a Prefix path to a service port', () => {
    expect(create(ingress([{ path: '/', pathType: 'Prefix', backend }]))).toEqual([]);
  });

  it.each<[string, JsonObject, string[]]>([
    ['a missing pathType', { path: '/', backend }, ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified']],
    ['an unknown pathType', { path: '/', pathType: 'Regex', backend }, ['spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"']],
    ['a relative path', { path: 'api', pathType: 'Prefix', backend }, ['spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path']],
    ['a backend without port', { path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: {} } } }, ['spec.rules[0].http.paths[0].backend: Required value: port name or number is required']],
  ])('rejects %s', (_, path, expected) => {
    expect(lines(create(ingress([path])))).toEqual(expected);
  });

  it('NetworkPolicy ipBlock except must lie inside cidr', () => {
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'np', namespace: 'default' },
      spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['192.168.0.0/24'] } }] }], policyTypes: ['Ingress'] },
    };
    expect(lines(create(policy))).toEqual(['spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "192.168.0.0/24": must be a strict subset of `cidr`']);
  });
});

describe('autoscaling', () => {
  const hpa = (version: string, specValue: JsonObject): JsonObject => ({
    apiVersion: `autoscaling/${version}`,
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, ...specValue },
  });

  it('v1: minReplicas ≥ 1 and maxReplicas ≥ minReplicas', () => {
    expect(create(hpa('v1', { minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 }))).toEqual([]);
    expect(lines(create(hpa('v1', { minReplicas: 0, maxReplicas: 5 })))).toEqual([
      'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
      'spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas',
    ]);
    expect(lines(create(hpa('v1', { minReplicas: 5, maxReplicas: 2 })))).toEqual(['spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`']);
  });

  it('v1: the CPU target is checked as the metric it becomes', () => {
    expect(lines(create(hpa('v1', { minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 0 })))).toEqual([
      'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
    ]);
  });

  it('v2: metric specs name their source', () => {
    const h = hpa('v2', { minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Resource' }] });
    expect(lines(create(h))).toEqual(['spec.metrics[0].resource: Required value: must populate information for the given metric source']);
  });
});

describe('policy, rbac, storage, scheduling, coordination, discovery', () => {
  it('PodDisruptionBudget may not set both minAvailable and maxUnavailable', () => {
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'default' }, spec: { minAvailable: 1, maxUnavailable: '150%', selector: { matchLabels: { app: 'web' } } } };
    const found = lines(create(pdb));
    expect(found[0]).toMatch(/^spec: Invalid value: policy\.PodDisruptionBudgetSpec\{.*\}: minAvailable and maxUnavailable cannot be both set$/);
    expect(found[1]).toBe('spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%');
  });

  it('Role rules need verbs; names are path segments', () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'pod:reader', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['pods'] }] };
    expect(lines(create(role))).toEqual(['rules[0].verbs: Required value: verbs must contain at least one value']);
  });

  it('RoleBinding roleRef cannot change', () => {
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'read-pods', namespace: 'default' },
      subjects: [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }],
      roleRef: { kind: 'Role', name: 'pod-reader', apiGroup: 'rbac.authorization.k8s.io' },
    };
    expect(create(binding)).toEqual([]);
    const old = stored(binding);
    const changed = structuredClone(old);
    (changed.roleRef as JsonObject).name = 'admin';
    expect(lines(update(changed, old))).toEqual([
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"admin"}: cannot change roleRef',
    ]);
  });

  it('StorageClass provisioner and parameters are frozen', () => {
    const sc = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard' }, provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' };
    expect(create(sc)).toEqual([]);
    const old = stored(sc);
    const changed = structuredClone(old);
    changed.provisioner = 'example.com/nfs';
    expect(lines(update(changed, old))).toEqual(['provisioner: Forbidden: updates to provisioner are forbidden.']);
  });

  it('PriorityClass values are capped for users and frozen', () => {
    const pc = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 2000000000, preemptionPolicy: 'PreemptLowerPriority' };
    expect(lines(create(pc))).toEqual(['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
  });

  it('Lease durations are positive', () => {
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 0 } };
    expect(lines(create(lease))).toEqual(['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']);
  });

  it('EndpointSlice addresses match the address type', () => {
    const slice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-abc', namespace: 'default' },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['fd00::1'] }, { addresses: [] }],
      ports: [{ name: 'http', protocol: 'TCP', port: 80 }],
    };
    expect(lines(create(slice))).toEqual([
      'endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
      'endpoints[1].addresses: Required value: must contain at least 1 address',
    ]);
  });
});

describe('apiextensions.k8s.io/v1 CustomResourceDefinition', () => {
  const crd = (): JsonObject => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'] },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } } }],
      conversion: { strategy: 'None' },
    },
  });

  it('accepts a CRD with one storage version and a schema', () => {
    expect(create(crd())).toEqual([]);
  });

  it('wants the name plural.group', () => {
    const c = crd();
    (c.metadata as JsonObject).name = 'crontabs';
    expect(lines(create(c))).toEqual(['metadata.name: Invalid value: "crontabs": must be spec.names.plural+"."+spec.group']);
  });

  it('wants exactly one storage version and a schema for each version', () => {
    const c = crd();
    spec(c).versions = [
      { name: 'v1', served: true, storage: true },
      { name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
    ];
    expect(lines(create(c))).toEqual([
      'spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required',
      'spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{...}: must have exactly one version marked as storage version',
    ]);
  });

  it('reports structural schema problems of a shared schema under spec.validation', () => {
    const c = crd();
    (spec(c).versions as JsonObject[])[0].schema = { openAPIV3Schema: { type: 'object', properties: { spec: { properties: { replicas: { type: 'int' } } } } } };
    expect(lines(create(c))).toEqual([
      'spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
      'spec.validation.openAPIV3Schema.properties[spec].properties[replicas].type: Unsupported value: "int": supported values: "array", "boolean", "integer", "number", "object", "string"',
    ]);
  });
});
