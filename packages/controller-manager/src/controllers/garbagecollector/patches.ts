// The patches the garbage collector writes. Strategic merge patches go first (ownerReferences
// merge by uid, so one entry can be deleted or changed without sending the rest); the
// metadata.uid they carry makes the apiserver refuse the patch if the name now belongs to another
// object. Custom resources do not take strategic merge patches (415), so each also has a JSON
// merge patch form built from the object's current state, guarded by its resourceVersion.
import type { JsonObject, KubeObject, OwnerReference } from '@k8ts/api';

/** Removes the owner references with these uids. */
export function deleteOwnerRefsStrategicPatch(dependentUid: string, ownerUids: readonly string[]): JsonObject {
  return { metadata: { ownerReferences: ownerUids.map((uid) => ({ $patch: 'delete', uid })), uid: dependentUid } };
}

/** The same as a JSON merge patch: the whole remaining list. */
export function deleteOwnerRefsMergePatch(current: KubeObject, ownerUids: readonly string[]): JsonObject {
  const remaining = (current.metadata.ownerReferences ?? []).filter((ref) => !ownerUids.includes(ref.uid));
  return { metadata: { resourceVersion: current.metadata.resourceVersion ?? '', ownerReferences: remaining as unknown as JsonObject[], uid: current.metadata.uid ?? '' } };
}

/** Sets blockOwnerDeletion=false on every blocking reference (breaks foreground-deletion cycles). */
export function unblockOwnerRefsStrategicPatch(dependentUid: string, owners: readonly OwnerReference[]): JsonObject {
  const unblocked = owners.filter((ref) => ref.blockOwnerDeletion === true).map((ref) => ({ ...ref, blockOwnerDeletion: false }));
  return { metadata: { ownerReferences: unblocked as unknown as JsonObject[], uid: dependentUid } };
}

export function unblockOwnerRefsMergePatch(current: KubeObject): JsonObject {
  const refs = (current.metadata.ownerReferences ?? []).map((ref) => (ref.blockOwnerDeletion === true ? { ...ref, blockOwnerDeletion: false } : ref));
  return { metadata: { resourceVersion: current.metadata.resourceVersion ?? '', ownerReferences: refs as unknown as JsonObject[], uid: current.metadata.uid ?? '' } };
}

/** Removes one finalizer, guarded by resourceVersion (a conflict means: read again and retry). */
export function removeFinalizerMergePatch(current: KubeObject, finalizer: string): JsonObject | undefined {
  const finalizers = current.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) return undefined;
  return { metadata: { resourceVersion: current.metadata.resourceVersion ?? '', finalizers: finalizers.filter((f) => f !== finalizer) } };
}
