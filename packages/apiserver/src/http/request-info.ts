// Turns a URL path and method into what the request is about — like the Kubernetes
// apiserver's RequestInfo: API group/version, namespace, resource, name, subresource, verb.
import { errors } from './api-error.ts';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' | 'connect';

export interface RequestInfo {
  readonly group: string;
  readonly version: string;
  readonly namespace?: string;
  readonly resource: string;
  readonly name?: string;
  readonly subresource?: string;
  /** path after the subresource, for proxy */
  readonly rest?: string;
  readonly verb: Verb;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const CONNECT_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy', 'log']);

/**
 * Parses "/api/v1/namespaces/default/pods/web/log" and "/apis/apps/v1/deployments".
 * Returns undefined for paths that are not resource paths (discovery documents).
 */
export function parseResourcePath(method: string, path: string, query: URLSearchParams): RequestInfo | undefined {
  const parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  // Deprecated "/watch/" path prefix: same as ?watch=true.
  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  // "namespaces/{ns}/{resource}..." is a namespaced path; "namespaces/{name}" alone, or with the
  // namespace's own subresources (status, finalize), is the namespace object.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) {
    namespace = rest[1]!;
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...tail] = rest;
  if (!resource) return undefined;
  // ?watch=true turns a list into a watch; "/watch/" also watches a single named object.
  const isWatch = watchPrefix || (name === undefined && queryFlag(query, 'watch'));
  const verb = verbFor(method, name !== undefined, subresource, isWatch);
  return {
    group,
    version,
    ...(namespace !== undefined ? { namespace } : {}),
    resource,
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
    ...(tail.length > 0 ? { rest: tail.join('/') } : {}),
    verb,
  };
}

/** A boolean query parameter as Kubernetes decodes one: given, and neither "false" nor "0" (any case). */
export function queryFlag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value !== null && value.toLowerCase() !== 'false' && value !== '0';
}

function verbFor(method: string, hasName: boolean, subresource: string | undefined, watch: boolean): Verb {
  if (subresource && CONNECT_SUBRESOURCES.has(subresource)) {
    return subresource === 'log' ? 'get' : 'connect';
  }
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watch) return 'watch';
      return hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      throw errors.methodNotAllowed();
  }
}
