// Claiming (kube-controller-manager's ControllerRefManager): a controller owns the objects whose
// controller owner reference names its UID. On each sync it claims the objects it should own:
//  - owned and still matching its selector: kept;
//  - owned but no longer matching: released (its owner reference removed), unless the owner is
//    itself being deleted — then the garbage collector deals with them;
//  - orphaned, matching, in its namespace, and neither side being deleted: adopted — but only
//    after re-reading the owner from the apiserver ("canAdopt"), because a cached owner may
//    already be deleted, and adopting for a dead owner would hand the pods to the GC.
// Objects owned by another controller are never touched. Adoption and release are strategic
// merge patches of metadata.ownerReferences that also carry metadata.uid, so a patch can never
// land on a different object that reused the name.
import type { JsonObject, KubeObject } from '@k8ts/api';
import { errorMessage, isInvalid, isNotFound, type ResourceClient } from '@k8ts/client';
import type { LabelSelector } from '@k8ts/api/selectors/index.ts';
import { matchesLabels } from '@k8ts/api/selectors/index.ts';
import { controllerRefOf } from './controller-utils.ts';
import { newControllerRef, type GroupVersionKind } from './pod-control.ts';
import type { Pod } from './workload-types.ts';

/** Patches one object of the claimed kind (a strategic merge patch). */
export type ObjectPatcher = (namespace: string, name: string, patch: JsonObject) => Promise<unknown>;

export interface ControllerRefManagerOptions {
  /** the would-be owner, as cached */
  controller: KubeObject;
  controllerKind: GroupVersionKind;
  /** the owner's selector (null, Nothing, claims none) */
  selector: LabelSelector | null;
  /** the claimed kind's name for error messages: "Pod", "ReplicaSet" */
  objectKind: string;
  patch: ObjectPatcher;
  /** throws when the owner may not adopt (see recheckDeletionTimestamp); asked at most once */
  canAdopt?: () => Promise<void>;
  /** finalizers added on adoption and removed on release (Jobs' batch.kubernetes.io/job-tracking) */
  finalizers?: string[];
}

export class ControllerRefManager<T extends KubeObject> {
  private canAdoptResult: Promise<void> | undefined;

  constructor(private readonly options: ControllerRefManagerOptions) {}

