// The `paths` of a group version's OpenAPI document: every REST operation the apiserver serves
// for each resource and subresource, with the operation ids, x-kubernetes-action and
// x-kubernetes-group-version-kind that clients look for. kubectl's server-side field validation
// check needs exactly this: a PATCH operation carrying the manifest's GVK and a `fieldValidation`
// query parameter.
import type { JsonObject } from '../object.ts';
import { schema } from '../schema/registry.ts';
import { deleteReturnsObject } from '../schema/resource-behaviour.ts';
import type { GroupVersionKind, MessageSchema, ResourceInfo, SubresourceInfo } from '../schema/types.ts';
import { byteOrder } from '../discovery/groups.ts';
import { capitalize, operationGroupVersion, operationTag, schemaRef } from './names.ts';
import { metaOptions, pathParameter, PRETTY, queryParametersOf, sortParameters } from './parameters.ts';

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const STATUS = `${META}.Status`;
const DELETE_OPTIONS = `${META}.DeleteOptions`;
const WATCH_EVENT = `${META}.WatchEvent`;
const PATCH = `${META}.Patch`;
const API_RESOURCE_LIST = `${META}.APIResourceList`;
const POD_LOG_OPTIONS = 'k8s.io.api.core.v1.PodLogOptions';

const OBJECT_MEDIA_TYPES = ['application/json', 'application/vnd.kubernetes.protobuf', 'application/yaml'];
const STREAM_MEDIA_TYPES = [
  'application/json',
  'application/json;stream=watch',
  'application/vnd.kubernetes.protobuf',
  'application/vnd.kubernetes.protobuf;stream=watch',
  'application/yaml',
];
// Built-in kinds accept all four patch types; custom resources have no strategic merge patch.
const BUILT_IN_PATCH_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];
// Methods of a proxy subresource, in the order the real documents list them.
const PROXY_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];


export interface GroupVersionPaths {
  readonly paths: JsonObject;
  /** protobuf full names of every message the operations refer to (roots of components.schemas) */
  readonly schemaRoots: ReadonlySet<string>;
}

/** One operation before parameters shared by a whole path are hoisted onto the path. */
interface Operation {
  readonly method: string;
  readonly body: JsonObject;
  readonly parameters: JsonObject[];
}

class PathBuilder {
  readonly paths: Record<string, Operation[]> = {};
  readonly schemaRoots = new Set<string>([API_RESOURCE_LIST]);

  constructor(
    readonly group: string,
    readonly version: string,
  ) {}

  get prefix(): string {
    return this.group === '' ? `/api/${this.version}` : `/apis/${this.group}/${this.version}`;
  }

  add(path: string, operation: Operation): void {
    (this.paths[path] ??= []).push(operation);
  }

  /** Refers to a message from a response or body, so the document includes its schema. */
  ref(fullName: string): JsonObject {
    this.schemaRoots.add(fullName);
    return { $ref: schemaRef(fullName) };
  }

  content(mediaTypes: readonly string[], schemaObject: JsonObject): JsonObject {
    const out: JsonObject = {};
    for (const type of mediaTypes) out[type] = { schema: schemaObject };
    return out;
  }

  responses(codes: Record<string, JsonObject>, mediaTypes: readonly string[] = OBJECT_MEDIA_TYPES): JsonObject {
    const text: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted' };
    const out: JsonObject = {};
    for (const [code, schemaObject] of Object.entries(codes)) {
      out[code] = { description: text[code], content: this.content(mediaTypes, schemaObject) };
    }
    out['401'] = { description: 'Unauthorized' };
    return out;
  }

  operation(fields: {
    description: string;
    operationId: string;
    action?: string;
    gvk?: GroupVersionKind;
    requestBody?: JsonObject;
    responses: JsonObject;
  }): JsonObject {
    const op: JsonObject = {
      tags: [operationTag(this.group, this.version)],
      description: fields.description,
      operationId: fields.operationId,
    };
    if (fields.requestBody) op.requestBody = fields.requestBody;
    op.responses = fields.responses;
    if (fields.action) op['x-kubernetes-action'] = fields.action;
    if (fields.gvk) op['x-kubernetes-group-version-kind'] = { group: fields.gvk.group, kind: fields.gvk.kind, version: fields.gvk.version };
    return op;
  }

