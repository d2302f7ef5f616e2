// Node selection as nodeSelector and node affinity terms express it (component-helpers'
// nodeaffinity): label requirements with In/NotIn/Exists/DoesNotExist/Gt/Lt, and field
// requirements on metadata.name.
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod } from '../framework/types.ts';

function parseInt64(text: string): number | undefined {
  return /^[+-]?[0-9]+$/.test(text) ? Number(text) : undefined;
}

function requirementMatches(req: NodeSelectorRequirement, values: Readonly<Record<string, string>>): boolean {
  const present = Object.hasOwn(values, req.key);
  const value = present ? values[req.key] : undefined;
  const wanted = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return present && wanted.includes(value!);
    case 'NotIn':
      return !present || !wanted.includes(value!);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    case 'Gt':
    case 'Lt': {
      // Exactly one integer value; a node label that is not an integer does not match.
      if (wanted.length !== 1) return false;
      const bound = parseInt64(wanted[0]);
      const actual = present ? parseInt64(value!) : undefined;
      if (bound === undefined || actual === undefined) return false;
      return req.operator === 'Gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

/** One term: every expression against the labels and every field requirement; an empty term matches nothing. */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: Node): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  for (const req of expressions) if (!requirementMatches(req, labels)) return false;
  for (const req of fields) {
    // metadata.name is the only node field a selector may use.
    if (req.key !== 'metadata.name' || (req.operator !== 'In' && req.operator !== 'NotIn')) return false;
    if (!requirementMatches(req, { 'metadata.name': node.metadata.name ?? '' })) return false;
  }
  return true;
}

/** Terms are ORed. */
export function nodeSelectorTermsMatch(terms: readonly NodeSelectorTerm[], node: Node): boolean {
  for (const term of terms) if (nodeSelectorTermMatches(term, node)) return true;
  return false;
}

/**
 * nodeaffinity.GetRequiredNodeAffinity(pod).Match: spec.nodeSelector (every label equal) and
 * the required node affinity terms (any one).
 */
export function podRequiredNodeAffinityMatches(pod: Pod, node: Node): boolean {
  const selector = pod.spec.nodeSelector;
  if (selector) {
    const labels = node.metadata.labels ?? {};
    for (const key of Object.keys(selector)) {
      if (!Object.hasOwn(labels, key) || labels[key] !== selector[key]) return false;
    }
  }
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) return nodeSelectorTermsMatch(required.nodeSelectorTerms ?? [], node);
  return true;
}
