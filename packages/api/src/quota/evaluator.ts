// What quota knows about one kind of object (Kubernetes' quota.Evaluator): which quota resource
// names it can account for, what one object uses, whether it falls under a quota's scopes, and
// what it must state before a quota covering it admits it. Every kind without special rules is
// counted as "count/<resource>[.<group>]" by the generic object-count evaluator below.
import type { KubeObject } from '../object.ts';
import { count, type ResourceList } from './resource-list.ts';

/** One of a quota's scopes: spec.scopes entries become {scopeName, operator: "Exists"}. */
export interface ScopeRequirement {
  scopeName: string;
  operator: string;
  values?: string[];
}

export type QuotaOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface QuotaEvaluator {
  readonly group: string;
  readonly resource: string;
  /** whether a request of this kind can change usage */
  handles(operation: QuotaOperation, subresource: string): boolean;
  /** the names among `names` this evaluator accounts for */
  matchingResources(names: readonly string[]): string[];
  /** why `object` may not be admitted under a quota on `required`, or undefined when it may */
  constraints(required: readonly string[], object: KubeObject): string | undefined;
  /** what `object` uses; `now` decides whether a deleted pod is past its grace period */
  usage(object: KubeObject, now: Date): ResourceList;
  /** whether `object` falls under the scope (kinds without scopes fall under none) */
  matchesScope(scope: ScopeRequirement, object: KubeObject): boolean;
}

/** "count/pods", "count/deployments.apps": the object-count name of a resource. */
export function objectCountName(group: string, resource: string): string {
  return group === '' ? `count/${resource}` : `count/${resource}.${group}`;
}

/** The resource a "count/<resource>[.<group>]" name counts, or undefined for other names. */
export function countedResource(name: string): { group: string; resource: string } | undefined {
  if (!name.startsWith('count/')) return undefined;
  const qualified = name.slice('count/'.length);
  const dot = qualified.indexOf('.');
  return dot < 0 ? { group: '', resource: qualified } : { group: qualified.slice(dot + 1), resource: qualified.slice(0, dot) };
}

export function intersection(names: readonly string[], known: readonly string[]): string[] {
  return names.filter((name) => known.includes(name));
}

/**
 * Counts objects: each one uses 1 of "count/<resource>[.<group>]" and, for the kinds quota
 * counted before object-count names existed (secrets, configmaps, …), 1 of its old name too.
 * Only creates change a count; scoped quotas never match these kinds.
 */
export function objectCountEvaluator(group: string, resource: string, alias?: string): QuotaEvaluator {
  const names = [objectCountName(group, resource), ...(alias ? [alias] : [])];
  return {
    group,
    resource,
    handles: (operation) => operation === 'CREATE',
    matchingResources: (input) => intersection(input, names),
    constraints: () => undefined,
    usage: () => Object.fromEntries(names.map((name) => [name, count(1)])),
    matchesScope: () => false,
  };
}
