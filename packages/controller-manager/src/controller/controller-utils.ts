// Helpers every workload controller shares (kube-controller-manager's controller_utils.go and
// podutil): which pods still count, when a pod is ready and available, the order in which a
// controller gives up pods when it scales down, and the pod-template-hash that names a
// Deployment's ReplicaSets and labels their pods.
import type { KubeObject, OwnerReference } from '@k8ts/api';
import type { Pod, PodCondition, PodTemplateSpec } from './workload-types.ts';

/** Annotation lowering (or raising) a pod's priority for deletion on scale-down. */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

/** The label the Deployment controller puts on ReplicaSets and their pods (ComputeHash's output). */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** "namespace/name": how expectations and work queues name a pod. */
export function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/** metav1.GetControllerOf: the owner reference with controller=true, if any. */
export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

/** A pod still counts towards its controller's replicas: not finished and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function filterActivePods<P extends Pod>(pods: readonly P[]): P[] {
  return pods.filter(isPodActive);
}

export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** podutil.IsPodReady: the kubelet reports the Ready condition True. */
export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** A Kubernetes timestamp in ms since the epoch; 0 for Go's zero time (absent or empty). */
export function timeOf(timestamp: string | null | undefined): number {
  if (!timestamp) return 0;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? 0 : ms;
}

/** When the pod became ready (ms), or 0 when it is not ready. */
export function podReadyTime(pod: Pod): number {
  return isPodReady(pod) ? timeOf(podReadyCondition(pod)?.lastTransitionTime) : 0;
}

/**
 * podutil.IsPodAvailable: ready, and — with minReadySeconds — ready for strictly longer than
 * that at `now`.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const since = timeOf(podReadyCondition(pod)?.lastTransitionTime);
  return since !== 0 && since + minReadySeconds * 1000 < now;
}

/** The highest restart count among the pod's containers. */
export function maxContainerRestarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

/**
 * The pod-deletion-cost annotation as an int32; 0 when absent or malformed (a leading "+" or
 * leading zeros are malformed, as in Kubernetes).
 */
export function podDeletionCost(pod: Pod): number {
  const value = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (value === undefined || !/^(-[0-9]+|0|[1-9][0-9]*)$/.test(value)) return 0;
  const cost = Number(value);
  return cost >= -(2 ** 31) && cost <= 2 ** 31 - 1 ? cost : 0;
}

/** A pod and its rank: how many related pods share its node (higher goes first). */
export interface RankedPod {
  pod: Pod;
  rank: number;
}

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * ActivePodsWithRanks.Less: whether `a` should be deleted before `b` when scaling down.
 *  1. unassigned before assigned
 *  2. Pending before Unknown before Running
 *  3. not ready before ready
 *  4. lower pod-deletion-cost before higher
 *  5. higher rank (more related pods on the same node) before lower
 *  6. ready for less time before longer
 *  7. more container restarts before fewer
 *  8. newer before older
 * With `now` (LogarithmicScaleDown, on by default since 1.22) the times in 6 and 8 are compared
 * on a log2 scale of their age, so pods of similar age count as equally old and ties fall to a
 * comparison of UIDs — which spreads deletions instead of always taking the very newest.
 */
export function deleteBefore(a: RankedPod, b: RankedPod, now?: number): boolean {
  const [pa, pb] = [a.pod, b.pod];
  const [nodeA, nodeB] = [pa.spec?.nodeName ?? '', pb.spec?.nodeName ?? ''];
  if (nodeA !== nodeB && (nodeA === '' || nodeB === '')) return nodeA === '';
  const [phaseA, phaseB] = [PHASE_ORDER[pa.status?.phase ?? ''] ?? 0, PHASE_ORDER[pb.status?.phase ?? ''] ?? 0];
  if (phaseA !== phaseB) return phaseA < phaseB;
  const [readyA, readyB] = [isPodReady(pa), isPodReady(pb)];
  if (readyA !== readyB) return !readyA;
  const [costA, costB] = [podDeletionCost(pa), podDeletionCost(pb)];
  if (costA !== costB) return costA < costB;
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (readyA && readyB) {
    const [readyTimeA, readyTimeB] = [podReadyTime(pa), podReadyTime(pb)];
    if (readyTimeA !== readyTimeB) return newerFirst(readyTimeA, readyTimeB, pa, pb, now);
  }
  const [restartsA, restartsB] = [maxContainerRestarts(pa), maxContainerRestarts(pb)];
  if (restartsA !== restartsB) return restartsA > restartsB;
  const [createdA, createdB] = [timeOf(pa.metadata.creationTimestamp), timeOf(pb.metadata.creationTimestamp)];
  if (createdA !== createdB) return newerFirst(createdA, createdB, pa, pb, now);
  return false;
}

