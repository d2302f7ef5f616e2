// Pointing a volume at a claim (GetBindVolumeToClaim): the write with which both the volume
// binder and the scheduler (for WaitForFirstConsumer claims) take a volume for a claim.
import { ANN_BOUND_BY_CONTROLLER, type ClaimReference, type PersistentVolume, type PersistentVolumeClaim } from './types.ts';
import { isVolumeBoundToClaim } from './volume-matching.ts';

/** reference.GetReference for a claim: what a volume's claimRef holds. */
export function claimReference(claim: PersistentVolumeClaim): ClaimReference {
  const { namespace, name, uid, resourceVersion } = claim.metadata;
  return {
    kind: 'PersistentVolumeClaim',
    namespace,
    name,
    uid,
    apiVersion: 'v1',
    ...(resourceVersion ? { resourceVersion } : {}),
  };
}

/**
 * The volume pointing at the claim (namespace, name and uid); undefined when it already does.
 * A volume chosen by a controller, rather than pre-bound by the user, is marked
 * bound-by-controller, so that it is freed again if the claim ends up elsewhere.
 */
export function volumeBoundToClaim(pv: PersistentVolume, claim: PersistentVolumeClaim): PersistentVolume | undefined {
  const ref = pv.spec?.claimRef;
  let next = pv;
  if (!ref || ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace || ref.uid !== claim.metadata.uid) {
    next = { ...pv, spec: { ...pv.spec, claimRef: claimReference(claim) } };
  }
  if (!isVolumeBoundToClaim(pv, claim) && pv.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined) {
    next = { ...next, metadata: { ...next.metadata, annotations: { ...next.metadata.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' } } };
  }
  return next === pv ? undefined : next;
}
