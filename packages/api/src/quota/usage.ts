// A ResourceQuota as quota arithmetic reads it, whether a quota applies to an object, and the
// full recount of a quota's usage the controller writes to status.used (quota.CalculateUsage).
import type { KubeObject } from '../object.ts';
import type { QuotaEvaluator, ScopeRequirement } from './evaluator.ts';
import { add, count, mask, parseResourceList, type ResourceList } from './resource-list.ts';

export interface ResourceQuota extends KubeObject {
  spec?: {
    hard?: Record<string, string>;
    scopes?: string[];
    scopeSelector?: { matchExpressions?: ScopeRequirement[] };
  };
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

/** spec.scopes (each an Exists requirement) followed by the scopeSelector's expressions. */
export function quotaScopes(quota: ResourceQuota): ScopeRequirement[] {
  return [
    ...(quota.spec?.scopes ?? []).map((scopeName) => ({ scopeName, operator: 'Exists' })),
    ...(quota.spec?.scopeSelector?.matchExpressions ?? []),
  ];
}

export function statusHard(quota: ResourceQuota): ResourceList {
  return parseResourceList(quota.status?.hard);
}

export function statusUsed(quota: ResourceQuota): ResourceList {
  return parseResourceList(quota.status?.used);
}

/**
 * Whether `quota` governs `object` (generic.Matches): it limits something the evaluator
 * accounts for, and the object falls under every one of its scopes.
 */
export function quotaMatches(quota: ResourceQuota, evaluator: QuotaEvaluator, object: KubeObject): boolean {
  const limited = evaluator.matchingResources(Object.keys(statusHard(quota))).length > 0;
  return limited && quotaScopes(quota).every((scope) => evaluator.matchesScope(scope, object));
}

/**
 * The usage of everything `quota` limits (spec.hard) in its namespace, recounted from scratch:
 * `objectsOf` lists an evaluator's objects in that namespace. Names no evaluator measures are
 * left out, so the caller keeps whatever was recorded for them.
 */
export function calculateUsage(
  quota: ResourceQuota,
  evaluators: readonly QuotaEvaluator[],
  objectsOf: (evaluator: QuotaEvaluator) => readonly KubeObject[],
  now: Date,
): ResourceList {
  const hardNames = Object.keys(parseResourceList(quota.spec?.hard));
  const scopes = quotaScopes(quota);
  const measured = new Set<string>();
  let used: ResourceList = {};
  for (const evaluator of evaluators) {
    const names = evaluator.matchingResources(hardNames);
    if (names.length === 0) continue;
    names.forEach((name) => measured.add(name));
    // Each measured name starts at zero, so a quota over nothing shows 0 rather than no value.
    let stats: ResourceList = Object.fromEntries(names.map((name) => [name, count(0)]));
    for (const object of objectsOf(evaluator)) {
      if (scopes.every((scope) => evaluator.matchesScope(scope, object))) stats = add(stats, evaluator.usage(object, now));
    }
    used = add(used, stats);
  }
  return mask(used, measured);
}
