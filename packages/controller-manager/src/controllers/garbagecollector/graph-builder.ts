// The GraphBuilder: turns what the metadata informers report into the dependency graph, and puts
// nodes on the garbage collector's two queues when something about them may need doing:
//   attemptToDelete  an owner was deleted (its dependents may now be garbage), a virtual owner
//                    must be verified, a node started or continues foreground deletion
//   attemptToOrphan  an owner started deletion with the `orphan` finalizer
// Events are applied in the order they happen (JavaScript runs one handler at a time, so the
// graph needs no lock and no separate graph-changes queue). Virtual deletes — "the apiserver says
// this owner does not exist" — come from the workers and are applied the same way.
import type { KubeObject, OwnerReference } from '@k8ts/api';
import type { EventRecorder, Logger, RateLimitingQueue } from '@k8ts/client';
import { describeIdentity, GraphNode, referenceMatches, sameIdentity, type ObjectIdentity } from './graph.ts';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/** Owners verified absent, so dependents naming them need no GET (Kubernetes keeps 500, LRU). */
export class AbsentOwnerCache {
  private readonly keys = new Map<string, true>();

  constructor(private readonly capacity = 500) {}

  add(id: ObjectIdentity): void {
    const key = cacheKey(id);
    this.keys.delete(key);
    this.keys.set(key, true);
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.keys().next().value!);
  }

  has(id: ObjectIdentity): boolean {
    const key = cacheKey(id);
    if (!this.keys.has(key)) return false;
    this.keys.delete(key);
    this.keys.set(key, true);
    return true;
  }
}

function cacheKey(id: ObjectIdentity): string {
  return JSON.stringify([id.apiVersion, id.kind, id.namespace, id.name, id.uid]);
}

export type GraphEventType = 'add' | 'update' | 'delete';

export interface GraphBuilderDeps {
  attemptToDelete: RateLimitingQueue<GraphNode>;
  attemptToOrphan: RateLimitingQueue<GraphNode>;
  recorder: EventRecorder;
  logger: Logger;
}

function beingDeleted(obj: KubeObject): boolean {
  return Boolean(obj.metadata.deletionTimestamp);
}

function hasFinalizer(obj: KubeObject, finalizer: string): boolean {
  return (obj.metadata.finalizers ?? []).includes(finalizer);
}

/** The object is being deleted with `finalizer`, and was not (so) before. */
function deletionStartsWith(oldObj: KubeObject | undefined, obj: KubeObject, finalizer: string): boolean {
  if (!beingDeleted(obj) || !hasFinalizer(obj, finalizer)) return false;
  return !oldObj || !beingDeleted(oldObj) || !hasFinalizer(oldObj, finalizer);
}

export function identityOf(apiVersion: string, kind: string, obj: KubeObject): ObjectIdentity {
  const { name = '', uid = '', namespace = '' } = obj.metadata;
  return { apiVersion, kind, name, uid, namespace };
}

export class GraphBuilder {
  readonly uidToNode = new Map<string, GraphNode>();
  readonly absentOwners = new AbsentOwnerCache();

  constructor(private readonly deps: GraphBuilderDeps) {}

  /** An informer event for an object of `apiVersion`/`kind` (oldObj: its previous state on update). */
  observe(type: GraphEventType, apiVersion: string, kind: string, obj: KubeObject, oldObj?: KubeObject): void {
    const identity = identityOf(apiVersion, kind, obj);
    let existing = this.uidToNode.get(identity.uid);
    if (existing && !existing.observed) existing = this.markObserved(existing, identity);
    const owners = obj.metadata.ownerReferences ?? [];
    if (type === 'delete') {
      if (existing) this.removeNode(existing, identity);
      return;
    }
    if (!existing) {
      const node = new GraphNode(identity, [...owners], false);
      node.beingDeleted = beingDeleted(obj);
      node.deletingDependents = node.beingDeleted && hasFinalizer(obj, FOREGROUND_FINALIZER);
      this.uidToNode.set(identity.uid, node);
      this.addDependentToOwners(node, node.owners);
      this.processTransitions(oldObj, obj, node);
      return;
    }
    const { added, removed, changed } = referenceDiffs(existing.owners, owners);
    if (added.length + removed.length + changed.length > 0) {
      this.addUnblockedOwnersToDeleteQueue(removed, changed);
      existing.owners = [...owners];
      this.addDependentToOwners(existing, added);
      this.removeDependentFromOwners(existing, removed);
    }
    if (beingDeleted(obj)) existing.beingDeleted = true;
    this.processTransitions(oldObj, obj, existing);
  }

