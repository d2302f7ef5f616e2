// The decision at the heart of ResourceQuota admission (Kubernetes' CheckRequest), as a pure
// function: given a namespace's quotas and one request, either refuse it with Kubernetes' words
// or return the quotas with the request's usage added to status.used — which the plugin then
// writes, so the next request is measured against it.
import type { KubeObject } from '@k8ts/api';
import type { QuotaEvaluator, QuotaOperation } from '@k8ts/api/quota/evaluator.ts';
import {
  add,
  lessThanOrEqual,
  mask,
  negativeNames,
  prettyPrint,
  removeZeros,
  resourceListJson,
  subtractNonNegative,
  type ResourceList,
} from '@k8ts/api/quota/resource-list.ts';
import { quotaMatches, statusHard, statusUsed, type ResourceQuota } from '@k8ts/api/quota/usage.ts';

export interface QuotaRequest {
  operation: QuotaOperation;
  subresource: string;
  object: KubeObject;
  /** the stored object an UPDATE replaces */
  oldObject?: KubeObject;
}

export type QuotaDecision = { allowed: true; quotas: ResourceQuota[] } | { allowed: false; reason: string };

/** Every limited name has a recorded usage: until the controller has counted, nothing is admitted. */
function hasUsageStats(quota: ResourceQuota, restricted: readonly string[]): boolean {
  const used = statusUsed(quota);
  return Object.keys(statusHard(quota)).every((name) => !restricted.includes(name) || used[name] !== undefined);
}

export function checkRequest(quotas: readonly ResourceQuota[], request: QuotaRequest, evaluator: QuotaEvaluator, now: Date): QuotaDecision {
  const unchanged: QuotaDecision = { allowed: true, quotas: [...quotas] };
  if (!evaluator.handles(request.operation, request.subresource)) return unchanged;
  const { object } = request;

  // The quotas that govern this object; each must have been counted and its rules obeyed.
  const interesting: number[] = [];
  for (const [index, quota] of quotas.entries()) {
    if (!quotaMatches(quota, evaluator, object)) continue;
    const restricted = evaluator.matchingResources(Object.keys(statusHard(quota)));
    const broken = evaluator.constraints(restricted, object);
    if (broken) return { allowed: false, reason: `failed quota: ${quota.metadata.name}: ${broken}` };
    if (!hasUsageStats(quota, restricted)) {
      return { allowed: false, reason: `status unknown for quota: ${quota.metadata.name}, resources: ${[...restricted].sort().join(',')}` };
    }
    interesting.push(index);
  }

  const inputUsage = evaluator.usage(object, now);
  const negative = negativeNames(inputUsage);
  if (negative.length > 0) return { allowed: false, reason: `quota usage is negative for resource(s): ${negative.join(',')}` };

  // A create is charged in full; an update only for what it adds, to quotas that already counted the old object.
  const deltas = new Map<number, ResourceList>(interesting.map((index) => [index, inputUsage]));
  if (request.operation === 'UPDATE') {
    const old = request.oldObject;
    if (!old) return { allowed: false, reason: 'unable to get previous usage since prior version of object was not found' };
    if (old.metadata.resourceVersion) {
      const delta = subtractNonNegative(inputUsage, evaluator.usage(old, now));
      for (const index of interesting) if (quotaMatches(quotas[index]!, evaluator, old)) deltas.set(index, delta);
    }
  }
  for (const [index, delta] of deltas) {
    const nonZero = removeZeros(delta);
    if (Object.keys(nonZero).length === 0) deltas.delete(index);
    else deltas.set(index, nonZero);
  }
  if (deltas.size === 0) return unchanged;

  const result = [...quotas];
  for (const [index, delta] of deltas) {
    const quota = quotas[index]!;
    const hard = statusHard(quota);
    const used = statusUsed(quota);
    const requested = mask(delta, Object.keys(hard));
    const newUsage = add(used, requested);
    if (request.subresource !== 'status') {
      const { allowed, exceeded } = lessThanOrEqual(mask(newUsage, Object.keys(requested)), hard);
      if (!allowed) {
        const amounts = [`requested: ${prettyPrint(mask(requested, exceeded))}`, `used: ${prettyPrint(mask(used, exceeded))}`, `limited: ${prettyPrint(mask(hard, exceeded))}`];
        return { allowed: false, reason: `exceeded quota: ${quota.metadata.name}, ${amounts.join(', ')}` };
      }
    }
    result[index] = { ...quota, status: { ...quota.status, used: resourceListJson(newUsage) } };
  }
  return { allowed: true, quotas: result };
}
