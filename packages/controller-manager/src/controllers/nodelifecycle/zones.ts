// Zone-aware disruption handling. Nodes are grouped by zone (region + zone labels); each pass
// the controller judges every zone from its nodes' Ready conditions and sets how fast that
// zone's nodes may be given NoExecute taints (and so lose their pods): normally
// --node-eviction-rate per second; slower (--secondary-node-eviction-rate, or not at all in
// small clusters) when a large share of the zone is down, since that looks like a network
// split rather than dead machines; and not at all when every node in every zone is down, since
// then the control plane itself is the likelier culprit.
import type { Node, NodeCondition } from './node-types.ts';

export type ZoneState = 'Initial' | 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** Nodes carrying this label are left out of the zone's health (isNodeExcludedFromDisruptionChecks). */
export const EXCLUDE_DISRUPTION_LABEL = 'node.kubernetes.io/exclude-disruption';

export interface DisruptionOptions {
  evictionQps: number;
  secondaryEvictionQps: number;
  largeClusterThreshold: number;
  unhealthyZoneThreshold: number;
}

/** nodetopology.GetZoneKey: "region:\0:zone", the deprecated beta labels taking precedence; "" without either. */
export function zoneKey(node: Node): string {
  const labels = node.metadata.labels ?? {};
  const zone = labels['failure-domain.beta.kubernetes.io/zone'] ?? labels['topology.kubernetes.io/zone'] ?? '';
  const region = labels['failure-domain.beta.kubernetes.io/region'] ?? labels['topology.kubernetes.io/region'] ?? '';
  if (region === '' && zone === '') return '';
  return `${region}:\x00:${zone}`;
}

/**
 * ComputeZoneState: FullDisruption when no node is Ready; PartialDisruption when more than two
 * are not and they make up at least the unhealthy threshold; otherwise Normal.
 */
export function computeZoneState(readyConditions: readonly (NodeCondition | undefined)[], unhealthyThreshold: number): { notReady: number; state: ZoneState } {
  let ready = 0;
  let notReady = 0;
  for (const condition of readyConditions) {
    if (condition?.status === 'True') ready++;
    else notReady++;
  }
  if (ready === 0 && notReady > 0) return { notReady, state: 'FullDisruption' };
  if (notReady > 2 && notReady / (notReady + ready) >= unhealthyThreshold) return { notReady, state: 'PartialDisruption' };
  return { notReady, state: 'Normal' };
}

/** setLimiterInZone: the tainting rate (nodes per second) for a zone of `zoneSize` nodes in `state`. */
export function zoneEvictionQps(state: ZoneState, zoneSize: number, options: DisruptionOptions): number {
  switch (state) {
    case 'PartialDisruption':
      // ReducedQPSFunc: small clusters stop evicting altogether.
      return zoneSize > options.largeClusterThreshold ? options.secondaryEvictionQps : 0;
    case 'Normal':
    case 'FullDisruption':
    case 'Initial':
      return options.evictionQps;
  }
}
