// Objects as they reach validation in tests: what kubectl sends after the apiserver's defaulting
// (restartPolicy, dnsPolicy, terminationMessagePolicy, imagePullPolicy, protocols … filled in).
// Each call returns a fresh copy that a test may change.
import type { JsonObject, KubeObject } from '../../object.ts';
import { schema } from '../../schema/registry.ts';
import type { GroupVersionKind, ResourceInfo } from '../../schema/types.ts';
import type { FieldError } from '../field-error.ts';
import { validateCreate, validateUpdate } from '../validate.ts';

export function container(name = 'nginx', image = 'nginx'): JsonObject {
  return {
    name,
    image,
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'Always',
    resources: {},
  };
}

export function podSpec(overrides: JsonObject = {}): JsonObject {
  return {
    containers: [container()],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
    ...overrides,
  };
}

export function pod(name = 'web', spec: JsonObject = podSpec()): JsonObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { run: name } }, spec };
}

/** What `kubectl create deployment <name> --image=nginx` sends, after defaulting. */
export function deployment(name = 'web', labels: JsonObject = { app: name }): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: podSpec() },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
  };
}

export function service(name = 'web', spec: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: {
      ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }],
      selector: { app: name },
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ...spec,
    },
  };
}

/** A stored copy of an object: what the apiserver holds before an update. */
export function stored(obj: JsonObject): JsonObject {
  const copy = structuredClone(obj);
  const meta = copy.metadata as JsonObject;
  meta.uid = '7b9d3b1c-0000-4000-8000-000000000001';
  meta.resourceVersion = '100';
  meta.creationTimestamp = '2024-05-01T10:00:00Z';
  meta.generation = 1;
  return copy;
}

function gvkOf(obj: JsonObject): GroupVersionKind {
  const apiVersion = String(obj.apiVersion);
  const slash = apiVersion.indexOf('/');
  return {
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
    kind: String(obj.kind),
  };
}

function resourceOf(gvk: GroupVersionKind): ResourceInfo {
  const resource = schema.resourceForKind(gvk);
  if (!resource) throw new Error(`no resource for ${gvk.group}/${gvk.version} ${gvk.kind}`);
  return resource;
}

export function create(obj: JsonObject): FieldError[] {
  const gvk = gvkOf(obj);
  return validateCreate(gvk, resourceOf(gvk), obj as unknown as KubeObject);
}

export function update(obj: JsonObject, old: JsonObject): FieldError[] {
  const gvk = gvkOf(obj);
  return validateUpdate(gvk, resourceOf(gvk), obj as unknown as KubeObject, old as unknown as KubeObject);
}

/** "field: message" lines, the way kubectl prints the causes of a 422. */
export function lines(errors: FieldError[]): string[] {
  return errors.map((e) => `${e.field}: ${e.message}`);
}
