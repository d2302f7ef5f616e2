// How the node lifecycle controller decides a node stopped reporting (tryUpdateNodeHealth).
// It never compares the kubelet's timestamps with its own clock (they may be skewed): it
// remembers when *it* last saw the Ready condition's heartbeat or the node's Lease change (the
// probe timestamp) and declares the node's conditions Unknown once that is older than the
// grace period — --node-monitor-grace-period, or --node-startup-grace-period for a node that
// never posted a Ready condition.
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import { nodeCondition, timeOf, type Lease, type Node, type NodeCondition } from './node-types.ts';

/** What the controller remembers of one node between passes (nodeHealthData). */
export interface NodeHealth {
  /** the Ready condition as last seen */
  readyCondition?: NodeCondition;
  /** when the controller last saw the node alive (ms, its own clock) */
  probeTimestamp: number;
  /** when the controller saw Ready change (ms) */
  readyTransitionTimestamp: number;
  /** the Lease's renewTime as last seen (ms) */
  leaseRenewTime?: number;
}

export interface GracePeriods {
  monitorGraceMs: number;
  startupGraceMs: number;
}

export interface HealthCheck {
  /** what to remember for the node now */
  health: NodeHealth;
  /** Ready as it was at the start of the pass (a made-up Unknown one for a node that never posted) */
  observedReady: NodeCondition;
  /** Ready after this pass (Unknown once the grace period ran out) */
  currentReady: NodeCondition | undefined;
  /** the node with its conditions set to Unknown, to be written to nodes/status */
  statusUpdate?: Node;
}

/** The conditions the kubelet owns; NetworkUnavailable belongs to the network plugin. */
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

function sameCondition(a: NodeCondition | undefined, b: NodeCondition | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.type === b.type &&
    a.status === b.status &&
    (a.reason ?? '') === (b.reason ?? '') &&
    (a.message ?? '') === (b.message ?? '') &&
    timeOf(a.lastHeartbeatTime) === timeOf(b.lastHeartbeatTime) &&
    timeOf(a.lastTransitionTime) === timeOf(b.lastTransitionTime)
  );
}

export function checkNodeHealth(node: Node, saved: NodeHealth | undefined, lease: Lease | undefined, now: number, grace: GracePeriods): HealthCheck {
  const current = nodeCondition(node, 'Ready');
  const created = timeOf(node.metadata.creationTimestamp);
  let health = saved;
  let observedReady: NodeCondition;
  let gracePeriodMs: number;
  if (!current) {
    // Never posted: count from the node's creation, with the startup grace period.
    observedReady = { type: 'Ready', status: 'Unknown', lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: node.metadata.creationTimestamp };
    gracePeriodMs = grace.startupGraceMs;
    health = saved ? { ...saved, readyCondition: undefined } : { probeTimestamp: created, readyTransitionTimestamp: created };
  } else {
    observedReady = { ...current };
    gracePeriodMs = grace.monitorGraceMs;
  }

  const savedReady = health?.readyCondition;
  const leaseRenewTime = health?.leaseRenewTime;
  if (!health) {
    health = { readyCondition: current, probeTimestamp: now, readyTransitionTimestamp: now };
  } else if ((!savedReady && current) || (savedReady && !current)) {
    health = { readyCondition: current, probeTimestamp: now, readyTransitionTimestamp: now, leaseRenewTime };
  } else if (savedReady && current && timeOf(savedReady.lastHeartbeatTime) !== timeOf(current.lastHeartbeatTime)) {
    // A new heartbeat: the node is alive; a new transition time means Ready changed.
    const transition = timeOf(savedReady.lastTransitionTime) !== timeOf(current.lastTransitionTime) ? now : health.readyTransitionTimestamp;
    health = { readyCondition: current, probeTimestamp: now, readyTransitionTimestamp: transition, leaseRenewTime };
  }
  // A renewed Lease is a heartbeat too (the kubelet renews it every 10 s).
  if (lease) {
    const renewed = timeOf(lease.spec?.renewTime);
    if (health.leaseRenewTime === undefined || health.leaseRenewTime < renewed) health = { ...health, leaseRenewTime: renewed, probeTimestamp: now };
  }

  if (now <= health.probeTimestamp + gracePeriodMs) return { health, observedReady, currentReady: current };

  const updated = structuredClone(node);
  updated.status ??= {};
  const conditions = (updated.status.conditions ??= []);
  const nowStamp = formatRfc3339(Math.floor(now / 1000));
  for (const type of KUBELET_CONDITIONS) {
    const condition = conditions.find((c) => c.type === type);
    if (!condition) {
      conditions.push({
        type,
        status: 'Unknown',
        lastHeartbeatTime: node.metadata.creationTimestamp ?? null,
        lastTransitionTime: nowStamp,
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
      });
    } else if (condition.status !== 'Unknown') {
      condition.status = 'Unknown';
      condition.reason = 'NodeStatusUnknown';
      condition.message = 'Kubelet stopped posting node status.';
      condition.lastTransitionTime = nowStamp;
    }
  }
  const currentReady = conditions.find((c) => c.type === 'Ready');
  if (sameCondition(currentReady, observedReady)) return { health, observedReady, currentReady };
  return { health, observedReady, currentReady, statusUpdate: updated };
}

/** What to remember once the Unknown conditions were written. */
export function healthAfterStatusUpdate(check: HealthCheck, now: number): NodeHealth {
  return { ...check.health, readyCondition: check.currentReady, readyTransitionTimestamp: now };
}