/** For two different times: the zero time first, then the later (newer) one. */
function newerFirst(timeA: number, timeB: number, pa: Pod, pb: Pod, now: number | undefined): boolean {
  if (now === undefined || timeA === 0 || timeB === 0) return afterOrZero(timeA, timeB);
  const rankDiff = logarithmicRank(timeA, now) - logarithmicRank(timeB, now);
  if (rankDiff === 0) return (pa.metadata.uid ?? '') < (pb.metadata.uid ?? '');
  return rankDiff < 0;
}

function afterOrZero(timeA: number, timeB: number): boolean {
  if (timeA === 0 || timeB === 0) return timeA === 0;
  return timeA > timeB;
}

/** floor(log2(age in nanoseconds)), or -1 for a time not in the past. */
function logarithmicRank(time: number, now: number): number {
  const ageNs = (now - time) * 1e6;
  return ageNs > 0 ? Math.floor(Math.log2(ageNs)) : -1;
}

/** The pods in the order to delete them (the first ones go first). */
export function sortForDeletion(pods: readonly RankedPod[], now?: number): Pod[] {
  return [...pods].sort((a, b) => (deleteBefore(a, b, now) ? -1 : deleteBefore(b, a, now) ? 1 : 0)).map((r) => r.pod);
}

/**
 * getPodsRankedByRelatedPodsOnSameNode: each pod ranked by how many active `related` pods (the
 * pods of every ReplicaSet of the same Deployment) run on its node, so scale-down thins out
 * crowded nodes first.
 */
export function rankByRelatedPodsOnSameNode(pods: readonly Pod[], related: readonly Pod[]): RankedPod[] {
  const onNode = new Map<string, number>();
  for (const pod of related) {
    if (!isPodActive(pod)) continue;
    const node = pod.spec?.nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  return pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
}

// ComputeHash: FNV-32a over a deep, deterministic rendering of the template (Kubernetes hashes
// Go's struct dump; we hash JSON with sorted keys and no nulls, so the same template always
// gets the same hash), then the collision count as 8 little-endian bytes, then the decimal
// digits of the hash re-spelled in an alphabet without vowels (rand.SafeEncodeString) so the
// result can never spell a word.
const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** The pod-template-hash of a template (and the owner's status.collisionCount, if any). */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  let hash = fnv32a(FNV32_OFFSET, Buffer.from(canonicalJson(template), 'utf8'));
  if (collisionCount !== undefined) {
    const bytes = Buffer.alloc(8);
    bytes.writeUInt32LE(collisionCount >>> 0, 0);
    hash = fnv32a(hash, bytes);
  }
  return safeEncodeString(String(hash));
}

function fnv32a(seed: number, bytes: Uint8Array): number {
  let hash = seed;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, FNV32_PRIME) >>> 0;
  return hash >>> 0;
}

/** rand.SafeEncodeString: each byte mapped into the vowel-free alphabet. */
export function safeEncodeString(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => SAFE_ALPHABET[byte % SAFE_ALPHABET.length]).join('');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * slowStartBatch: calls `fn` `count` times in batches of 1, 2, 4, … (starting at
 * `initialBatchSize`), each batch in parallel, stopping after the first batch with a failure.
 * A controller whose creates all fail (a quota, a webhook) thus sends one request per sync
 * instead of hundreds. Returns how many calls succeeded and the first error.
 */
export async function slowStartBatch(
  count: number,
  initialBatchSize: number,
  fn: () => Promise<void>,
): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batch - failures.length;
    if (failures.length > 0) return { successes, error: failures[0]!.reason };
    remaining -= batch;
  }
  return { successes };
}
