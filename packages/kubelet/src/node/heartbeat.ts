// Node heartbeats, for any number of nodes from one loop (so 5,000 hollow nodes cost one timer):
//   Lease   kube-node-lease/<node>: holder = node name, leaseDurationSeconds 40, owned by the
//           Node; renewed every quarter of the duration (10 s) — what node lifecycle watches.
//   status  recomputed every nodeStatusUpdateFrequency (10 s) and PATCHed to nodes/<n>/status
//           when it changed, or at least every nodeStatusReportFrequency (5 min) to refresh
//           the conditions' lastHeartbeatTime.
// Each node's first renewal and status check are spread over the interval, and at most
// `maxInFlight` writes run at once, so a thousand nodes do not write in the same second; when
// more are due than may run, the most overdue go first (dueHeartbeats).
import type { KubeObject } from '@k8ts/api';
import { errorMessage, isAlreadyExists, isConflict, isNotFound, sleep, type Clock, type Logger, type RestClient } from '@k8ts/client';
import { apiMicroTime } from '../pod/api-time.ts';
import { nodesClient } from './registration.ts';
import { nodeStatus, nodeStatusChanged, type Node, type NodeConfig, type NodeStatus } from './node-object.ts';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface HeartbeatTiming {
  nodeLeaseDurationSeconds: number;
  nodeStatusUpdateFrequencyMs: number;
  nodeStatusReportFrequencyMs: number;
}

export const DEFAULT_HEARTBEAT_TIMING: HeartbeatTiming = {
  nodeLeaseDurationSeconds: 40,
  nodeStatusUpdateFrequencyMs: 10_000,
  nodeStatusReportFrequencyMs: 300_000,
};

export interface Lease extends KubeObject {
  spec: { holderIdentity?: string; leaseDurationSeconds?: number; renewTime?: string; acquireTime?: string };
}

export interface NodeBeat {
  config: NodeConfig;
  node: Node;
  lease?: Lease;
  nextLeaseAt: number;
  nextStatusAt: number;
  lastReportAt: number;
  reported?: NodeStatus;
  busy: boolean;
}

export interface NodeHeartbeatOptions {
  client: RestClient;
  clock: Clock;
  logger: Logger;
  timing?: HeartbeatTiming;
  random?: () => number;
  /** concurrent heartbeat writes across all nodes */
  maxInFlight?: number;
  /** how often the loop looks for due work */
  tickMs?: number;
}

export class NodeHeartbeat {
  private readonly beats = new Map<string, NodeBeat>();
  private readonly timing: HeartbeatTiming;
  private readonly random: () => number;
  private readonly maxInFlight: number;
  private inFlight = 0;

  constructor(private readonly options: NodeHeartbeatOptions) {
    this.timing = options.timing ?? DEFAULT_HEARTBEAT_TIMING;
    this.random = options.random ?? Math.random;
    this.maxInFlight = options.maxInFlight ?? 64;
  }

  get renewIntervalMs(): number {
    return (this.timing.nodeLeaseDurationSeconds * 1000) / 4;
  }

  /** Starts heartbeating a registered node: its lease at once, its status within one period. */
  add(config: NodeConfig, node: Node): void {
    const now = this.options.clock.now();
    this.beats.set(config.nodeName, {
      config,
      node,
      nextLeaseAt: now,
      nextStatusAt: now + this.random() * this.timing.nodeStatusUpdateFrequencyMs,
      // registration carried the first status
      lastReportAt: now,
      reported: node.status,
      busy: false,
    });
  }

  /** The latest copy of the node (its spec.podCIDR, and what the status diff starts from). */
  nodeUpdated(node: Node): void {
    const beat = this.beats.get(node.metadata.name ?? '');
    if (beat) beat.node = node;
  }

  async run(signal: AbortSignal): Promise<void> {
    const tick = this.options.tickMs ?? 250;
    while (await sleep(this.options.clock, tick, signal)) this.tick();
  }

  /** Starts the writes that are due (without waiting for them), the most overdue first. */
  tick(): void {
    const due = dueHeartbeats(this.beats.values(), this.options.clock.now(), this.maxInFlight - this.inFlight);
    for (const { beat, write } of due) this.start(beat, () => (write === 'lease' ? this.renewLease(beat) : this.updateStatus(beat)));
  }

  private start(beat: NodeBeat, work: () => Promise<void>): void {
    beat.busy = true;
    this.inFlight++;
    void work().finally(() => {
      beat.busy = false;
      this.inFlight--;
    });
  }

