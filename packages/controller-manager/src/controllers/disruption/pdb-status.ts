// The arithmetic of a PodDisruptionBudget's status (the disruption controller's pure part):
// how many of its pods are healthy now, how many must stay healthy, and so how many may be
// disrupted. A pod the eviction handler recently let go (status.disruptedPods) no longer counts
// as healthy while it waits to be deleted — for at most DELETION_TIMEOUT, after which the
// entry is dropped with a NotDeleted warning on the pod.
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import { isPodReady, timeOf } from '../../controller/controller-utils.ts';
import type { Pod } from '../../controller/workload-types.ts';
import type { MetaCondition, PodDisruptionBudget, PodDisruptionBudgetStatus } from './types.ts';

/** How long an evicted pod may take to be marked for deletion before it counts again. */
export const DELETION_TIMEOUT_MS = 2 * 60_000;

export const DISRUPTION_ALLOWED_CONDITION = 'DisruptionAllowed';
export const SUFFICIENT_PODS_REASON = 'SufficientPods';
export const INSUFFICIENT_PODS_REASON = 'InsufficientPods';
export const SYNC_FAILED_REASON = 'SyncFailed';

export interface DisruptedPods {
  /** the entries to keep */
  disruptedPods: Record<string, string>;
  /** the earliest time a kept entry expires: look again then */
  recheckAt?: number;
  /** pods whose entry expired without their deletion: each earns a NotDeleted warning */
  notDeleted: Pod[];
}

/** buildDisruptedPodMap: the disruptedPods entries still pending for pods not yet being deleted. */
export function buildDisruptedPodMap(pods: readonly Pod[], pdb: PodDisruptionBudget, now: number): DisruptedPods {
  const result: DisruptedPods = { disruptedPods: {}, notDeleted: [] };
  const recorded = pdb.status?.disruptedPods;
  if (!recorded) return result;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const name = pod.metadata.name ?? '';
    const disruptedAt = recorded[name];
    if (disruptedAt === undefined) continue;
    const expectedDeletion = timeOf(disruptedAt) + DELETION_TIMEOUT_MS;
    // Due exactly now counts as expired, so a recheck always lies in the future.
    if (expectedDeletion <= now) {
      result.notDeleted.push(pod);
      continue;
    }
    if (result.recheckAt === undefined || expectedDeletion < result.recheckAt) result.recheckAt = expectedDeletion;
    result.disruptedPods[name] = disruptedAt;
  }
  return result;
}

/** countHealthyPods: ready pods that are neither being deleted nor about to be. */
export function countHealthyPods(pods: readonly Pod[], disruptedPods: Record<string, string>, now: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const disruptedAt = disruptedPods[pod.metadata.name ?? ''];
    if (disruptedAt !== undefined && timeOf(disruptedAt) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

export interface HealthCounts {
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  disruptedPods: Record<string, string>;
}

/**
 * The status a PDB should have, or undefined when it already has it. Disruptions are allowed
 * only while more pods are healthy than desired — and never while the budget expects no pods,
 * so that pods appearing before the next sync are protected.
 */
export function desiredStatus(pdb: PodDisruptionBudget, counts: HealthCounts, now: number): PodDisruptionBudgetStatus | undefined {
  const { currentHealthy, desiredHealthy, expectedPods, disruptedPods } = counts;
  const disruptionsAllowed = expectedPods <= 0 || currentHealthy - desiredHealthy <= 0 ? 0 : currentHealthy - desiredHealthy;
  const status = pdb.status;
  const generation = pdb.metadata.generation ?? 0;
  if (
    status &&
    (status.currentHealthy ?? 0) === currentHealthy &&
    (status.desiredHealthy ?? 0) === desiredHealthy &&
    (status.expectedPods ?? 0) === expectedPods &&
    (status.disruptionsAllowed ?? 0) === disruptionsAllowed &&
    sameDisruptedPods(status.disruptedPods, disruptedPods) &&
    (status.observedGeneration ?? 0) === generation &&
    conditionsUpToDate(pdb)
  ) {
    return undefined;
  }
  const next: PodDisruptionBudgetStatus = {
    ...(generation ? { observedGeneration: generation } : {}),
    ...(Object.keys(disruptedPods).length > 0 ? { disruptedPods } : {}),
    disruptionsAllowed,
    currentHealthy,
    desiredHealthy,
    expectedPods,
  };
  const allowed = disruptionsAllowed > 0;
  next.conditions = setCondition(
    status?.conditions ?? [],
    {
      type: DISRUPTION_ALLOWED_CONDITION,
      status: allowed ? 'True' : 'False',
      reason: allowed ? SUFFICIENT_PODS_REASON : INSUFFICIENT_PODS_REASON,
      message: '',
      observedGeneration: generation,
    },
    now,
  );
  return next;
}

/** failSafe: the status of a PDB whose sync failed — no disruptions, and why. */
export function failSafeStatus(pdb: PodDisruptionBudget, error: string, now: number): PodDisruptionBudgetStatus {
  const status = pdb.status ?? { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  const conditions = setCondition(
    status.conditions ?? [],
    { type: DISRUPTION_ALLOWED_CONDITION, status: 'False', reason: SYNC_FAILED_REASON, message: error, observedGeneration: status.observedGeneration ?? 0 },
    now,
  );
  return { ...status, disruptionsAllowed: 0, conditions };
}

/** pdbhelper.ConditionsAreUpToDate: DisruptionAllowed is there and agrees with disruptionsAllowed. */
function conditionsUpToDate(pdb: PodDisruptionBudget): boolean {
  const condition = pdb.status?.conditions?.find((c) => c.type === DISRUPTION_ALLOWED_CONDITION);
  if (!condition || (pdb.status?.observedGeneration ?? 0) !== (pdb.metadata.generation ?? 0)) return false;
  return (pdb.status?.disruptionsAllowed ?? 0) > 0
    ? condition.status === 'True' && condition.reason === SUFFICIENT_PODS_REASON
    : condition.status === 'False' && condition.reason === INSUFFICIENT_PODS_REASON;
}

/**
 * meta.SetStatusCondition: replaces the condition of that type, keeping its transition time
 * unless its status changes; a new condition transitions now.
 */
function setCondition(conditions: readonly MetaCondition[], update: Omit<MetaCondition, 'lastTransitionTime'>, now: number): MetaCondition[] {
  const existing = conditions.find((c) => c.type === update.type);
  const lastTransitionTime = existing && existing.status === update.status ? existing.lastTransitionTime : formatRfc3339(Math.floor(now / 1000));
  const condition: MetaCondition = {
    type: update.type,
    status: update.status,
    ...(update.observedGeneration ? { observedGeneration: update.observedGeneration } : {}),
    lastTransitionTime,
    reason: update.reason,
    message: update.message,
  };
  return existing ? conditions.map((c) => (c === existing ? condition : c)) : [...conditions, condition];
}

function sameDisruptedPods(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const entries = Object.entries(a ?? {});
  return entries.length === Object.keys(b).length && entries.every(([name, at]) => b[name] === at);
}