  /** The finished paths: parameters every operation of a path shares move onto the path itself. */
  build(): JsonObject {
    const out: JsonObject = {};
    for (const path of Object.keys(this.paths).sort(byteOrder)) {
      const operations = this.paths[path];
      const key = (p: JsonObject) => `${p.in as string}:${p.name as string}`;
      const shared = operations[0].parameters.filter((p) => operations.every((op) => op.parameters.some((q) => key(q) === key(p))));
      const sharedKeys = new Set(shared.map(key));
      const item: JsonObject = {};
      for (const op of operations) {
        const own = op.parameters.filter((p) => !sharedKeys.has(key(p)));
        const body = { ...op.body };
        if (own.length > 0) body.parameters = sortParameters(own);
        item[op.method] = body;
      }
      if (shared.length > 0) item.parameters = sortParameters(shared);
      out[path] = item;
    }
    return out;
  }
}

/** Paths and schema roots for one group version's resources. */
export function groupVersionPaths(group: string, version: string, resources: readonly ResourceInfo[]): GroupVersionPaths {
  const b = new PathBuilder(group, version);
  const gv = operationGroupVersion(group, version);
  b.add(`${b.prefix}/`, {
    method: 'get',
    parameters: [],
    body: b.operation({
      description: 'List the resources this group version serves.',
      operationId: `get${gv}APIResources`,
      responses: b.responses({ '200': b.ref(API_RESOURCE_LIST) }),
    }),
  });
  for (const resource of resources) addResource(b, resource);
  return { paths: b.build(), schemaRoots: b.schemaRoots };
}

function kindMessage(gvk: GroupVersionKind): MessageSchema {
  const message = schema.kindSchema(gvk);
  if (!message) throw new Error(`openapi: no schema for ${gvk.group}/${gvk.version} ${gvk.kind}`);
  return message;
}

function addResource(b: PathBuilder, r: ResourceInfo): void {
  const gv = operationGroupVersion(r.group, r.version);
  const K = r.kind;
  const ns = r.namespaced ? 'Namespaced' : '';
  const gvk: GroupVersionKind = { group: r.group, version: r.version, kind: K };
  const kind = kindMessage(gvk).fullName;
  const has = (verb: string) => r.verbs.includes(verb);
  const nsParams = r.namespaced ? [pathParameter('namespace', K)] : [];
  const nameParams = [pathParameter('name', K), ...nsParams];
  const collection = r.namespaced ? `${b.prefix}/namespaces/{namespace}/${r.resource}` : `${b.prefix}/${r.resource}`;
  const item = `${collection}/{name}`;
  const watchable = has('watch');
  const listParams = queryParametersOf(metaOptions('ListOptions'), watchable ? [] : ['sendInitialEvents']);
  const list = r.listKind ? kindMessage({ ...gvk, kind: r.listKind }).fullName : undefined;

  if (has('list') && list) {
    const listOp = (operationId: string, description: string) =>
      b.operation({ description, operationId, action: 'list', gvk, responses: b.responses({ '200': b.ref(list) }, STREAM_MEDIA_TYPES) });
    b.add(collection, {
      method: 'get',
      parameters: [...nsParams, PRETTY, ...listParams],
      body: listOp(`list${gv}${ns}${K}`, `List or watch ${K} objects.`),
    });
    if (r.namespaced) {
      b.add(`${b.prefix}/${r.resource}`, {
        method: 'get',
        parameters: [PRETTY, ...listParams],
        body: listOp(`list${gv}${K}ForAllNamespaces`, `List or watch ${K} objects in every namespace.`),
      });
    }
  }
  if (has('create')) {
    b.add(collection, {
      method: 'post',
      parameters: [...nsParams, PRETTY, ...queryParametersOf(metaOptions('CreateOptions'))],
      body: b.operation({
        description: `Create a ${K}.`,
        operationId: `create${gv}${ns}${K}`,
        action: 'post',
        gvk,
        requestBody: { content: b.content(['*/*'], b.ref(kind)), required: true },
        responses: b.responses({ '200': b.ref(kind), '201': b.ref(kind), '202': b.ref(kind) }),
      }),
    });
  }
  if (has('deletecollection')) {
    const deleteParams = queryParametersOf(metaOptions('DeleteOptions'));
    const listForDelete = queryParametersOf(metaOptions('ListOptions'), ['watch', 'allowWatchBookmarks']);
    b.add(collection, {
      method: 'delete',
      parameters: [...nsParams, PRETTY, ...deleteParams, ...listForDelete],
      body: b.operation({
        description: `Delete every ${K} the selectors match.`,
        operationId: `delete${gv}Collection${ns}${K}`,
        action: 'deletecollection',
        gvk,
        requestBody: { content: b.content(['*/*'], b.ref(DELETE_OPTIONS)) },
        responses: b.responses({ '200': b.ref(STATUS) }),
      }),
    });
  }
  if (has('get')) {
    b.add(item, {
      method: 'get',
      parameters: [...nameParams, PRETTY],
      body: b.operation({
        description: `Read the ${K} with the given name.`,
        operationId: `read${gv}${ns}${K}`,
        action: 'get',
        gvk,
        responses: b.responses({ '200': b.ref(kind) }),
      }),
    });
  }
  if (has('update')) addReplace(b, item, nameParams, `replace${gv}${ns}${K}`, `Replace the ${K} with the given name.`, gvk, kind);
  if (has('patch')) addPatch(b, item, nameParams, `patch${gv}${ns}${K}`, `Partially update the ${K} with the given name.`, gvk, kind);
  if (has('delete')) {
    const deleted = deleteReturnsObject(r.group, r.resource) ? kind : STATUS;
    b.add(item, {
      method: 'delete',
      parameters: [...nameParams, PRETTY, ...queryParametersOf(metaOptions('DeleteOptions'))],
      body: b.operation({
        description: `Delete the ${K} with the given name.`,
        operationId: `delete${gv}${ns}${K}`,
        action: 'delete',
        gvk,
        requestBody: { content: b.content(['*/*'], b.ref(DELETE_OPTIONS)) },
        responses: b.responses({ '200': b.ref(deleted), '202': b.ref(deleted) }),
      }),
    });
  }
  if (watchable) addWatches(b, r, gv, gvk, nsParams);
  for (const sub of r.subresources) addSubresource(b, r, sub, item, nameParams);
}

