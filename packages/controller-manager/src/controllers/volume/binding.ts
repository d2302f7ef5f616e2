// The writes that bind a PersistentVolume and a PersistentVolumeClaim to each other, as pure
// functions from the current objects to the next ones (undefined: nothing to change). Binding
// takes four writes, in this order, each of which the next sync can pick up from if a later
// one fails: the volume's claimRef, the volume's phase, the claim's volumeName and bind
// annotations, the claim's phase with the volume's capacity and access modes.
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, type ClaimPhase, type PersistentVolume, type PersistentVolumeClaim, type VolumePhase } from '@k8ts/api/storage/types.ts';

function withAnnotation(claim: PersistentVolumeClaim, key: string): PersistentVolumeClaim {
  return { ...claim, metadata: { ...claim.metadata, annotations: { ...claim.metadata.annotations, [key]: 'yes' } } };
}

/** bindClaimToVolume: the claim naming the volume, with bind-completed (and bound-by-controller when the binder chose). */
export function claimBoundToVolume(claim: PersistentVolumeClaim, pv: PersistentVolume): PersistentVolumeClaim | undefined {
  let next = claim;
  if (claim.spec?.volumeName !== pv.metadata.name) {
    next = { ...claim, spec: { ...claim.spec, volumeName: pv.metadata.name } };
    if (claim.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined) next = withAnnotation(next, ANN_BOUND_BY_CONTROLLER);
  }
  if (next.metadata.annotations?.[ANN_BIND_COMPLETED] === undefined) next = withAnnotation(next, ANN_BIND_COMPLETED);
  return next === claim ? undefined : next;
}

/**
 * updateClaimStatus: the claim in `phase`; bound, it shows the volume's capacity and access
 * modes (a 5Mi claim on a 10Mi volume shows 10Mi); without a volume both are cleared.
 */
export function claimWithPhase(claim: PersistentVolumeClaim, phase: ClaimPhase, pv?: PersistentVolume): PersistentVolumeClaim | undefined {
  const status = { ...claim.status };
  let dirty = status.phase !== phase;
  status.phase = phase;
  if (pv) {
    const modes = pv.spec?.accessModes ?? [];
    if (JSON.stringify(status.accessModes ?? []) !== JSON.stringify(modes)) {
      status.accessModes = modes;
      dirty = true;
    }
    const capacity = pv.spec?.capacity?.storage;
    if (capacity !== undefined && status.capacity?.storage !== capacity) {
      status.capacity = { ...status.capacity, storage: capacity };
      dirty = true;
    }
  } else {
    if (status.accessModes) {
      delete status.accessModes;
      dirty = true;
    }
    if (status.capacity) {
      delete status.capacity;
      dirty = true;
    }
  }
  return dirty ? { ...claim, status } : undefined;
}

/** updateVolumePhase: the volume in `phase` with `message`, stamping lastPhaseTransitionTime when the phase changes. */
export function volumeWithPhase(pv: PersistentVolume, phase: VolumePhase, message: string, now: number): PersistentVolume | undefined {
  const status = pv.status ?? {};
  if (status.phase === phase && (status.message ?? '') === message) return undefined;
  const next = { ...status, phase };
  if (message) next.message = message;
  else delete next.message;
  if (status.phase !== phase) next.lastPhaseTransitionTime = formatRfc3339(Math.floor(now / 1000));
  return { ...pv, status: next };
}

/**
 * unbindVolume: a volume the binder bound is freed entirely (claimRef and annotation gone); a
 * volume the user pre-bound keeps its claimRef without the uid, waiting for a claim of that name.
 */
export function unboundVolume(pv: PersistentVolume): PersistentVolume {
  const annotations = { ...pv.metadata.annotations };
  const spec = { ...pv.spec };
  if (annotations[ANN_BOUND_BY_CONTROLLER] !== undefined) {
    spec.claimRef = null;
    delete annotations[ANN_BOUND_BY_CONTROLLER];
  } else if (spec.claimRef) {
    const ref = { ...spec.claimRef };
    delete ref.uid;
    spec.claimRef = ref;
  }
  if (spec.claimRef === null) delete spec.claimRef;
  return { ...pv, metadata: { ...pv.metadata, annotations }, spec };
}
