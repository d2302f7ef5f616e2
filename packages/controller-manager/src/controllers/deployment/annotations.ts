// The annotations a Deployment and its ReplicaSets use to remember their history:
//   deployment.kubernetes.io/revision          which rollout a ReplicaSet (and the Deployment) is at
//   deployment.kubernetes.io/revision-history  the revisions a ReplicaSet served before a rollback reused it
//   deployment.kubernetes.io/desired-replicas  spec.replicas when the ReplicaSet was last sized
//   deployment.kubernetes.io/max-replicas      spec.replicas + maxSurge then (proportional scaling)
// Every other Deployment annotation (kubernetes.io/change-cause among them) is copied to its new
// ReplicaSet, which is how `kubectl rollout history` shows a CHANGE-CAUSE per revision.
import { maxSurge } from './fenceposts.ts';
import { replicasOf, type Deployment, type ReplicaSet } from './types.ts';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const LAST_APPLIED_CONFIG_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** apps.DeprecatedRollbackTo: extensions/v1beta1's rollback request, never copied. */
export const DEPRECATED_ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';

/** The sync loop's limit on revision-history (about 100 revisions). */
export const MAX_REVISION_HISTORY_CHARS = 2000;

const NOT_COPIED = new Set([
  LAST_APPLIED_CONFIG_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  DEPRECATED_ROLLBACK_TO_ANNOTATION,
]);

/** The revision an object records; 0 when it has none, NaN when it is not an integer. */
export function revisionOf(obj: Deployment | ReplicaSet): number {
  const value = obj.metadata.annotations?.[REVISION_ANNOTATION];
  if (value === undefined) return 0;
  return /^[+-]?\d+$/.test(value) ? Number(value) : Number.NaN;
}

/** The highest revision among `replicaSets` (unparsable ones skipped). */
export function maxRevision(replicaSets: ReplicaSet[]): number {
  let max = 0;
  for (const rs of replicaSets) {
    const revision = revisionOf(rs);
    if (revision > max) max = revision;
  }
  return max;
}

/** Sets the Deployment's revision annotation; true when it changed. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const annotations = (d.metadata.annotations ??= {});
  if (annotations[REVISION_ANNOTATION] === revision) return false;
  annotations[REVISION_ANNOTATION] = revision;
  return true;
}

/** An integer annotation of a ReplicaSet, or undefined when missing or not a number. */
export function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const value = rs.metadata.annotations?.[key];
  return value !== undefined && /^[+-]?\d+$/.test(value) ? Number(value) : undefined;
}

/** Records desired and max replicas on the ReplicaSet; true when either changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [key, value] of [
    [DESIRED_REPLICAS_ANNOTATION, String(desired)],
    [MAX_REPLICAS_ANNOTATION, String(max)],
  ] as const) {
    if (annotations[key] !== value) {
      annotations[key] = value;
      changed = true;
    }
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = rs.metadata.annotations ?? {};
  return annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || annotations[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/** Copies the Deployment's annotations (but the controller's own) to the ReplicaSet; true when any changed. */
export function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (NOT_COPIED.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  return changed;
}

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision to
 * `newRevision` when it is behind — keeping the revision it had in revision-history, since a
 * ReplicaSet that already had one is being reused by a rollback — and, for a ReplicaSet about to
 * be created, records desired and max replicas. True when anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean, historyLimitChars = MAX_REVISION_HISTORY_CHARS): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const annotations = (rs.metadata.annotations ??= {});
  const hadRevision = Object.hasOwn(annotations, REVISION_ANNOTATION);
  const oldText = annotations[REVISION_ANNOTATION] ?? '';
  let oldRevision = 0;
  if (oldText !== '') {
    // A revision that is not a number is left alone, and Kubernetes then reports no change at
    // all (the copied annotations ride along with the next write that happens anyway).
    if (!/^[+-]?\d+$/.test(oldText)) return false;
    oldRevision = Number(oldText);
  }
  if (oldRevision < newRevision) {
    annotations[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (hadRevision) appendRevisionHistory(annotations, oldText, historyLimitChars);
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** Appends `revision` to revision-history, dropping the oldest entries to stay within the limit. */
function appendRevisionHistory(annotations: Record<string, string>, revision: string, limitChars: number): void {
  const history = annotations[REVISION_HISTORY_ANNOTATION] ?? '';
  if (history === '') {
    annotations[REVISION_HISTORY_ANNOTATION] = revision;
    return;
  }
  const entries = history.split(',');
  let length = history.length + revision.length + 1;
  let start = 0;
  while (length > limitChars && start < entries.length) {
    length -= entries[start]!.length + 1;
    start++;
  }
  // Even with every old entry dropped the new one does not fit: keep the history as it is.
  if (length <= limitChars) annotations[REVISION_HISTORY_ANNOTATION] = [...entries.slice(start), revision].join(',');
}
