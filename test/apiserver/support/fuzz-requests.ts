// Random requests for fuzzing the apiserver, reproducible from a seed: methods × paths built from
// the real REST resources and garbage × content types × bodies that are valid objects, mutations
// of them, patches, random JSON, random bytes and protobuf envelopes (valid, damaged, random).
// Pure: no I/O, all randomness from the seeded generator.
import { schema, type ResourceInfo } from '@k8ts/api';
import { encodeKubeProtobuf, KUBE_PROTOBUF_MAGIC } from '@k8ts/api/protobuf/index.ts';
import type { RawRequest } from './raw-http.ts';

/** mulberry32: a small, fast PRNG with a 32-bit state; the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'POST', 'PUT', 'PUT', 'PATCH', 'PATCH', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE'];

const CONTENT_TYPES = [
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/yaml',
  'application/vnd.kubernetes.protobuf',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
  'text/plain',
  'application/x-www-form-urlencoded',
  'APPLICATION/JSON',
  'application/cbor',
  'garbage',
  ';;;',
  '',
];

const ACCEPTS = [
  'application/json',
  'application/json;as=Table;v=v1;g=meta.k8s.io',
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
  'application/vnd.kubernetes.protobuf,application/json',
  'application/vnd.kubernetes.protobuf',
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  'text/html',
  '*/*',
  '',
];

const NAMESPACES = ['default', 'fuzz', 'fuzz', 'kube-system', 'missing-ns', 'UPPER', '', '..', 'a'.repeat(70)];
// Names as they appear in a URL: percent-encoded, as every HTTP client sends them (bytes that are
// not HTTP at all are bad-input.test.ts's business).
const NAMES = ['x', 'web', 'fuzz-1', 'fuzz-2', 'kubernetes', 'default', 'UPPER', 'a'.repeat(300), 'dot.ted', '..', '%2e%2e', '%00', '%C3%A9', 'a%2Fb', '-bad-'];

const QUERY_VALUES: Record<string, string[]> = {
  labelSelector: ['app=web', 'app in (a,b)', 'a in (b', '!app', 'app!=x,tier', '==', 'a=b=c', 'x'.repeat(70) + '=y', '', '(', 'app notin ()'],
  fieldSelector: ['metadata.name=x', 'metadata.namespace!=default', 'spec.nodeName=n1', 'status.phase=Running', 'foo=bar', 'metadata.name', '=', 'a==b==c', ''],
  resourceVersion: ['0', '1', '2', '', 'abc', '-1', '99999999999999999999', '1.5', ' 3'],
  resourceVersionMatch: ['NotOlderThan', 'Exact', 'Bogus', ''],
  limit: ['1', '2', '0', '-1', 'abc', '500', '1e3', ''],
  continue: ['', 'garbage', 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiJ4In0', 'e30', '%%%', '!!!!'],
  fieldValidation: ['Strict', 'Warn', 'Ignore', 'strict', 'Bogus', ''],
  fieldManager: ['fuzz', 'kubectl', 'x'.repeat(200), ''],
  dryRun: ['All', 'all', 'Bogus', ''],
  force: ['true', 'false', 'maybe'],
  propagationPolicy: ['Orphan', 'Foreground', 'Background', 'Bogus', ''],
  gracePeriodSeconds: ['0', '30', '-1', 'abc', '1.5', ''],
  orphanDependents: ['true', 'false', 'abc'],
  includeObject: ['None', 'Metadata', 'Object', 'Bogus'],
  pretty: ['true', 'false', '1'],
  allowWatchBookmarks: ['true', 'false', 'abc'],
  sendInitialEvents: ['true', 'false'],
  timeout: ['1s', 'abc', '-1s'],
  timeoutSeconds: ['1', '-1', 'abc', '', '99999999999999999999'],
  '%zz': ['1'],
  bogus: ['1', ''],
};

/** A valid object of a few everyday kinds; other kinds get a bare object with a name. */
function validObject(resource: ResourceInfo, name: string, namespace: string): Record<string, Json> {
  const apiVersion = resource.group ? `${resource.group}/${resource.version}` : resource.version;
  const metadata: Record<string, Json> = { name, ...(resource.namespaced ? { namespace } : {}), labels: { app: 'web' } };
  const base = { apiVersion, kind: resource.kind, metadata };
  const podSpec = { containers: [{ name: 'c', image: 'nginx:1.27', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] }] };
  switch (`${resource.group}/${resource.resource}`) {
    case '/configmaps':
      return { ...base, data: { greeting: 'hello', n: '1' } };
    case '/secrets':
      return { ...base, type: 'Opaque', data: { password: 'c2VjcmV0' } };
    case '/pods':
      return { ...base, spec: podSpec };
    case '/services':
      return { ...base, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } };
    case '/namespaces':
      return base;
    case 'apps/deployments':
    case 'apps/replicasets':
    case 'apps/statefulsets':
    case 'apps/daemonsets':
      return { ...base, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec } } };
    case 'batch/jobs':
      return { ...base, spec: { template: { spec: { ...podSpec, restartPolicy: 'Never' } } } };
    default:
      return base;
  }
}