function addReplace(b: PathBuilder, path: string, nameParams: JsonObject[], operationId: string, description: string, gvk: GroupVersionKind, kind: string): void {
  b.add(path, {
    method: 'put',
    parameters: [...nameParams, PRETTY, ...queryParametersOf(metaOptions('UpdateOptions'))],
    body: b.operation({
      description,
      operationId,
      action: 'put',
      gvk,
      requestBody: { content: b.content(['*/*'], b.ref(kind)), required: true },
      responses: b.responses({ '200': b.ref(kind), '201': b.ref(kind) }),
    }),
  });
}

function addPatch(b: PathBuilder, path: string, nameParams: JsonObject[], operationId: string, description: string, gvk: GroupVersionKind, kind: string): void {
  b.add(path, {
    method: 'patch',
    parameters: [...nameParams, PRETTY, ...queryParametersOf(metaOptions('PatchOptions'))],
    body: b.operation({
      description,
      operationId,
      action: 'patch',
      gvk,
      requestBody: { content: b.content(BUILT_IN_PATCH_TYPES, b.ref(PATCH)), required: true },
      responses: b.responses({ '200': b.ref(kind), '201': b.ref(kind) }),
    }),
  });
}

/** The deprecated watch endpoints (/watch/...), still published by 1.32. */
function addWatches(b: PathBuilder, r: ResourceInfo, gv: string, gvk: GroupVersionKind, nsParams: JsonObject[]): void {
  const K = r.kind;
  const ns = r.namespaced ? 'Namespaced' : '';
  const listParams = queryParametersOf(metaOptions('ListOptions'));
  const watch = (operationId: string, action: string, description: string) =>
    b.operation({ description, operationId, action, gvk, responses: b.responses({ '200': b.ref(WATCH_EVENT) }, STREAM_MEDIA_TYPES) });
  const base = r.namespaced ? `${b.prefix}/watch/namespaces/{namespace}/${r.resource}` : `${b.prefix}/watch/${r.resource}`;
  const deprecated = 'Deprecated: use the list operation with watch=true instead.';
  b.add(base, {
    method: 'get',
    parameters: [...nsParams, PRETTY, ...listParams],
    body: watch(`watch${gv}${ns}${K}List`, 'watchlist', `Watch changes to ${K} objects. ${deprecated}`),
  });
  b.add(`${base}/{name}`, {
    method: 'get',
    parameters: [pathParameter('name', K), ...nsParams, PRETTY, ...listParams],
    body: watch(
      `watch${gv}${ns}${K}`,
      'watch',
      `Watch changes to one ${K}. Deprecated: use the list operation with watch=true and a metadata.name field selector instead.`,
    ),
  });
  if (r.namespaced) {
    b.add(`${b.prefix}/watch/${r.resource}`, {
      method: 'get',
      parameters: [PRETTY, ...listParams],
      body: watch(`watch${gv}${K}ListForAllNamespaces`, 'watchlist', `Watch changes to ${K} objects in every namespace. ${deprecated}`),
    });
  }
}

