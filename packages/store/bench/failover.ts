// The failover phase: kill -9 the leader of a running cluster, time the first write a surviving
// member acknowledges, then restart the killed member and wait until it has caught up, so every
// kill starts from a whole, idle cluster. Targets take turns kill by kill, so background load on
// the machine weighs on both alike.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { EtcdClient } from '../src/client/etcd-client.ts';
import type { Cluster } from '../test/cluster-harness.ts';
import type { Member, Target } from '../test/harness.ts';
import { firstAcknowledgedWrite } from './first-write.ts';
import { summarize, type LatencySummary } from './latency.ts';

/** One put every this often, to the survivors in turn: the resolution of a failover time. */
export const PROBE_INTERVAL_MS = 20;
/** A cluster that takes longer than this to accept a write is recorded as not recovered. */
export const GIVE_UP_MS = 30_000;
const CATCH_UP_TIMEOUT_MS = 60_000;

export interface Failover {
  /** The member killed (the leader). */
  killed: string;
  /** Kill → first acknowledged write; undefined if the cluster did not recover within GIVE_UP_MS. */
  firstWriteMs: number | undefined;
  /** Kill → the restarted member serving again and caught up with the leader; undefined if it never was. */
  rejoinedMs: number | undefined;
  lastError: string | undefined;
}

export interface FailoverResult extends LatencySummary {
  failovers: Failover[];
  /** Failovers after which no write was acknowledged within GIVE_UP_MS (left out of the percentiles). */
  unrecovered: number;
  /** Why the kills on this cluster stopped early (it did not come back whole), if they did. */
  stoppedBy: string | undefined;
}

export async function measureFailovers(
  clusters: ReadonlyMap<Target, Cluster>,
  kills: number,
  log: (line: string) => void,
): Promise<Map<Target, FailoverResult>> {
  const failovers = new Map<Target, Failover[]>([...clusters.keys()].map((target) => [target, []]));
  const stoppedBy = new Map<Target, string>();
  for (let kill = 0; kill < kills; kill++) {
    const targets = [...clusters.keys()].filter((target) => !stoppedBy.has(target));
    if (kill % 2 === 1) targets.reverse();
    for (const target of targets) {
      const cluster = clusters.get(target)!;
      const say = (line: string) => log(`failover ${kill + 1}/${kills}, ${target}: ${line}`);
      try {
        const failover = await killLeader(cluster, `/bench/failover/${kill}`, say);
        failovers.get(target)!.push(failover);
        await restartKilled(cluster, failover, say);
      } catch (error) {
        // A cluster that cannot be made whole again ends its failover phase; the rest is kept.
        const reason = error instanceof Error ? error.message.split('\n', 1)[0] : String(error);
        stoppedBy.set(target, `kill ${kill + 1}: ${reason}`);
        say(`stopped: ${reason}\n${cluster.stderrTails()}`);
      }
    }
  }
  return new Map([...failovers].map(([target, runs]) => [target, summarizeFailovers(runs, stoppedBy.get(target))]));
}

export function summarizeFailovers(failovers: Failover[], stoppedBy?: string): FailoverResult {
  const times = failovers.flatMap((failover) => (failover.firstWriteMs === undefined ? [] : [failover.firstWriteMs]));
  return { ...summarize(Float64Array.from(times)), failovers, unrecovered: failovers.length - times.length, stoppedBy };
}

interface KilledLeader extends Failover {
  member: Member;
  killedAt: number;
}

/** Kills the leader and times the first acknowledged write; says it as soon as it is known. */
async function killLeader(cluster: Cluster, key: string, say: (line: string) => void): Promise<KilledLeader> {
  const leader = await cluster.waitForLeader();
  const survivors = cluster.members.filter((member) => member !== leader);
  // Connected before the kill, so the time is the cluster's, not the client's connection set-up.
  const clients = survivors.map((member) => new EtcdClient(member.endpoint, { ownConnection: true }));
  try {
    await Promise.all(clients.map((client) => client.status({ deadline: Date.now() + 5_000 })));
    const killedAt = performance.now();
    const killed = leader.kill9();
    const probe = await firstAcknowledgedWrite({
      write: (attempt) => clients[attempt % clients.length].put({ key, value: String(attempt) }),
      intervalMs: PROBE_INTERVAL_MS,
      giveUpMs: GIVE_UP_MS,
      now: () => performance.now(),
      sleep: (ms) => sleep(ms),
    });
    say(`killed leader ${leader.identity.name}, ${probe.afterMs === undefined ? `no write within ${GIVE_UP_MS} ms (${probe.lastError})` : `first write after ${probe.afterMs.toFixed(0)} ms`}`);
    await killed;
    return { member: leader, killed: leader.identity.name, killedAt, firstWriteMs: probe.afterMs, rejoinedMs: undefined, lastError: probe.lastError };
  } finally {
    // Also cancels puts still in flight.
    for (const client of clients) client.close();
  }
}

/** Restarts the killed member on its data directory and waits until the cluster is whole again. */
async function restartKilled(cluster: Cluster, killed: KilledLeader, say: (line: string) => void): Promise<void> {
  await killed.member.start();
  await waitUntilCaughtUp(cluster);
  killed.rejoinedMs = performance.now() - killed.killedAt;
  say(`${killed.killed} restarted and caught up ${killed.rejoinedMs.toFixed(0)} ms after the kill`);
}

/** Waits until every member answers, all name one leader, and each has applied the leader's last entry. */
async function waitUntilCaughtUp(cluster: Cluster): Promise<void> {
  const deadline = performance.now() + CATCH_UP_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const statuses = await cluster.statuses();
    const leaderIndex = statuses.find(({ status }) => status.leader === status.header.member_id)?.status.raftIndex;
    const caughtUp =
      statuses.length === cluster.members.length &&
      leaderIndex !== undefined &&
      new Set(statuses.map(({ status }) => status.leader)).size === 1 &&
      statuses.every(({ status }) => BigInt(status.raftAppliedIndex) >= BigInt(leaderIndex));
    if (caughtUp) return;
    await sleep(100);
  }
  throw new Error(`the ${cluster.target} cluster did not catch up within ${CATCH_UP_TIMEOUT_MS} ms after a restart:\n${cluster.stderrTails()}`);
}
