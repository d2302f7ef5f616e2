// Which owners an event on one of their dependents (a pod, ReplicaSet, Job or ControllerRevision)
// concerns — the routing kube-controller-manager's workload controllers repeat in their
// add/update/delete handlers: the owner the dependent's controller reference names; for an
// orphan, every owner whose selector matches it and so might adopt it; and, when an update
// moved the reference, the owner that lost the dependent.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '@k8ts/api';
import type { Lister, Logger } from '@k8ts/client';
import { controllerRefOf } from '../controller/controller-utils.ts';
import { ownersSelecting, resolveControllerRef } from '../controller/owner-lookup.ts';

export type SelectingOwner = KubeObject & { spec?: { selector?: unknown } };

/** Logged when more than one owner selects an orphan: overlapping selectors are a user error. */
export interface OverlapWarning {
  logger: Logger;
  /** Kubernetes' wording up to the labels, e.g. "user error! more than one ReplicaSet is selecting pods with labels". */
  message: string;
}

/** The owners a new dependent concerns. */
export interface AddedDependentOwners<O> {
  /** The owner its controller reference names, if it is still that object. */
  controller?: O;
  /** With no controller reference: every owner that might adopt it. */
  adopters: O[];
}

/** The owners a changed dependent concerns. */
export interface UpdatedDependentOwners<O> extends AddedDependentOwners<O> {
  /** The owner an old controller reference named, when the update changed it. */
  previous?: O;
}

export class DependentOwners<O extends SelectingOwner> {
  constructor(
    private readonly owners: Lister<O>,
    private readonly ownerKind: string,
    private readonly overlap?: OverlapWarning,
  ) {}

  /** The owner `dependent`'s controller reference names, if it still exists with that uid. */
  controllerOf(dependent: KubeObject): O | undefined {
    const ref = controllerRefOf(dependent);
    return ref ? resolveControllerRef(this.owners, this.ownerKind, dependent.metadata.namespace ?? '', ref) : undefined;
  }

  /** Every owner whose (non-empty) selector matches the orphan. */
  adoptersOf(orphan: KubeObject): O[] {
    const matching = ownersSelecting(this.owners, orphan);
    if (matching.length > 1 && this.overlap) {
      this.overlap.logger.warn(`${this.overlap.message}: ${JSON.stringify(orphan.metadata.labels)}`);
    }
    return matching;
  }

  ofAdded(dependent: KubeObject): AddedDependentOwners<O> {
    if (controllerRefOf(dependent)) return { controller: this.controllerOf(dependent), adopters: [] };
    return { adopters: this.adoptersOf(dependent) };
  }

  /**
   * An orphan's possible adopters are asked only when its labels or its (now absent) controller
   * reference changed: otherwise they have already seen it as it is.
   */
  ofUpdated(old: KubeObject, cur: KubeObject): UpdatedDependentOwners<O> {
    const oldRef = controllerRefOf(old);
    const curRef = controllerRefOf(cur);
    const refChanged = !isDeepStrictEqual(curRef, oldRef);
    const previous = refChanged && oldRef ? this.controllerOf(old) : undefined;
    if (curRef) return { previous, controller: this.controllerOf(cur), adopters: [] };
    const labelsChanged = !isDeepStrictEqual(old.metadata.labels ?? {}, cur.metadata.labels ?? {});
    return { previous, adopters: labelsChanged || refChanged ? this.adoptersOf(cur) : [] };
  }
}