export class RequestFuzzer {
  private readonly random: () => number;
  private readonly resources: readonly ResourceInfo[];

  constructor(seed: number) {
    this.random = seededRandom(seed);
    this.resources = schema.resources;
  }

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  next(): RawRequest {
    const method = this.pick(METHODS);
    const resource = this.pick(this.resources);
    const namespace = this.pick(NAMESPACES);
    const name = this.pick(NAMES);
    const path = this.chance(0.85) ? this.resourcePath(resource, namespace, name) : this.garbagePath();
    let query = this.query();
    // Watches stream until their timeout (30–60 minutes without one): keep them short.
    const watches = path.includes('/watch/') || /(^|&)watch=(?!false(&|$)|0(&|$))/i.test(query);
    if (watches && !query.includes('timeoutSeconds=')) query = query ? `${query}&timeoutSeconds=1` : 'timeoutSeconds=1';
    const headers: Record<string, string> = {};
    const contentType = this.pick(CONTENT_TYPES);
    if (contentType !== '') headers['Content-Type'] = contentType;
    const accept = this.pick(ACCEPTS);
    if (accept !== '') headers.Accept = accept;
    const withBody = ['POST', 'PUT', 'PATCH'].includes(method) || (method === 'DELETE' && this.chance(0.3));
    const body = withBody ? this.body(resource, name === 'UPPER' || this.chance(0.5) ? name : 'fuzz-1', namespace, contentType) : undefined;
    return { method, path: query ? `${path}?${query}` : path, headers, ...(body !== undefined ? { body } : {}) };
  }

  private resourcePath(resource: ResourceInfo, namespace: string, name: string): string {
    const prefix = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
    const scoped = resource.namespaced && this.chance(0.8) ? `${prefix}/namespaces/${namespace}` : prefix;
    const watchPrefix = this.chance(0.03) ? '/watch' : '';
    const collection = watchPrefix ? `${prefix}${watchPrefix}${scoped.slice(prefix.length)}/${resource.resource}` : `${scoped}/${resource.resource}`;
    switch (this.int(5)) {
      case 0:
        return collection;
      case 1:
      case 2:
        return `${collection}/${name}`;
      case 3: {
        const sub = resource.subresources.length > 0 && this.chance(0.8) ? this.pick(resource.subresources).name : this.pick(['status', 'scale', 'bogus', 'log', 'finalize']);
        return `${collection}/${name}/${sub}`;
      }
      default:
        return `${collection}/${name}/${this.pick(['status', 'x'])}/${this.pick(['extra', 'more/segments'])}`;
    }
  }

