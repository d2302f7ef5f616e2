// A DaemonSet's status (updateDaemonSetStatus): per node that should run the daemon, whether it
// has a pod (current), whether its oldest pod is ready, available and of the current revision;
// per node that should not, whether a pod is there anyway (misscheduled). `kubectl get ds`
// shows DESIRED, CURRENT, READY, UP-TO-DATE and AVAILABLE from these; `kubectl rollout status`
// waits for updated = desired and available = desired at the observed generation.
import { isPodAvailable, isPodReady } from '../../controller/controller-utils.ts';
import { compareByCreationAndBinding, isPodUpdated, templateGenerationOf } from './daemon-pods.ts';
import { nodeShouldRunDaemonPod } from './node-should-run.ts';
import type { DaemonSet, DaemonSetStatus, Node, Pod } from './types.ts';

export interface DaemonSetCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
}

const COUNT_FIELDS = [
  'desiredNumberScheduled',
  'currentNumberScheduled',
  'numberMisscheduled',
  'numberReady',
  'updatedNumberScheduled',
  'numberAvailable',
  'numberUnavailable',
] as const satisfies readonly (keyof DaemonSetCounts)[];

export function calculateCounts(ds: DaemonSet, nodes: readonly Node[], byNode: ReadonlyMap<string, Pod[]>, hash: string, now: number): DaemonSetCounts {
  const counts: DaemonSetCounts = {
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    updatedNumberScheduled: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
  };
  const generation = templateGenerationOf(ds);
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  for (const node of nodes) {
    const pods = byNode.get(node.metadata.name ?? '') ?? [];
    const scheduled = pods.length > 0;
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) {
      if (scheduled) counts.numberMisscheduled++;
      continue;
    }
    counts.desiredNumberScheduled++;
    if (!scheduled) continue;
    counts.currentNumberScheduled++;
    // The oldest pod speaks for the node.
    const pod = [...pods].sort(compareByCreationAndBinding)[0]!;
    if (isPodReady(pod)) {
      counts.numberReady++;
      if (isPodAvailable(pod, minReadySeconds, now)) counts.numberAvailable++;
    }
    if (isPodUpdated(pod, hash, generation)) counts.updatedNumberScheduled++;
  }
  counts.numberUnavailable = counts.desiredNumberScheduled - counts.numberAvailable;
  return counts;
}

/**
 * Whether storeDaemonSetStatus may skip the write: every count as stored and the generation
 * already observed.
 */
export function statusUpToDate(ds: DaemonSet, counts: DaemonSetCounts): boolean {
  const status = ds.status ?? {};
  return COUNT_FIELDS.every((f) => (status[f] ?? 0) === counts[f]) && (status.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0);
}

/**
 * The status to write over `current`: the counts, and — when this sync acted on the spec — the
 * generation it observed. Other fields (collisionCount, conditions) are kept.
 */
export function nextStatus(current: DaemonSetStatus | undefined, counts: DaemonSetCounts, observedGeneration?: number): DaemonSetStatus {
  const status: DaemonSetStatus = { ...(current ?? {}), ...counts };
  if (observedGeneration !== undefined) status.observedGeneration = observedGeneration;
  // As the API serializes them: these four are omitted when zero, the other counts never.
  for (const field of OMITTED_WHEN_ZERO) if (status[field] === 0) delete status[field];
  return status;
}

const OMITTED_WHEN_ZERO = ['observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const;
