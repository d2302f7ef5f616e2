// A StatefulSet pod's identity (stateful_set_utils.go): the name "<set>-<ordinal>", hostname and
// subdomain for its DNS name, the pod-name and pod-index labels, and its storage — one claim
// per volumeClaimTemplate, named "<template>-<set>-<ordinal>", mounted in place of any pod
// volume of the same name. A pod re-created for the same ordinal gets the same name and claims,
// which is what makes the set "stateful".
import { CONTROLLER_REVISION_HASH_LABEL } from '../../controller/history.ts';
import { isPodAvailable, isPodReady } from '../../controller/controller-utils.ts';
import { newControllerRef, podFromTemplate } from '../../controller/pod-control.ts';
import {
  POD_INDEX_LABEL,
  POD_NAME_LABEL,
  replicasOf,
  STATEFUL_SETS,
  type PersistentVolumeClaim,
  type PersistentVolumeClaimTemplate,
  type Pod,
  type StatefulSet,
} from './types.ts';

/** "<parent>-<ordinal>": the parent is everything before the last dash followed only by digits. */
const STATEFUL_POD_NAME = /^(.*)-([0-9]+)$/;
const MAX_INT32 = 2 ** 31 - 1;

/** getParentNameAndOrdinal: the set's name and the ordinal a pod's name encodes; ordinal -1 if none. */
export function parentNameAndOrdinal(pod: Pod): { parent: string; ordinal: number } {
  const match = STATEFUL_POD_NAME.exec(pod.metadata.name ?? '');
  if (!match) return { parent: '', ordinal: -1 };
  const ordinal = Number(match[2]);
  // strconv.ParseInt(…, 10, 32) refuses what an int32 cannot hold.
  return { parent: match[1]!, ordinal: ordinal <= MAX_INT32 ? ordinal : -1 };
}

export function ordinalOf(pod: Pod): number {
  return parentNameAndOrdinal(pod).ordinal;
}

/** isMemberOf: the pod's name says it belongs to this set. */
export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = parentNameAndOrdinal(pod);
  return ordinal >= 0 && parent === set.metadata.name;
}

/** spec.ordinals.start (0 without it). */
export function startOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

/** The last ordinal the set keeps (inclusive). */
export function endOrdinal(set: StatefulSet): number {
  return startOrdinal(set) + replicasOf(set) - 1;
}

