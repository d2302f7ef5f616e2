// Which PersistentVolume a PersistentVolumeClaim may bind (pkg/volume/util's FindMatchingVolume
// and the PV controller's access-mode index). Shared by the volume binder, which binds claims
// with Immediate binding, and the scheduler, which picks volumes for WaitForFirstConsumer claims
// on a candidate node. A volume matches a claim when
//   - it is not taken by another claim (a claimRef naming this claim is a pre-binding and wins),
//   - its capacity is at least the claim's storage request,
//   - its volumeMode equals the claim's (both default to Filesystem),
//   - it is Available, not being deleted, in the claim's class ("" only matches ""),
//   - its labels satisfy the claim's selector, and (scheduler) its node affinity admits the node
//     and it offers every access mode the claim asks for.
// The smallest adequate volume wins; the binder also prefers volumes offering the fewest modes.
import { compareQuantities, parseQuantity, type Quantity } from '../quantity/index.ts';
import { labelSelectorFromObject, matchesLabels } from '../selectors/index.ts';
import { volumeNodeAffinityMatches, type NodeIdentity } from './node-affinity.ts';
import { ANN_BETA_STORAGE_CLASS, type AccessMode, type PersistentVolume, type PersistentVolumeClaim } from './types.ts';

const ZERO: Quantity = { mantissa: 0n, exponent: 0, format: 'BinarySI' };

/** GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName, else "". */
export function claimClass(claim: PersistentVolumeClaim): string {
  return claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] ?? claim.spec?.storageClassName ?? '';
}

/** GetPersistentVolumeClass, with the same rule. */
export function volumeClass(pv: PersistentVolume): string {
  return pv.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] ?? pv.spec?.storageClassName ?? '';
}

/** The volume's claimRef names this claim (by namespace and name; by uid too once it has one). */
export function isVolumeBoundToClaim(pv: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/** CheckVolumeModeMismatches: an unset mode means Filesystem on either side. */
export function volumeModeMismatch(claim: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  return (claim.spec?.volumeMode ?? 'Filesystem') !== (pv.spec?.volumeMode ?? 'Filesystem');
}

/** CheckAccessModes: the volume offers every mode the claim asks for. */
export function accessModesSatisfied(claim: PersistentVolumeClaim, pv: PersistentVolume): boolean {
  const offered = new Set(pv.spec?.accessModes ?? []);
  return (claim.spec?.accessModes ?? []).every((mode) => offered.has(mode));
}

function quantityOrZero(text: string | undefined): Quantity {
  if (text === undefined) return ZERO;
  try {
    return parseQuantity(text);
  } catch {
    // Validation refuses malformed quantities; one that slipped through asks for (or offers) nothing.
    return ZERO;
  }
}

export function storageRequest(claim: PersistentVolumeClaim): Quantity {
  return quantityOrZero(claim.spec?.resources?.requests?.storage);
}

export function volumeCapacity(pv: PersistentVolume): Quantity {
  return quantityOrZero(pv.spec?.capacity?.storage);
}

/** Orders claims by their storage request, smallest first. */
export function compareClaimsBySize(a: PersistentVolumeClaim, b: PersistentVolumeClaim): number {
  return compareQuantities(storageRequest(a), storageRequest(b));
}

export interface MatchOptions {
  /** the scheduler's candidate node: node affinity and access modes are checked against it */
  node?: NodeIdentity;
  /** volumes already chosen for other claims of the same pod */
  excluded?: ReadonlySet<string>;
  /** the claim's class binds WaitForFirstConsumer: without a node only pre-bound volumes match */
  delayBinding?: boolean;
}

/**
 * FindMatchingVolume: the volume pre-bound to the claim, else the smallest adequate one, else
 * undefined. Throws SelectorError for a claim selector that cannot be parsed.
 */
export function findMatchingVolume(claim: PersistentVolumeClaim, volumes: readonly PersistentVolume[], options: MatchOptions = {}): PersistentVolume | undefined {
  const requested = storageRequest(claim);
  const requestedClass = claimClass(claim);
  const selector = claim.spec?.selector ? labelSelectorFromObject(claim.spec.selector) : null;
  let smallest: PersistentVolume | undefined;
  let smallestSize = ZERO;
  // Every volume is looked at: a pre-bound one must win over a smaller adequate one.
  for (const pv of volumes) {
    const name = pv.metadata.name ?? '';
    if (options.excluded?.has(name)) continue;
    if (pv.spec?.claimRef && !isVolumeBoundToClaim(pv, claim)) continue;
    const size = volumeCapacity(pv);
    if (compareQuantities(size, requested) < 0) continue;
    if (volumeModeMismatch(claim, pv)) continue;
    if (pv.metadata.deletionTimestamp) continue;
    const nodeAffinityValid = !options.node || volumeNodeAffinityMatches(pv, options.node);
    if (isVolumeBoundToClaim(pv, claim)) return nodeAffinityValid ? pv : undefined;
    // Unbound volumes for delayed claims are the scheduler's to pick, once it has a node.
    if (!options.node && options.delayBinding) continue;
    if (pv.status?.phase !== 'Available') continue;
    if (selector && !matchesLabels(selector, pv.metadata.labels)) continue;
    if (volumeClass(pv) !== requestedClass) continue;
    if (!nodeAffinityValid) continue;
    if (options.node && !accessModesSatisfied(claim, pv)) continue;
    if (!smallest || compareQuantities(smallestSize, size) > 0) {
      smallest = pv;
      smallestSize = size;
    }
  }
  return smallest;
}

/**
 * The PV controller's findBestMatchForClaim: volumes are grouped by the access modes they
 * offer, and the groups offering every requested mode are tried fewest modes first, so a
 * ReadWriteOnce claim takes a ReadWriteOnce volume before a bigger-moded one.
 */
export function findBestMatchForClaim(claim: PersistentVolumeClaim, volumes: readonly PersistentVolume[], delayBinding: boolean): PersistentVolume | undefined {
  const requested = claim.spec?.accessModes ?? [];
  const groups = new Map<string, { modes: Set<AccessMode>; volumes: PersistentVolume[] }>();
  for (const pv of [...volumes].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1))) {
    const modes = new Set(pv.spec?.accessModes ?? []);
    const key = [...modes].sort().join(',');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { modes, volumes: [] }));
    group.volumes.push(pv);
  }
  const candidates = [...groups.values()].filter((g) => requested.every((mode) => g.modes.has(mode))).sort((a, b) => a.modes.size - b.modes.size);
  for (const group of candidates) {
    const match = findMatchingVolume(claim, group.volumes, { delayBinding });
    if (match) return match;
  }
  return undefined;
}

/** checkVolumeSatisfyClaim: why a volume the claim names cannot serve it, or undefined. */
export function volumeUnsuitableForClaim(pv: PersistentVolume, claim: PersistentVolumeClaim): string | undefined {
  if (pv.metadata.deletionTimestamp) return `the volume is marked for deletion "${pv.metadata.name ?? ''}"`;
  if (compareQuantities(volumeCapacity(pv), storageRequest(claim)) < 0) return 'requested PV is too small';
  if (volumeClass(pv) !== claimClass(claim)) return 'storageClassName does not match';
  if (volumeModeMismatch(claim, pv)) return 'incompatible volumeMode';
  if (!accessModesSatisfied(claim, pv)) return 'incompatible accessMode';
  return undefined;
}
