// A StatefulSet's revisions: each ControllerRevision stores the pod template as a strategic
// merge patch, {"spec":{"template":{…,"$patch":"replace"}}}, which restores that template when
// applied to the set — the very patch `kubectl rollout undo statefulset/x` sends. The update
// revision is the set's template now; the current revision is the one status.currentRevision
// names (the one the un-updated pods run).
import type { JsonObject, JsonValue } from '@k8ts/api';
import { isJsonObject } from '@k8ts/api';
import { controllerRefOf } from '../../controller/controller-utils.ts';
import { equalRevision, newControllerRevision, sortRevisions, type ControllerRevision } from '../../controller/history.ts';
import { podRevision } from './identity.ts';
import { STATEFUL_SETS, type Pod, type PodTemplateSpec, type StatefulSet } from './types.ts';

export const DEFAULT_REVISION_HISTORY_LIMIT = 10;

/** getPatch: the revision data that restores the set's current template. */
export function revisionData(set: StatefulSet): JsonValue {
  const template = structuredClone((set.spec?.template ?? {}) as unknown as JsonObject);
  return { spec: { template: { ...template, $patch: 'replace' } } };
}

/** The template a revision restores (its data without the patch directive). */
export function revisionTemplate(revision: ControllerRevision): PodTemplateSpec {
  const spec = isJsonObject(revision.data) ? revision.data.spec : undefined;
  const template = isJsonObject(spec) && isJsonObject(spec.template) ? structuredClone(spec.template) : {};
  delete template.$patch;
  return template as unknown as PodTemplateSpec;
}

/** ApplyRevision: the set as it was at `revision` (its template restored). */
export function applyRevision(set: StatefulSet, revision: ControllerRevision): StatefulSet {
  return { ...set, spec: { ...set.spec, template: revisionTemplate(revision) } };
}

/**
 * newRevision: a snapshot of the set's template numbered `revision`, labelled with the
 * template's labels, annotated with the set's annotations (so `kubectl rollout history` shows
 * the kubernetes.io/change-cause of each), named "<set>-<hash>".
 */
export function newRevision(set: StatefulSet, revision: number, collisionCount: number): ControllerRevision {
  const cr = newControllerRevision(set, STATEFUL_SETS, set.spec?.template?.metadata?.labels, revisionData(set), revision, collisionCount);
  cr.metadata.annotations = { ...(set.metadata.annotations ?? {}) };
  return cr;
}

/** FindEqualRevisions: the revisions holding the same template as `needle`. */
export function findEqualRevisions(revisions: readonly ControllerRevision[], needle: ControllerRevision): ControllerRevision[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/**
 * ListControllerRevisions' filter: the revisions this set owns, and orphans it could adopt.
 * (The caller has already selected them by the set's selector.)
 */
export function revisionsOf(set: StatefulSet, candidates: readonly ControllerRevision[]): ControllerRevision[] {
  return sortRevisions(
    candidates.filter((r) => {
      const ref = controllerRefOf(r);
      return !ref || ref.uid === set.metadata.uid;
    }),
  );
}

/**
 * truncateHistory's choice: the oldest revisions beyond revisionHistoryLimit that neither the
 * current revision, the update revision nor any pod still uses (`revisions` sorted).
 */
export function revisionsToTruncate(
  set: StatefulSet,
  pods: readonly Pod[],
  revisions: readonly ControllerRevision[],
  current: ControllerRevision | undefined,
  update: ControllerRevision | undefined,
): ControllerRevision[] {
  const live = new Set<string>(pods.map(podRevision));
  if (current) live.add(current.metadata.name ?? '');
  if (update) live.add(update.metadata.name ?? '');
  const history = revisions.filter((r) => !live.has(r.metadata.name ?? ''));
  const limit = set.spec?.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT;
  if (limit < 0 || history.length <= limit) return [];
  return history.slice(0, history.length - limit);
}