export function podInOrdinalRange(pod: Pod, set: StatefulSet): boolean {
  const ordinal = ordinalOf(pod);
  return ordinal >= startOrdinal(set) && ordinal <= endOrdinal(set);
}

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata.name ?? ''}-${ordinal}`;
}

/** "<template>-<set>-<ordinal>" (the zone-spreading heuristics of volume provisioning rely on it). */
export function claimName(set: StatefulSet, template: PersistentVolumeClaimTemplate, ordinal: number): string {
  return `${template.metadata?.name ?? ''}-${set.metadata.name ?? ''}-${ordinal}`;
}

/**
 * getPersistentVolumeClaims: the claims a pod of this ordinal uses, in template order, keyed by
 * template (= volume) name; each a copy of its template, labelled with the set's matchLabels.
 */
export function claimsForPod(set: StatefulSet, pod: Pod): Map<string, PersistentVolumeClaim> {
  const ordinal = ordinalOf(pod);
  const matchLabels = set.spec?.selector?.matchLabels ?? {};
  const claims = new Map<string, PersistentVolumeClaim>();
  for (const template of set.spec?.volumeClaimTemplates ?? []) {
    const meta = structuredClone(template.metadata ?? {});
    claims.set(template.metadata?.name ?? '', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        ...meta,
        name: claimName(set, template, ordinal),
        namespace: set.metadata.namespace ?? '',
        labels: { ...(meta.labels ?? {}), ...matchLabels },
      },
      spec: structuredClone(template.spec ?? {}),
    });
  }
  return claims;
}

interface Volume {
  name: string;
  persistentVolumeClaim?: { claimName?: string; readOnly?: boolean };
  [source: string]: unknown;
}

function volumesOf(pod: Pod): Volume[] {
  return (pod.spec?.volumes as Volume[] | undefined) ?? [];
}

/** updateStorage: one claim volume per template first, then the pod's other volumes. */
export function updateStorage(set: StatefulSet, pod: Pod): void {
  const claims = claimsForPod(set, pod);
  const volumes: Volume[] = [...claims].map(([name, claim]) => ({ name, persistentVolumeClaim: { claimName: claim.metadata.name! } }));
  for (const volume of volumesOf(pod)) if (!claims.has(volume.name)) volumes.push(volume);
  pod.spec = { ...pod.spec, volumes };
}

/** storageMatches: every template has a volume of its name referencing this ordinal's claim. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const volumes = new Map(volumesOf(pod).map((v) => [v.name, v]));
  return (set.spec?.volumeClaimTemplates ?? []).every(
    (template) => volumes.get(template.metadata?.name ?? '')?.persistentVolumeClaim?.claimName === claimName(set, template, ordinal),
  );
}

/** updateIdentity: name, namespace and the pod-name and pod-index labels. */
export function updateIdentity(set: StatefulSet, pod: Pod): void {
  const ordinal = ordinalOf(pod);
  const name = podName(set, ordinal);
  pod.metadata.name = name;
  pod.metadata.namespace = set.metadata.namespace ?? '';
  pod.metadata.labels = { ...pod.metadata.labels, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal) };
}

/** identityMatches: the pod has the name, namespace and pod-name label of a member of the set. */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = parentNameAndOrdinal(pod);
  return (
    ordinal >= 0 &&
    parent === set.metadata.name &&
    pod.metadata.name === podName(set, ordinal) &&
    pod.metadata.namespace === set.metadata.namespace &&
    pod.metadata.labels?.[POD_NAME_LABEL] === pod.metadata.name
  );
}

/** newStatefulSetPod: the set's pod for `ordinal`, stamped from its template. */
export function newStatefulSetPod(set: StatefulSet, ordinal: number): Pod {
  const pod = podFromTemplate(set.spec?.template ?? {}, set, newControllerRef(set, STATEFUL_SETS));
  pod.metadata.name = podName(set, ordinal);
  updateIdentity(set, pod);
  // Hostname and subdomain are immutable: set at creation only (initIdentity).
  pod.spec = { ...pod.spec, hostname: pod.metadata.name, ...(set.spec?.serviceName ? { subdomain: set.spec.serviceName } : {}) };
  updateStorage(set, pod);
  return pod;
}

/**
 * newVersionedStatefulSetPod: ordinals below the partition (or, with a rolling update without
 * parameters, below the current replica count) are made from the current revision, the others
 * from the update revision; the pod is labelled with its revision's name.
 */
export function newVersionedStatefulSetPod(
  currentSet: StatefulSet,
  updateSet: StatefulSet,
  currentRevision: string,
  updateRevision: string,
  ordinal: number,
): Pod {
  const strategy = currentSet.spec?.updateStrategy;
  const start = startOrdinal(currentSet);
  const rollingUpdate = strategy?.rollingUpdate;
  // The grouping follows Kubernetes exactly: a partition applies whatever the strategy type says.
  const useCurrent =
    (strategy?.type === 'RollingUpdate' && !rollingUpdate && ordinal < start + (currentSet.status?.currentReplicas ?? 0)) ||
    (!!rollingUpdate && ordinal < start + (rollingUpdate.partition ?? 0));
  const pod = newStatefulSetPod(useCurrent ? currentSet : updateSet, ordinal);
  setPodRevision(pod, useCurrent ? currentRevision : updateRevision);
  return pod;
}

export function setPodRevision(pod: Pod, revision: string): void {
  pod.metadata.labels = { ...pod.metadata.labels, [CONTROLLER_REVISION_HASH_LABEL]: revision };
}

/** The name of the revision a pod was made from ("" when unlabelled). */
export function podRevision(pod: Pod): string {
  return pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
}

// The pod predicates the sync decides with.

/** isCreated: the apiserver has it (a pod the controller only plans has neither phase nor uid). */
export function isCreated(pod: Pod): boolean {
  return !!pod.status?.phase || !!pod.metadata.uid;
}

export function isPending(pod: Pod): boolean {
  return pod.status?.phase === 'Pending';
}

export function isFailed(pod: Pod): boolean {
  return pod.status?.phase === 'Failed';
}

export function isSucceeded(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded';
}

export function isTerminating(pod: Pod): boolean {
  return !!pod.metadata.deletionTimestamp;
}

export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

export function isRunningAndAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  return isPodAvailable(pod, minReadySeconds, now);
}

/** Not (yet) serving: terminating, or not Running, Ready and available for minReadySeconds. */
export function isUnavailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  return isTerminating(pod) || !isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReadySeconds, now);
}