  /**
   * The objects this controller owns after adopting and releasing (ClaimPods /
   * ClaimReplicaSets). Errors do not stop the others from being claimed; they are thrown
   * together afterwards, one message or "[a, b]".
   */
  async claim(objects: readonly T[], ...filters: ((obj: T) => boolean)[]): Promise<T[]> {
    const match = (obj: T): boolean => matchesLabels(this.options.selector, obj.metadata.labels) && filters.every((f) => f(obj));
    const claimed: T[] = [];
    const errors: unknown[] = [];
    for (const obj of objects) {
      try {
        if (await this.claimObject(obj, match)) claimed.push(obj);
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new Error(`[${errors.map(errorMessage).join(', ')}]`);
    return claimed;
  }

  /** Whether the controller owns `obj` after this call (ClaimObject). */
  async claimObject(obj: T, match: (obj: T) => boolean): Promise<boolean> {
    const { controller } = this.options;
    const ref = controllerRefOf(obj);
    if (ref) {
      if (ref.uid !== controller.metadata.uid) return false;
      if (match(obj)) return true;
      if (controller.metadata.deletionTimestamp) return false;
      await this.release(obj);
      return false;
    }
    if (controller.metadata.deletionTimestamp || !match(obj)) return false;
    if (obj.metadata.deletionTimestamp) return false;
    if (controller.metadata.namespace && controller.metadata.namespace !== obj.metadata.namespace) return false;
    try {
      await this.adopt(obj);
    } catch (err) {
      // Gone meanwhile: nothing to own.
      if (isNotFound(err)) return false;
      throw err;
    }
    return true;
  }

  /** Makes the controller the object's controller owner. */
  async adopt(obj: T): Promise<void> {
    const { controller, controllerKind, objectKind, patch, finalizers } = this.options;
    const { namespace = '', name = '', uid = '' } = obj.metadata;
    try {
      await this.checkCanAdopt();
    } catch (err) {
      throw new Error(`can't adopt ${objectKind} ${namespace}/${name} (${uid}): ${errorMessage(err)}`, { cause: err });
    }
    await patch(namespace, name, ownerRefControllerPatch(controller, controllerKind, uid, finalizers));
  }

  /** Removes the controller's owner reference from the object. */
  async release(obj: T): Promise<void> {
    const { controller, patch, finalizers } = this.options;
    const { namespace = '', name = '', uid = '' } = obj.metadata;
    try {
      await patch(namespace, name, deleteOwnerRefPatch(uid, [controller.metadata.uid ?? ''], finalizers));
    } catch (err) {
      // Gone, or a different object by now (the uid in the patch no longer matches): nothing to release.
      if (isNotFound(err) || isInvalid(err)) return;
      throw err;
    }
  }

  private checkCanAdopt(): Promise<void> {
    this.canAdoptResult ??= this.options.canAdopt ? this.options.canAdopt() : Promise.resolve();
    return this.canAdoptResult;
  }
}

/** A manager claiming pods through `patch` (usually PodControl.patchPod). */
export function podControllerRefManager<T extends Pod>(options: Omit<ControllerRefManagerOptions, 'objectKind'>): ControllerRefManager<T> {
  return new ControllerRefManager<T>({ ...options, objectKind: 'Pod' });
}

/** A manager claiming ReplicaSets (the Deployment controller's). */
export function replicaSetControllerRefManager<T extends KubeObject>(
  options: Omit<ControllerRefManagerOptions, 'objectKind' | 'patch'> & { replicaSets: ResourceClient<T> },
): ControllerRefManager<T> {
  const { replicaSets, ...rest } = options;
  return new ControllerRefManager<T>({
    ...rest,
    objectKind: 'ReplicaSet',
    patch: (namespace, name, patch) => replicaSets.namespace(namespace).patch(name, 'strategic', patch),
  });
}

/**
 * RecheckDeletionTimestamp: a canAdopt check that re-reads the owner (uncached) and refuses
 * when it is being deleted. `getFresh` should also throw when the re-read owner has another uid.
 */
export function recheckDeletionTimestamp(getFresh: () => Promise<KubeObject>): () => Promise<void> {
  return async () => {
    let fresh: KubeObject;
    try {
      fresh = await getFresh();
    } catch (err) {
      throw new Error(`can't recheck DeletionTimestamp: ${errorMessage(err)}`, { cause: err });
    }
    if (fresh.metadata.deletionTimestamp) {
      throw new Error(`${fresh.metadata.namespace ?? ''}/${fresh.metadata.name ?? ''} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    }
  };
}

/** The adoption patch: the controller owner reference, keyed to the object's uid. */
export function ownerRefControllerPatch(controller: KubeObject, kind: GroupVersionKind, uid: string, finalizers: string[] = []): JsonObject {
  const ref = newControllerRef(controller, kind);
  return {
    metadata: {
      ownerReferences: [{ ...ref }],
      uid,
      ...(finalizers.length > 0 ? { finalizers } : {}),
    },
  };
}

/** The release patch: delete the owners' references (by uid, the merge key), keyed to the object's uid. */
export function deleteOwnerRefPatch(dependentUid: string, ownerUids: string[], finalizers: string[] = []): JsonObject {
  return {
    metadata: {
      ownerReferences: ownerUids.map((uid) => ({ $patch: 'delete', uid })),
      uid: dependentUid,
      ...(finalizers.length > 0 ? { '$deleteFromPrimitiveList/finalizers': finalizers } : {}),
    },
  };
}