  /**
   * The apiserver confirmed `identity` does not exist (404, or another uid under that name). A
   * real node observed with other coordinates stays; its dependents that used the verified
   * coordinates are re-examined.
   */
  virtualDelete(identity: ObjectIdentity): void {
    const existing = this.uidToNode.get(identity.uid);
    if (!existing) return;
    if (!existing.virtual && !sameIdentity(existing.identity, identity)) {
      const matching = [...existing.dependents].filter((dep) => dep.owners.some((ref) => referenceMatches(ref, identity)));
      if (matching.length > 0) this.absentOwners.add(identity);
      for (const dep of matching) this.deps.attemptToDelete.add(dep);
      return;
    }
    this.removeNode(existing, identity);
  }

  /** A virtual node is seen for real: adopt the observed coordinates, and re-check dependents that disagree. */
  private markObserved(node: GraphNode, observed: ObjectIdentity): GraphNode {
    if (!sameIdentity(node.identity, observed)) {
      for (const dep of node.dependents) {
        const agrees = (observed.namespace === '' || dep.identity.namespace === observed.namespace) && dep.owners.some((ref) => referenceMatches(ref, observed));
        if (agrees) continue;
        if (observed.namespace !== '' && dep.identity.namespace !== observed.namespace) this.reportInvalidNamespaceOwnerRef(dep, observed.uid);
        this.deps.attemptToDelete.add(dep);
      }
      node.identity = observed;
    }
    node.observed = true;
    return node;
  }

  private removeNode(node: GraphNode, deletedAs: ObjectIdentity): void {
    this.uidToNode.delete(node.identity.uid);
    this.removeDependentFromOwners(node, node.owners);
    if (node.dependents.size > 0) this.absentOwners.add(deletedAs);
    for (const dep of node.dependents) this.deps.attemptToDelete.add(dep);
    // An owner deleting in the foreground waits for this node: it may be free to go now.
    for (const ref of node.owners) {
      const owner = this.uidToNode.get(ref.uid);
      if (owner?.deletingDependents) this.deps.attemptToDelete.add(owner);
    }
  }

