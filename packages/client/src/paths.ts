// REST paths of the Kubernetes API: /api/v1 for the core group, /apis/<group>/<version> for the
// rest, then namespaces/<ns>/ for namespaced resources, the plural, the name, the subresource.
import { schema, type GroupVersionKind, type ResourceInfo, type SubresourceInfo } from '@k8ts/api';

/** What a client needs to know about a resource: the schema's ResourceInfo, or the same for a CRD. */
export interface ResourceTarget {
  readonly group: string;
  readonly version: string;
  /** plural, e.g. "deployments" */
  readonly resource: string;
  readonly namespaced: boolean;
  /** the kind of its objects; read from list responses when not given */
  readonly kind?: string;
  /** known subresources; when given, requests for others are refused before they are sent */
  readonly subresources?: readonly SubresourceInfo[];
}

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export function targetForResource(gvr: GroupVersionResource): ResourceInfo {
  const info = schema.resourceFor(gvr.group, gvr.version, gvr.resource);
  if (!info) throw new Error(`the server doesn't have a resource type "${gvr.resource}" in ${groupVersionText(gvr)}`);
  return info;
}

export function targetForKind(gvk: GroupVersionKind): ResourceInfo {
  const info = schema.resourceForKind(gvk);
  if (!info) throw new Error(`no matches for kind "${gvk.kind}" in version "${groupVersionText(gvk)}"`);
  return info;
}

function groupVersionText(gv: { group: string; version: string }): string {
  return gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
}

/** "deployments.apps", "pods": how errors name a resource. */
export function qualifiedResource(target: Pick<ResourceTarget, 'group' | 'resource'>): string {
  return target.group === '' ? target.resource : `${target.resource}.${target.group}`;
}

/** apimachinery's IsValidPathSegmentName: the problems that keep `name` out of a URL path. */
export function pathSegmentProblems(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const problems: string[] = [];
  for (const illegal of ['/', '%']) if (name.includes(illegal)) problems.push(`may not contain '${illegal}'`);
  return problems;
}

function checkSegment(what: string, value: string): void {
  const problems = pathSegmentProblems(value);
  if (problems.length > 0) throw new Error(`invalid ${what} ${JSON.stringify(value)}: [${problems.join(' ')}]`);
}

export interface PathParts {
  namespace?: string;
  name?: string;
  subresource?: string;
}

export function resourcePath(target: ResourceTarget, parts: PathParts = {}): string {
  const segments = target.group === '' ? ['api', target.version] : ['apis', target.group, target.version];
  if (parts.namespace !== undefined && parts.namespace !== '') {
    if (!target.namespaced) throw new Error(`${qualifiedResource(target)} is not namespaced`);
    checkSegment('namespace', parts.namespace);
    segments.push('namespaces', parts.namespace);
  }
  segments.push(target.resource);
  if (parts.name !== undefined) {
    if (parts.name === '') throw new Error('resource name may not be empty');
    checkSegment('resource name', parts.name);
    segments.push(parts.name);
  }
  if (parts.subresource !== undefined) {
    if (parts.name === undefined) throw new Error(`subresource ${parts.subresource} needs an object name`);
    if (target.subresources && !target.subresources.some((s) => s.name === parts.subresource)) {
      throw new Error(`${qualifiedResource(target)} has no subresource "${parts.subresource}"`);
    }
    segments.push(parts.subresource);
  }
  return '/' + segments.map(encodeURIComponent).join('/');
}
