// Taints the node controllers own, and how tolerations match them (core/v1 helper's
// ToleratesTaint and GetMatchingTolerations). Pure functions: callers pass the time.
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import { toleratesTaint } from '@k8ts/api/tolerations.ts';
import type { Node, NodeCondition, Taint, Toleration } from './node-types.ts';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_NODE_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_NODE_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_NODE_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';
export const TAINT_NODE_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_NODE_OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

/** The NoExecute taints the lifecycle controller swaps as Ready goes False or Unknown. */
export const NOT_READY_NO_EXECUTE: Taint = { key: TAINT_NODE_NOT_READY, effect: 'NoExecute' };
export const UNREACHABLE_NO_EXECUTE: Taint = { key: TAINT_NODE_UNREACHABLE, effect: 'NoExecute' };

/**
 * TaintNodesByCondition: which condition status puts which NoSchedule taint on a node.
 * NetworkUnavailable is read but never set by the controller (a network plugin owns it).
 */
const CONDITION_TAINTS: Record<string, Partial<Record<NodeCondition['status'], string>>> = {
  Ready: { False: TAINT_NODE_NOT_READY, Unknown: TAINT_NODE_UNREACHABLE },
  MemoryPressure: { True: TAINT_NODE_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_NODE_DISK_PRESSURE },
  NetworkUnavailable: { True: TAINT_NODE_NETWORK_UNAVAILABLE },
  PIDPressure: { True: TAINT_NODE_PID_PRESSURE },
};

const CONDITION_TAINT_KEYS = new Set(Object.values(CONDITION_TAINTS).flatMap((byStatus) => Object.values(byStatus)));

/** Taints match by key and effect (value and timeAdded do not matter): Taint.MatchTaint. */
export function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

export function taintExists(taints: readonly Taint[] | null | undefined, taint: Taint): boolean {
  return (taints ?? []).some((t) => sameTaint(t, taint));
}

export function noExecuteTaints(node: Node | undefined): Taint[] {
  return (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
}


/**
 * GetMatchingTolerations: whether every taint is tolerated, and for each taint the first
 * toleration that does it.
 */
export function matchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[]): { allTolerated: boolean; used: Toleration[] } {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const match = tolerations.find((t) => toleratesTaint(t, taint));
    if (!match) return { allTolerated: false, used: [] };
    used.push(match);
  }
  return { allTolerated: true, used };
}

/**
 * How long (ms) the pod may stay: the smallest tolerationSeconds of the tolerations used
 * (0 or less: none at all), or -1 when every one tolerates forever.
 */
export function minTolerationMs(used: readonly Toleration[]): number {
  if (used.length === 0) return 0;
  let min = Infinity;
  for (const toleration of used) {
    const seconds = toleration.tolerationSeconds;
    if (seconds === undefined || seconds === null) continue;
    if (seconds <= 0) return 0;
    min = Math.min(min, seconds);
  }
  return min === Infinity ? -1 : min * 1000;
}

/**
 * The NoSchedule taints a node should carry for its conditions and spec.unschedulable
 * (the node lifecycle controller's doNoScheduleTaintingPass).
 */
export function conditionNoScheduleTaints(node: Node): Taint[] {
  const taints: Taint[] = [];
  for (const condition of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[condition.type]?.[condition.status];
    if (key) taints.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) taints.push({ key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' });
  return taints;
}

/** The node's NoSchedule taints that the controller manages (so may add or remove). */
function isManagedNoScheduleTaint(taint: Taint): boolean {
  return taint.effect === 'NoSchedule' && (taint.key === TAINT_NODE_UNSCHEDULABLE || CONDITION_TAINT_KEYS.has(taint.key));
}

/**
 * The node's taints with the condition NoSchedule taints brought up to date, or undefined when
 * nothing changes. Taints the controller does not own keep their place.
 */
export function reconcileNoScheduleTaints(node: Node): Taint[] | undefined {
  const current = node.spec?.taints ?? [];
  const wanted = conditionNoScheduleTaints(node);
  const managed = current.filter(isManagedNoScheduleTaint);
  const toAdd = wanted.filter((w) => !taintExists(managed, w));
  const toRemove = managed.filter((m) => !taintExists(wanted, m));
  if (toAdd.length === 0 && toRemove.length === 0) return undefined;
  return [...current.filter((t) => !toRemove.includes(t)), ...toAdd];
}

/**
 * SwapNodeControllerTaint's result: `add` (stamped with timeAdded = now) replaces `remove`;
 * undefined when the node already has exactly that.
 */
export function swapTaints(current: readonly Taint[] | null | undefined, add: readonly Taint[], remove: readonly Taint[], now: number): Taint[] | undefined {
  const taints = current ?? [];
  const kept = taints.filter((t) => !remove.some((r) => sameTaint(r, t)));
  const missing = add.filter((a) => !taintExists(kept, a));
  if (missing.length === 0 && kept.length === taints.length) return undefined;
  const timeAdded = formatRfc3339(Math.floor(now / 1000));
  return [...kept, ...missing.map((t) => ({ ...t, timeAdded }))];
}
