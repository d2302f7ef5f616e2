// Which evaluator measures which resource: the special ones for pods, services and claims, the
// old object-count names for configmaps, resourcequotas, replicationcontrollers and secrets,
// and a generic object count for everything else a quota names as "count/<resource>.<group>".
import { countedResource, objectCountEvaluator, type QuotaEvaluator } from './evaluator.ts';
import { persistentVolumeClaimEvaluator } from './persistent-volume-claims.ts';
import { podEvaluator } from './pods.ts';
import { serviceEvaluator } from './services.ts';

/** The evaluators that always exist (pkg/quota/v1/evaluator/core's NewEvaluators). */
export const CORE_EVALUATORS: readonly QuotaEvaluator[] = [
  podEvaluator,
  serviceEvaluator,
  persistentVolumeClaimEvaluator,
  objectCountEvaluator('', 'configmaps', 'configmaps'),
  objectCountEvaluator('', 'resourcequotas', 'resourcequotas'),
  objectCountEvaluator('', 'replicationcontrollers', 'replicationcontrollers'),
  objectCountEvaluator('', 'secrets', 'secrets'),
];

/** Resources quota never looks at: their objects are not charged to anyone (quota's ignored list). */
const IGNORED = new Set([
  '/events',
  'events.k8s.io/events',
  'authentication.k8s.io/tokenreviews',
  'authorization.k8s.io/subjectaccessreviews',
  'authorization.k8s.io/selfsubjectaccessreviews',
  'authorization.k8s.io/localsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectrulesreviews',
]);

export function isIgnoredResource(group: string, resource: string): boolean {
  return IGNORED.has(`${group}/${resource}`);
}

/** The evaluator for a resource: a core one, else a generic object count. */
export function evaluatorFor(group: string, resource: string): QuotaEvaluator {
  return CORE_EVALUATORS.find((e) => e.group === group && e.resource === resource) ?? objectCountEvaluator(group, resource);
}

/**
 * The evaluators that measure some of `names` (a quota's hard resource names), each once: the
 * core ones that match, plus an object count for each "count/…" name no core evaluator covers.
 */
export function evaluatorsFor(names: readonly string[]): QuotaEvaluator[] {
  const chosen = CORE_EVALUATORS.filter((e) => e.matchingResources(names).length > 0);
  for (const name of names) {
    const counted = countedResource(name);
    if (!counted || isIgnoredResource(counted.group, counted.resource)) continue;
    if (chosen.some((e) => e.group === counted.group && e.resource === counted.resource)) continue;
    chosen.push(objectCountEvaluator(counted.group, counted.resource));
  }
  return chosen;
}