  /**
   * Links `node` under each owner, making virtual owners for those not seen yet (queued so the
   * apiserver is asked whether they exist). A reference that cannot be right — a namespaced
   * owner in another namespace, or named by a cluster-scoped dependent — is reported and the
   * dependent queued, so the collector treats the owner as absent.
   */
  private addDependentToOwners(node: GraphNode, owners: readonly OwnerReference[]): void {
    let suspicious = false;
    for (const ref of owners) {
      let owner = this.uidToNode.get(ref.uid);
      if (!owner) {
        const identity: ObjectIdentity = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: node.identity.namespace };
        owner = new GraphNode(identity, [], true);
        this.uidToNode.set(ref.uid, owner);
        owner.dependents.add(node);
        this.deps.attemptToDelete.add(owner);
        continue;
      }
      owner.dependents.add(node);
      if (suspicious) continue;
      const ownerNamespaced = owner.identity.namespace !== '';
      if (ownerNamespaced && owner.identity.namespace !== node.identity.namespace) {
        if (owner.observed) this.reportInvalidNamespaceOwnerRef(node, ref.uid);
        suspicious = true;
      } else if (!referenceMatches(ref, owner.identity)) {
        suspicious = true;
      } else if (!ownerNamespaced && owner.identity.namespace !== node.identity.namespace && !owner.observed) {
        // A virtual cluster-scoped owner may really be a namespaced kind named by a cluster-scoped child.
        suspicious = true;
      }
    }
    if (suspicious) this.deps.attemptToDelete.add(node);
  }

  private removeDependentFromOwners(node: GraphNode, owners: readonly OwnerReference[]): void {
    for (const ref of owners) this.uidToNode.get(ref.uid)?.dependents.delete(node);
  }

  /** A blocking reference went away or stopped blocking: its owner's foreground deletion may proceed. */
  private addUnblockedOwnersToDeleteQueue(removed: readonly OwnerReference[], changed: readonly { old: OwnerReference; now: OwnerReference }[]): void {
    const unblocked = [
      ...removed.filter((ref) => ref.blockOwnerDeletion === true),
      ...changed.filter((c) => c.old.blockOwnerDeletion === true && c.now.blockOwnerDeletion !== true).map((c) => c.now),
    ];
    for (const ref of unblocked) {
      const owner = this.uidToNode.get(ref.uid);
      if (owner) this.deps.attemptToDelete.add(owner);
    }
  }

  private processTransitions(oldObj: KubeObject | undefined, obj: KubeObject, node: GraphNode): void {
    if (deletionStartsWith(oldObj, obj, ORPHAN_FINALIZER)) {
      this.deps.attemptToOrphan.add(node);
      return;
    }
    if (deletionStartsWith(oldObj, obj, FOREGROUND_FINALIZER)) {
      node.deletingDependents = true;
      for (const dep of node.dependents) this.deps.attemptToDelete.add(dep);
      this.deps.attemptToDelete.add(node);
    }
  }

  /** The Warning event users find with `kubectl get events --field-selector reason=OwnerRefInvalidNamespace`. */
  private reportInvalidNamespaceOwnerRef(node: GraphNode, ownerUid: string): void {
    const ref = node.owners.find((o) => o.uid === ownerUid);
    if (!ref) return;
    const { apiVersion, kind, name, uid, namespace } = node.identity;
    const invalid: ObjectIdentity = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace };
    this.deps.logger.info(`garbage collector: item ${describeIdentity(node.identity)} references an owner but does not match namespaces`);
    this.deps.recorder.event(
      { kind, apiVersion, name, uid, ...(namespace ? { namespace } : {}) },
      'Warning',
      'OwnerRefInvalidNamespace',
      `ownerRef ${describeIdentity(invalid)} does not exist in namespace ${JSON.stringify(namespace)}`,
    );
  }
}

/** referencesDiffs: owner references added, removed and changed (same uid, other fields), by uid. */
export function referenceDiffs(
  old: readonly OwnerReference[],
  now: readonly OwnerReference[],
): { added: OwnerReference[]; removed: OwnerReference[]; changed: { old: OwnerReference; now: OwnerReference }[] } {
  const oldByUid = new Map(old.map((ref) => [ref.uid, ref]));
  const added: OwnerReference[] = [];
  const changed: { old: OwnerReference; now: OwnerReference }[] = [];
  for (const ref of now) {
    const before = oldByUid.get(ref.uid);
    if (!before) {
      added.push(ref);
      continue;
    }
    oldByUid.delete(ref.uid);
    if (!sameReference(before, ref)) changed.push({ old: before, now: ref });
  }
  return { added, removed: [...oldByUid.values()], changed };
}

function sameReference(a: OwnerReference, b: OwnerReference): boolean {
  return (
    a.apiVersion === b.apiVersion &&
    a.kind === b.kind &&
    a.name === b.name &&
    a.uid === b.uid &&
    (a.controller ?? null) === (b.controller ?? null) &&
    (a.blockOwnerDeletion ?? null) === (b.blockOwnerDeletion ?? null)
  );
}