  private leaseObject(beat: NodeBeat, now: number): Lease {
    const base = beat.lease ?? {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: beat.config.nodeName,
        namespace: NODE_LEASE_NAMESPACE,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: beat.config.nodeName, uid: beat.node.metadata.uid ?? '' }],
      },
      spec: {},
    };
    return { ...base, spec: { ...base.spec, holderIdentity: beat.config.nodeName, leaseDurationSeconds: this.timing.nodeLeaseDurationSeconds, renewTime: apiMicroTime(now) } };
  }

  private async renewLease(beat: NodeBeat): Promise<void> {
    const { client, clock, logger } = this.options;
    const leases = client.forKind<Lease>({ group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' }).namespace(NODE_LEASE_NAMESPACE);
    const now = clock.now();
    try {
      beat.lease = beat.lease ? await leases.update(this.leaseObject(beat, now)) : await leases.create(this.leaseObject(beat, now));
      beat.nextLeaseAt = now + this.renewIntervalMs;
    } catch (err) {
      if (isConflict(err) || isNotFound(err) || isAlreadyExists(err)) {
        // Someone else wrote it, or it is gone (or already there when we first create it): start from the server's copy.
        beat.lease = await leases.get(beat.config.nodeName).catch(() => undefined);
      } else {
        logger.warn(`failed to update lease of node ${JSON.stringify(beat.config.nodeName)}: ${errorMessage(err)}`);
      }
      // The kubelet retries a failed renewal after 200 ms, backing off to 7 s.
      beat.nextLeaseAt = now + 200;
    }
  }

  private async updateStatus(beat: NodeBeat): Promise<void> {
    const { client, clock, logger } = this.options;
    const now = clock.now();
    beat.nextStatusAt = now + this.timing.nodeStatusUpdateFrequencyMs;
    // The kubelet diffs against the Node as the API holds it: when someone else changed its
    // conditions (the node lifecycle controller marks a silent node Unknown), it reports again
    // at once, with new transition times, rather than waiting for the 5-minute refresh.
    const served = beat.node.status;
    const drifted = conditionsDiffer(served?.conditions, beat.reported?.conditions);
    const status = nodeStatus(beat.config, drifted ? served : beat.reported, now);
    if (!drifted && !nodeStatusChanged(beat.reported, status) && now - beat.lastReportAt < this.timing.nodeStatusReportFrequencyMs) return;
    try {
      const written = await nodesClient(client).patch(beat.config.nodeName, 'strategic', { status }, { subresource: 'status' });
      beat.node = written;
      beat.reported = status;
      beat.lastReportAt = now;
    } catch (err) {
      logger.warn(`Error updating node status, will retry: ${errorMessage(err)} (node ${JSON.stringify(beat.config.nodeName)})`);
    }
  }
}

export interface DueHeartbeat {
  beat: NodeBeat;
  write: 'lease' | 'status';
}

/**
 * The heartbeat writes to start now, at most `slots` of them: Lease renewals before status
 * updates (node lifecycle judges a node by its Lease alone), each kind the most overdue first.
 * Why the order matters: when the apiserver falls behind, writes finish slower than they come
 * due; taken in node order, the first nodes would keep renewing while the last ones starved
 * until their Leases expired and node lifecycle marked them Unknown — as a 5,000-node benchmark
 * saw. Oldest first spreads the lag over every node instead.
 */
export function dueHeartbeats(beats: Iterable<NodeBeat>, now: number, slots: number): DueHeartbeat[] {
  if (slots <= 0) return [];
  const leases: NodeBeat[] = [];
  const statuses: NodeBeat[] = [];
  for (const beat of beats) {
    if (beat.busy) continue;
    if (now >= beat.nextLeaseAt) leases.push(beat);
    else if (now >= beat.nextStatusAt) statuses.push(beat);
  }
  leases.sort((a, b) => a.nextLeaseAt - b.nextLeaseAt);
  statuses.sort((a, b) => a.nextStatusAt - b.nextStatusAt);
  return [...leases.map((beat) => ({ beat, write: 'lease' as const })), ...statuses.map((beat) => ({ beat, write: 'status' as const }))].slice(0, slots);
}

type Condition = NonNullable<NodeStatus['conditions']>[number];

/** Whether two condition lists say different things (heartbeat and transition times aside). */
export function conditionsDiffer(a: readonly Condition[] | undefined, b: readonly Condition[] | undefined): boolean {
  const said = (list: readonly Condition[] | undefined) =>
    JSON.stringify((list ?? []).map((c) => [c.type, c.status, c.reason ?? '', c.message ?? '']).sort((x, y) => (x[0]! < y[0]! ? -1 : 1)));
  return said(a) !== said(b);
}