function addSubresource(b: PathBuilder, r: ResourceInfo, sub: SubresourceInfo, item: string, nameParams: JsonObject[]): void {
  const gv = operationGroupVersion(r.group, r.version);
  const id = `${r.namespaced ? 'Namespaced' : ''}${r.kind}${capitalize(sub.name)}`;
  const path = `${item}/${sub.name}`;
  const gvk: GroupVersionKind = { group: sub.group, version: sub.version, kind: sub.kind };
  const message = kindMessage(gvk);
  const of = `the ${sub.name} subresource of the ${r.kind}`;

  if (sub.kind.endsWith('Options')) {
    addConnect(b, r, sub, path, nameParams, message, `${gv}`, id);
    return;
  }
  if (sub.name === 'log') {
    b.add(path, {
      method: 'get',
      parameters: [...nameParams, PRETTY, ...queryParametersOf(schema.message(POD_LOG_OPTIONS))],
      body: b.operation({
        description: `Read the log of a container of the ${r.kind}.`,
        operationId: `read${gv}${id}`,
        action: 'get',
        gvk,
        responses: b.responses({ '200': { type: 'string' } }, [...OBJECT_MEDIA_TYPES, 'text/plain']),
      }),
    });
    return;
  }
  if (sub.verbs.length === 1 && sub.verbs[0] === 'create') {
    // eviction, binding, token: the subresource is a kind of its own, posted for the named object
    b.add(path, {
      method: 'post',
      parameters: [...nameParams, PRETTY, ...queryParametersOf(metaOptions('CreateOptions'))],
      body: b.operation({
        description: `Create ${of}.`,
        operationId: `create${gv}${id}`,
        action: 'post',
        gvk,
        requestBody: { content: b.content(['*/*'], b.ref(message.fullName)), required: true },
        responses: b.responses({ '200': b.ref(message.fullName), '201': b.ref(message.fullName), '202': b.ref(message.fullName) }),
      }),
    });
    return;
  }
  if (sub.verbs.includes('get')) {
    b.add(path, {
      method: 'get',
      parameters: [...nameParams, PRETTY],
      body: b.operation({
        description: `Read ${of}.`,
        operationId: `read${gv}${id}`,
        action: 'get',
        gvk,
        responses: b.responses({ '200': b.ref(message.fullName) }),
      }),
    });
  }
  if (sub.verbs.includes('update')) addReplace(b, path, nameParams, `replace${gv}${id}`, `Replace ${of}.`, gvk, message.fullName);
  if (sub.verbs.includes('patch')) addPatch(b, path, nameParams, `patch${gv}${id}`, `Partially update ${of}.`, gvk, message.fullName);
}

/** exec, attach, portforward and proxy: the connection is upgraded or proxied, so the body is opaque. */
function addConnect(b: PathBuilder, r: ResourceInfo, sub: SubresourceInfo, path: string, nameParams: JsonObject[], options: MessageSchema, gv: string, id: string): void {
  const gvk: GroupVersionKind = { group: sub.group, version: sub.version, kind: sub.kind };
  const methods = sub.name === 'proxy' ? PROXY_METHODS : [...(sub.verbs.includes('get') ? ['get'] : []), ...(sub.verbs.includes('create') ? ['post'] : [])];
  const query = queryParametersOf(options);
  const variants: [string, string, JsonObject[]][] = [[path, '', [pathParameter('name', sub.kind), ...nameParams.slice(1), ...query]]];
  if (sub.name === 'proxy') {
    variants.push([`${path}/{path}`, 'WithPath', [pathParameter('name', sub.kind), ...nameParams.slice(1), pathParameter('path', sub.kind), ...query]]);
  }
  for (const [p, suffix, parameters] of variants) {
    for (const method of methods) {
      b.add(p, {
        method,
        parameters,
        body: b.operation({
          description: `Connect ${method.toUpperCase()} requests to the ${sub.name} subresource of a ${r.kind}${suffix ? ', with a path' : ''}.`,
          operationId: `connect${gv}${capitalize(method)}${id}${suffix}`,
          action: 'connect',
          gvk,
          responses: b.responses({ '200': { type: 'string' } }, ['*/*']),
        }),
      });
    }
  }
}
