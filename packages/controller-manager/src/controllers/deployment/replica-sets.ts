// Facts about a Deployment's ReplicaSets: which one is "new" (its pod template is the
// Deployment's), which are old, how they sort, how many replicas they hold, how far the new one
// may grow during a rollout, and each one's share when a Deployment is scaled mid-rollout.
import { intAnnotation, MAX_REPLICAS_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, revisionOf } from './annotations.ts';
import { maxSurge, scaledValue } from './fenceposts.ts';
import { POD_TEMPLATE_HASH_LABEL, replicasOf, templateOf, type Deployment, type PodTemplateSpec, type ReplicaSet } from './types.ts';

/** Oldest first; ties (timestamps have second precision) broken by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Largest first; among equals the newest first (who grows first when scaling up). */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return replicasOf(b) - replicasOf(a) || byCreation(b, a);
}

/** Largest first; among equals the oldest first (who shrinks first when scaling down). */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return replicasOf(b) - replicasOf(a) || byCreation(a, b);
}

/** Lowest revision first; equal or unparsable revisions by creation. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  if (Number.isNaN(ra) || Number.isNaN(rb) || ra === rb) return byCreation(a, b);
  return ra - rb;
}

/** ReplicaSets that are meant to run pods. */
export function activeReplicaSets(replicaSets: (ReplicaSet | undefined)[]): ReplicaSet[] {
  return replicaSets.filter((rs): rs is ReplicaSet => rs !== undefined && replicasOf(rs) > 0);
}

type Counter = 'replicas' | 'readyReplicas' | 'availableReplicas';

function sumStatus(replicaSets: (ReplicaSet | undefined)[], field: Counter): number {
  return replicaSets.reduce((sum, rs) => sum + (rs?.status?.[field] ?? 0), 0);
}

/** The replicas the ReplicaSets are asked for (spec). */
export function specReplicas(replicaSets: (ReplicaSet | undefined)[]): number {
  return replicaSets.reduce((sum, rs) => sum + (rs ? replicasOf(rs) : 0), 0);
}

/** The pods they have (status.replicas). */
export const actualReplicas = (replicaSets: (ReplicaSet | undefined)[]): number => sumStatus(replicaSets, 'replicas');
export const readyReplicas = (replicaSets: (ReplicaSet | undefined)[]): number => sumStatus(replicaSets, 'readyReplicas');
export const availableReplicas = (replicaSets: (ReplicaSet | undefined)[]): number => sumStatus(replicaSets, 'availableReplicas');

/**
 * apiequality.Semantic.DeepEqual over JSON: as in Go, an empty list or map equals a missing
 * one, which is how a field the apiserver omitted compares with one a client sent empty.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => semanticEqual(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!semanticEqual(a[key], b[key])) return false;
    return true;
  }
  return a === b;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0) || (isRecord(value) && Object.keys(value).length === 0);
}

/** Whether two pod templates are the same but for their pod-template-hash labels. */
export function equalIgnoreHash(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  return semanticEqual(withoutHash(a), withoutHash(b));
}

function withoutHash(template: PodTemplateSpec): PodTemplateSpec {
  const labels = { ...template.metadata?.labels };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  return { ...template, metadata: { ...template.metadata, labels } };
}

/** The ReplicaSet whose template is the Deployment's — the oldest, should there be several. */
export function findNewReplicaSet(d: Deployment, replicaSets: ReplicaSet[]): ReplicaSet | undefined {
  return [...replicaSets].sort(byCreation).find((rs) => equalIgnoreHash(templateOf(rs), d.spec.template));
}

/** Every ReplicaSet but the new one. */
export function findOldReplicaSets(d: Deployment, replicaSets: ReplicaSet[]): ReplicaSet[] {
  const newRS = findNewReplicaSet(d, replicaSets);
  return replicaSets.filter((rs) => newRS === undefined || rs.metadata.uid !== newRS.metadata.uid);
}

/**
 * The one ReplicaSet to scale when at most one is active (the active one, else the newest);
 * undefined when several are active and must be scaled proportionally.
 */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (newRS === undefined && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/**
 * NewRSNewReplicas: how big the new ReplicaSet may be now. Rolling: grow into whatever room
 * spec.replicas + maxSurge leaves, never past spec.replicas. Recreate: all of them at once.
 */
export function newReplicaSetReplicas(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): number {
  const strategy = d.spec.strategy?.type ?? 'RollingUpdate';
  if (strategy === 'Recreate') return replicasOf(d);
  if (strategy !== 'RollingUpdate') throw new Error(`deployment type ${strategy} isn't supported`);
  const desired = replicasOf(d);
  const surge = scaledValue(d.spec.strategy?.rollingUpdate?.maxSurge ?? 0, desired, true);
  const current = specReplicas(allRSs);
  const maxTotal = desired + surge;
  if (current >= maxTotal) return replicasOf(newRS);
  const scaleUp = Math.min(maxTotal - current, desired - replicasOf(newRS));
  return replicasOf(newRS) + scaleUp;
}

/**
 * Whether the new ReplicaSet already holds the whole Deployment: sized for it, agreeing on the
 * desired count, and every pod available.
 */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (rs === undefined) return false;
  const desired = intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
  if (desired === undefined) return false;
  const replicas = replicasOf(d);
  return replicasOf(rs) === replicas && desired === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

/**
 * GetProportion: the replicas to add to (or, negative, take from) `rs` when `toAdd` replicas are
 * being spread over the active ReplicaSets and `added` of them have been placed already.
 */
export function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  // Never hand out more than is left, in either direction.
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** The change that keeps `rs` at the same share of the Deployment it had when last sized. */
function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (replicasOf(d) === 0) return -replicasOf(rs);
  const deploymentReplicas = replicasOf(d) + maxSurge(d);
  // Without the annotation fall back to the Deployment's current size: inexact, but the min/max
  // in proportion() keeps the result within bounds.
  const annotated = intAnnotation(rs, MAX_REPLICAS_ANNOTATION) ?? d.status?.replicas ?? 0;
  return roundHalfAwayFromZero((replicasOf(rs) * deploymentReplicas) / annotated) - replicasOf(rs);
}

/** integer.RoundToInt32 (math.Round): halves round away from zero. */
function roundHalfAwayFromZero(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}
