// A DaemonSet's ControllerRevisions (update.go's history part): each distinct pod template the
// DaemonSet has had is kept as a revision whose data is the strategic merge patch that restores
// it — {"spec":{"template":{…,"$patch":"replace"}}} — which is exactly what `kubectl rollout undo
// daemonset/x` sends back. The revision is named "<ds>-<hash>", the hash being the template's
// (ComputeHash, like a Deployment's pod-template-hash) and labelling the revision and its pods
// (controller-revision-hash). The current revision has the highest number; old ones beyond
// revisionHistoryLimit are deleted unless pods still run them.
import { isDeepStrictEqual } from 'node:util';
import type { JsonObject, JsonValue } from '@k8ts/api';
import { computeHash } from '../../controller/controller-utils.ts';
import { controllerRevisionName, sortRevisions } from '../../controller/history.ts';
import { newControllerRef } from '../../controller/pod-control.ts';
import { CONTROLLER_REVISION_HASH_LABEL, DAEMON_SETS, type ControllerRevision, type DaemonSet, type Pod } from './types.ts';

/** DaemonSets keep this many old revisions by default (apps/v1 defaulting). */
const DEFAULT_REVISION_HISTORY_LIMIT = 10;

/** getPatch: the patch that replaces a DaemonSet's template with the current one. */
export function daemonSetPatch(ds: DaemonSet): JsonObject {
  const template = structuredClone((ds.spec?.template ?? {}) as JsonObject);
  return { spec: { template: { ...template, $patch: 'replace' } } };
}

/** Match: the revision holds the DaemonSet's current template. */
export function matchesRevision(ds: DaemonSet, revision: ControllerRevision): boolean {
  return isDeepStrictEqual(daemonSetPatch(ds), revision.data ?? null);
}

/** The revision's hash label (the revision's name for revisions made before the label existed). */
export function revisionHash(revision: ControllerRevision): string {
  return revision.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
}

/**
 * snapshot's object: revision number `revision` of the DaemonSet's current template, labelled
 * like its pods plus the hash, carrying the DaemonSet's annotations (so `kubectl rollout
 * history` shows each revision's kubernetes.io/change-cause), controlled by the DaemonSet.
 */
export function newDaemonSetRevision(ds: DaemonSet, revision: number): ControllerRevision {
  const hash = computeHash(ds.spec?.template ?? {}, ds.status?.collisionCount);
  const annotations = ds.metadata.annotations;
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(ds.metadata.name ?? '', hash),
      namespace: ds.metadata.namespace ?? '',
      labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ...(annotations && Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
      ownerReferences: [newControllerRef(ds, DAEMON_SETS)],
    },
    data: daemonSetPatch(ds) as JsonValue,
    revision,
  };
}

/** The revisions holding the current template, and the others. */
export function splitRevisions(ds: DaemonSet, revisions: readonly ControllerRevision[]): { current: ControllerRevision[]; old: ControllerRevision[] } {
  const current: ControllerRevision[] = [];
  const old: ControllerRevision[] = [];
  for (const revision of revisions) (matchesRevision(ds, revision) ? current : old).push(revision);
  return { current, old };
}

/** The number the current revision must have: one more than any old one. */
export function currentRevisionNumber(old: readonly ControllerRevision[]): number {
  return Math.max(0, ...old.map((r) => r.revision)) + 1;
}

/** dedupCurHistories' choice among duplicates of the current template: the highest revision (the last of equals). */
export function revisionToKeep(duplicates: readonly ControllerRevision[]): ControllerRevision {
  let keep = duplicates[0]!;
  for (const revision of duplicates) if (revision.revision >= keep.revision) keep = revision;
  return keep;
}

/**
 * cleanupHistory's choice: beyond revisionHistoryLimit, the oldest revisions that no pod (even
 * a finished or terminating one) still runs.
 */
export function revisionsToPrune(ds: DaemonSet, old: readonly ControllerRevision[], pods: readonly Pod[]): ControllerRevision[] {
  let toKill = old.length - (ds.spec?.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT);
  if (toKill <= 0) return [];
  const liveHashes = new Set(pods.map((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '').filter((h) => h !== ''));
  const pruned: ControllerRevision[] = [];
  for (const revision of sortRevisions(old)) {
    if (toKill <= 0) break;
    if (liveHashes.has(revisionHash(revision))) continue;
    pruned.push(revision);
    toKill--;
  }
  return pruned;
}