  private garbagePath(): string {
    return this.pick([
      '/',
      '/api',
      '/apis',
      '/api/v1',
      '/api/v2',
      '/apis/apps',
      '/apis/apps/v1',
      '/apis/nope/v1/things',
      '/api/v1/namespaces',
      '/api/v1/namespaces/default',
      '/api/v1/namespaces/default/',
      '/api/v1/namespaces//configmaps',
      '//api//v1',
      '/api/v1/nothing',
      '/api/v1/namespaces/default/nothing/x',
      '/apis/apps/v1/namespaces/default/deployments/x/scale/extra',
      '/api/v1/namespaces/%zz/configmaps',
      '/api/v1/namespaces/default/configmaps/%E0%A4%A',
      '/api/v1/namespaces/default/configmaps/' + '%41'.repeat(200),
      '/version',
      '/healthz',
      '/readyz/etcd',
      '/livez/nope',
      '/openapi/v3',
      '/openapi/v3/api/v1',
      '/openapi/v3/apis/nope/v1',
      '/openapi/v2',
      '/metrics',
      '/' + 'x/'.repeat(50),
    ]);
  }

  private query(): string {
    const parts: string[] = [];
    const count = this.pick([0, 0, 1, 1, 2, 3, 5]);
    const keys = Object.keys(QUERY_VALUES);
    for (let i = 0; i < count; i++) {
      const key = this.pick(keys);
      parts.push(`${key}=${encodeURIComponent(this.pick(QUERY_VALUES[key]!))}`);
    }
    if (this.chance(0.05)) parts.push(`watch=${this.pick(['true', '1', 'yes', 'false', '0'])}`);
    return parts.join('&');
  }

  private body(resource: ResourceInfo, name: string, namespace: string, contentType: string): Buffer {
    const object = validObject(resource, name, namespace);
    switch (this.int(10)) {
      case 0:
      case 1:
        return this.encode(object, contentType);
      case 2:
      case 3:
        return this.encode(this.mutate(object, 1 + this.int(4)), contentType);
      case 4:
        return Buffer.from(JSON.stringify(this.patch(object)));
      case 5:
        return Buffer.from(JSON.stringify(this.randomJson(4)));
      case 6:
        return this.randomBytes(this.pick([0, 1, 4, 16, 200]));
      case 7:
        return this.protobuf(object);
      case 8:
        return this.damageText(JSON.stringify(object));
      default:
        return Buffer.from(this.pick(['', '{}', '[]', 'null', '"x"', '0', 'true', '{"kind":"ConfigMap"}', '{"apiVersion":7}', '{"metadata":[]}']));
    }
  }

  private encode(value: Json, contentType: string): Buffer {
    if (contentType.includes('yaml') && this.chance(0.5)) return Buffer.from(toYaml(value));
    if (contentType.includes('protobuf') && this.chance(0.7)) {
      try {
        return encodeKubeProtobuf(value as never);
      } catch {
        return Buffer.from(JSON.stringify(value));
      }
    }
    return Buffer.from(JSON.stringify(value));
  }

  /** Changes the object in `steps` random places: drop, retype, add, duplicate under odd keys. */
  private mutate(object: Json, steps: number): Json {
    let value = structuredClone(object);
    for (let i = 0; i < steps; i++) value = this.mutateOnce(value);
    return value;
  }

  private mutateOnce(value: Json): Json {
    if (value === null || typeof value !== 'object') return this.randomScalarOrContainer();
    const keys = Array.isArray(value) ? value.map((_, i) => String(i)) : Object.keys(value);
    if (keys.length === 0 || this.chance(0.2)) {
      const key = Array.isArray(value) ? String(value.length) : this.pick(['spec', 'status', 'data', 'metadata', 'foo', '$patch', 'apiVersion', 'kind', '__proto__', 'constructor']);
      (value as Record<string, Json>)[key] = this.randomJson(2);
      return value;
    }
    const key = this.pick(keys);
    const target = value as Record<string, Json>;
    switch (this.int(4)) {
      case 0:
        if (Array.isArray(value)) value.splice(Number(key), 1);
        else delete target[key];
        return value;
      case 1:
        target[key] = this.randomScalarOrContainer();
        return value;
      default:
        target[key] = this.mutateOnce(target[key]!);
        return value;
    }
  }

  private randomScalarOrContainer(): Json {
    return this.pick<Json>([null, true, false, 0, -1, 1.5, 2 ** 31, -(2 ** 63), 1e308, '', 'x', '1', 'Always', '10.96.0.1', '2024-01-01T00:00:00Z', '100m', [], {}, [1, 'a'], { a: 1 }, 'é'.repeat(5)]);
  }

