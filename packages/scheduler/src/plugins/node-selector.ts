// Node selection as a pod's nodeSelector and required node affinity express it, on the node
// selector term matching packages/api shares with volumes and DaemonSets.
import { nodeSelectorTermMatches as termMatches } from '@k8ts/api/storage/node-affinity.ts';
import type { Node, NodeSelectorTerm, Pod } from '../framework/types.ts';

/** One term: every expression against the labels and every field requirement; an empty term matches nothing. */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: Node): boolean {
  return termMatches(term, { name: node.metadata.name ?? '', labels: node.metadata.labels });
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
