// persistentVolumeClaimRetentionPolicy (StatefulSetAutoDeletePVC, GA in 1.32): the controller
// never deletes claims itself; it makes the garbage collector do it by giving each claim a
// controller owner reference to
//   - the StatefulSet, when whenDeleted is Delete (the claim goes with the set), and/or
//   - the pod, when whenScaled is Delete and the pod's ordinal was scaled away (the claim goes
//     with the condemned pod),
// and none with the default Retain/Retain. Claims that another controller controls, or whose
// references name an earlier set or pod of the same name, are left alone.
import type { KubeObject, OwnerReference } from '@k8ts/api';
import { newControllerRef, type GroupVersionKind } from '../../controller/pod-control.ts';
import { podInOrdinalRange } from './identity.ts';
import { PODS, STATEFUL_SETS, type PersistentVolumeClaim, type Pod, type RetentionPolicyType, type StatefulSet } from './types.ts';

export interface RetentionPolicy {
  whenDeleted: RetentionPolicyType;
  whenScaled: RetentionPolicyType;
}

/** The set's policy, Retain/Retain when unset. */
export function retentionPolicy(set: StatefulSet): RetentionPolicy {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: policy?.whenDeleted ?? 'Retain', whenScaled: policy?.whenScaled ?? 'Retain' };
}

function apiVersionOf(gvk: GroupVersionKind): string {
  return gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
}

/** matchesRef: the reference names this object's kind and name (whatever its uid). */
function matchesRef(ref: OwnerReference, obj: KubeObject, gvk: GroupVersionKind): boolean {
  return ref.apiVersion === apiVersionOf(gvk) && ref.kind === gvk.kind && ref.name === obj.metadata.name;
}

function refsOf(claim: PersistentVolumeClaim): OwnerReference[] {
  return claim.metadata.ownerReferences ?? [];
}

/** hasOwnerRef: a reference to exactly this object (by uid). */
export function hasOwnerRef(target: KubeObject, owner: KubeObject): boolean {
  const uid = owner.metadata.uid;
  return !!uid && (target.metadata.ownerReferences ?? []).some((ref) => ref.uid === uid);
}

/** hasStaleOwnerRef: a reference to an earlier object of this kind and name (another uid). */
export function hasStaleOwnerRef(claim: PersistentVolumeClaim, obj: KubeObject, gvk: GroupVersionKind): boolean {
  const ref = refsOf(claim).find((r) => matchesRef(r, obj, gvk));
  return ref !== undefined && ref.uid !== (obj.metadata.uid ?? '');
}

/**
 * hasUnexpectedController: under a deleting policy, the claim is controlled by something other
 * than this set or pod (or by an earlier set or pod of the same name).
 */
export function hasUnexpectedController(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  const policy = retentionPolicy(set);
  if (policy.whenScaled === 'Retain' && policy.whenDeleted === 'Retain') return false;
  for (const ref of refsOf(claim)) {
    if (matchesRef(ref, set, STATEFUL_SETS)) {
      if (ref.uid !== set.metadata.uid) return true;
      continue;
    }
    if (matchesRef(ref, pod, PODS)) {
      if (ref.uid !== pod.metadata.uid) return true;
      continue;
    }
    if (ref.controller === true) return true;
  }
  return false;
}

/** hasNonControllerOwner: the set or pod owns the claim without being its controller. */
function hasNonControllerOwner(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  return refsOf(claim).some((ref) => (ref.uid === set.metadata.uid || (!!pod.metadata.uid && ref.uid === pod.metadata.uid)) && ref.controller !== true);
}

/** isClaimOwnerUpToDate: the claim's references already say what the policy wants. */
export function isClaimOwnerUpToDate(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): boolean {
  // Managed by an earlier, presumably deleted, set or pod: not ours to touch.
  if (hasStaleOwnerRef(claim, set, STATEFUL_SETS) || hasStaleOwnerRef(claim, pod, PODS)) return true;
  if (hasUnexpectedController(claim, set, pod)) return !(hasOwnerRef(claim, set) || hasOwnerRef(claim, pod));
  if (hasNonControllerOwner(claim, set, pod)) return false;
  const { whenDeleted, whenScaled } = retentionPolicy(set);
  const setRef = hasOwnerRef(claim, set);
  const podRef = hasOwnerRef(claim, pod);
  const scaledDown = !podInOrdinalRange(pod, set);
  if (whenScaled === 'Delete' && whenDeleted === 'Delete') return scaledDown !== setRef && scaledDown === podRef;
  if (whenScaled === 'Delete') return !setRef && scaledDown === podRef;
  if (whenDeleted === 'Delete') return setRef && !podRef;
  return !setRef && !podRef;
}

/** updateClaimOwnerRefForSetAndPod: the claim's references rewritten to match the policy. */
export function claimOwnerRefsForPolicy(claim: PersistentVolumeClaim, set: StatefulSet, pod: Pod): OwnerReference[] {
  const unexpectedController = hasUnexpectedController(claim, set, pod);
  // Scrub every reference to our set and pod first, then add back what the policy asks for.
  const refs = refsOf(claim).filter((ref) => !matchesRef(ref, set, STATEFUL_SETS) && !matchesRef(ref, pod, PODS));
  if (unexpectedController) return refs;
  const { whenDeleted, whenScaled } = retentionPolicy(set);
  const scaledDown = !podInOrdinalRange(pod, set);
  if (whenScaled === 'Delete' && scaledDown) refs.push(newControllerRef(pod, PODS));
  else if (whenDeleted === 'Delete' && (whenScaled === 'Retain' || !scaledDown)) refs.push(newControllerRef(set, STATEFUL_SETS));
  return refs;
}