  private randomJson(depth: number): Json {
    if (depth <= 0 || this.chance(0.4)) return this.randomScalarOrContainer();
    if (this.chance(0.5)) return Array.from({ length: this.int(4) }, () => this.randomJson(depth - 1));
    const out: Record<string, Json> = {};
    for (let i = this.int(4); i > 0; i--) out[this.pick(['a', 'spec', 'metadata', 'name', 'op', 'path', 'value', '$patch', 'items'])] = this.randomJson(depth - 1);
    return out;
  }

  /** A JSON patch, merge patch or strategic merge patch, sometimes malformed. */
  private patch(object: Json): Json {
    switch (this.int(3)) {
      case 0:
        return Array.from({ length: 1 + this.int(3) }, () => ({
          op: this.pick(['add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus']),
          path: this.pick(['/metadata/labels/a', '/spec/replicas', '/data/x', '/spec/containers/0/image', '/spec/template/spec/containers/-', '', '/', '/metadata/name', '/nope/deeper', '/spec/ports/9']),
          ...(this.chance(0.7) ? { value: this.randomJson(2) } : {}),
          ...(this.chance(0.2) ? { from: this.pick(['/metadata/labels', '/spec', '/x']) } : {}),
        }));
      case 1:
        return this.mutate(object, 1 + this.int(3));
      default:
        return {
          metadata: { labels: { a: this.pick<Json>(['b', null, 1]) }, ...(this.chance(0.3) ? { $patch: this.pick(['replace', 'delete', 'merge', 'bogus']) } : {}) },
          spec: this.pick<Json>([
            { template: { spec: { containers: [{ image: 'nginx:2' }] } } },
            { template: { spec: { containers: [{ name: 'c', $patch: 'delete' }] } } },
            { template: { spec: { $setElementOrder: 'x', $retainKeys: ['a'] } } },
            { template: { spec: { '$setElementOrder/containers': [{ name: 'z' }], containers: [{ name: 'c', image: 'y' }] } } },
            { ports: [{ port: 80, $patch: 'replace' }] },
            { $retainKeys: [1, 2] },
            { '$deleteFromPrimitiveList/finalizers': ['a'] },
            { replicas: { $patch: 'delete' } },
          ]),
        };
    }
  }

  private protobuf(object: Json): Buffer {
    let bytes: Buffer;
    try {
      bytes = Buffer.from(encodeKubeProtobuf(object as never));
    } catch {
      bytes = Buffer.from(KUBE_PROTOBUF_MAGIC);
    }
    switch (this.int(4)) {
      case 0:
        return bytes;
      case 1:
        return bytes.subarray(0, this.int(bytes.length + 1));
      case 2: {
        const damaged = Buffer.from(bytes);
        for (let i = 0; i < 1 + this.int(4); i++) if (damaged.length > 0) damaged[this.int(damaged.length)] = this.int(256);
        return damaged;
      }
      default:
        return Buffer.concat([KUBE_PROTOBUF_MAGIC, this.randomBytes(this.int(64))]);
    }
  }

  private damageText(text: string): Buffer {
    switch (this.int(4)) {
      case 0:
        return Buffer.from(text.slice(0, this.int(text.length)));
      case 1: {
        // the same key twice in the top-level object
        return Buffer.from(text.replace('{', '{"metadata":{"name":"dup"},'));
      }
      case 2:
        return Buffer.from('['.repeat(2000 + this.int(20_000)));
      default: {
        const bytes = Buffer.from(text);
        for (let i = 0; i < 3; i++) if (bytes.length > 0) bytes[this.int(bytes.length)] = this.int(256);
        return bytes;
      }
    }
  }

  private randomBytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => this.int(256)));
  }
}

/** Flow-style YAML of a JSON value (JSON is YAML; this adds some block-style lines too). */
function toYaml(value: Json, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : value.map((v) => `\n${indent}- ${toYaml(v, indent + '  ')}`).join('');
  const keys = Object.keys(value);
  if (keys.length === 0) return '{}';
  return keys.map((k) => `\n${indent}${JSON.stringify(k)}: ${toYaml(value[k]!, indent + '  ')}`).join('');
}
