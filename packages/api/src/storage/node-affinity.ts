// Node selector terms against a node (component-helpers' nodeaffinity), as a PersistentVolume's
// required node affinity (CheckNodeAffinity), a pod's required node affinity (the scheduler)
// and a DaemonSet's pods use them: the terms are ORed, a term's requirements ANDed; expressions
// test the node's labels with In/NotIn/Exists/DoesNotExist/Gt/Lt, fields only its metadata.name
// with In/NotIn. A volume without node affinity is reachable from every node.
import type { NodeSelectorRequirementJson, NodeSelectorTermJson, PersistentVolume } from './types.ts';

export interface NodeIdentity {
  name: string;
  labels?: Record<string, string>;
}

function integer(text: string | undefined): number | undefined {
  return text !== undefined && /^[+-]?[0-9]+$/.test(text) ? Number(text) : undefined;
}

function requirementMatches(req: NodeSelectorRequirementJson, values: Readonly<Record<string, string>>): boolean {
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
      const bound = wanted.length === 1 ? integer(wanted[0]) : undefined;
      const actual = integer(value);
      if (bound === undefined || actual === undefined) return false;
      return req.operator === 'Gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

/** One term; an empty term matches no node. */
export function nodeSelectorTermMatches(term: NodeSelectorTermJson, node: NodeIdentity): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.labels ?? {};
  for (const req of expressions) if (!requirementMatches(req, labels)) return false;
  for (const req of fields) {
    // metadata.name is the only node field a selector may use, and only with In or NotIn.
    if (req.key !== 'metadata.name' || (req.operator !== 'In' && req.operator !== 'NotIn')) return false;
    if (!requirementMatches(req, { 'metadata.name': node.name })) return false;
  }
  return true;
}

/** Whether the volume may be used on the node. */
export function volumeNodeAffinityMatches(pv: PersistentVolume, node: NodeIdentity): boolean {
  const required = pv.spec?.nodeAffinity?.required;
  if (!required) return true;
  return required.nodeSelectorTerms.some((term) => nodeSelectorTermMatches(term, node));
}

/** The node affinity a node-local volume gets: exactly the node with this hostname label. */
export function nodeAffinityForNode(hostname: string): NonNullable<NonNullable<PersistentVolume['spec']>['nodeAffinity']> {
  return { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [hostname] }] }] } };
}
