// The garbage collector's dependency graph: one node per object it has heard of, keyed by uid,
// each knowing its owners (the object's ownerReferences) and its dependents (the nodes whose
// ownerReferences name it). A node is "virtual" when it was made for an owner some dependent
// names but no informer has reported yet; such a node is checked against the apiserver and
// removed when the owner turns out not to exist.
import type { OwnerReference } from '@k8ts/api';

/** Who an object is: its coordinates as an owner reference names them, plus its namespace ("" if cluster-scoped). */
export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  namespace: string;
}

/** objectReference.String() in Kubernetes' log lines and events. */
export function describeIdentity(id: ObjectIdentity): string {
  return `[${id.apiVersion}/${id.kind}, namespace: ${id.namespace}, name: ${id.name}, uid: ${id.uid}]`;
}

export function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.name === b.name && a.uid === b.uid && a.namespace === b.namespace;
}

/** An owner reference's coordinates match an identity (the namespace is the dependent's concern). */
export function referenceMatches(ref: OwnerReference, id: ObjectIdentity): boolean {
  return ref.uid === id.uid && ref.name === id.name && ref.kind === id.kind && ref.apiVersion === id.apiVersion;
}

export class GraphNode {
  readonly dependents = new Set<GraphNode>();
  /** seen through an informer (as opposed to only named by a dependent) */
  observed: boolean;
  /** deletionTimestamp is set */
  beingDeleted = false;
  /** deletionTimestamp and the foregroundDeletion finalizer: its dependents go first */
  deletingDependents = false;

  constructor(
    public identity: ObjectIdentity,
    public owners: OwnerReference[],
    readonly virtual: boolean,
  ) {
    this.observed = !virtual;
  }

  /** Dependents whose reference to this node has blockOwnerDeletion: they hold up its foreground deletion. */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((dep) => dep.owners.some((ref) => ref.uid === this.identity.uid && ref.blockOwnerDeletion === true));
  }

  toString(): string {
    return describeIdentity(this.identity);
  }
}
