// The measured phases of a 3-member run: the same put and range loads as with one member, the
// clients spread over every member (followers pass puts and linearizable reads on to the
// leader), serializable reads next to linearizable ones, and the failover phase.
import type { Cluster } from '../test/cluster-harness.ts';
import type { Target } from '../test/harness.ts';
import type { ClosedLoopResult } from './closed-loop.ts';
import { measureFailovers, type FailoverResult } from './failover.ts';
import { alternatingPhases, describeLoad, measurePuts, measureRanges, RANGE_CLIENTS } from './phases.ts';
import { cpuMsOf } from './process-cpu.ts';
import type { PhaseSizes } from './sizes.ts';

/** Concurrent clients of the put phases. */
export const CLUSTER_PUT_CLIENTS = [16, 64, 256] as const;

export interface ClusterPutResult extends ClosedLoopResult {
  /**
   * CPU time of all members (user + system, all threads) per put, warm-up puts included: what a
   * put costs the cluster, which on a shared machine says more than puts/s.
   */
  storeCpuMsPerPut: number;
}

export interface ClusterResults {
  puts: Map<number, ClusterPutResult>;
  linearizableRanges: ClosedLoopResult;
  serializableRanges: ClosedLoopResult;
  failover: FailoverResult;
}

export async function measureClusters(
  clusters: ReadonlyMap<Target, Cluster>,
  sizes: PhaseSizes,
  log: (line: string) => void,
): Promise<Map<Target, ClusterResults>> {
  const endpoints = new Map([...clusters].map(([target, cluster]) => [target, cluster.members.map((member) => member.endpoint)]));
  const onEachTarget = alternatingPhases(endpoints, log);
  const puts = new Map<number, Map<Target, ClusterPutResult>>();
  for (const clients of CLUSTER_PUT_CLIENTS) {
    const measure = async (members: readonly string[], target: Target): Promise<ClusterPutResult> => {
      const pids = clusters.get(target)!.members.flatMap((member) => (member.pid === undefined ? [] : [member.pid]));
      const cpuBefore = cpuMsOf(pids);
      const result = await measurePuts(members, clients, sizes);
      const putsMade = sizes.warmupOperations + result.completed;
      return { ...result, storeCpuMsPerPut: (cpuMsOf(pids) - cpuBefore) / putsMade };
    };
    const describe = (result: ClusterPutResult) => `${describeLoad(result)}, store CPU ${result.storeCpuMsPerPut.toFixed(2)} ms per put`;
    puts.set(clients, await onEachTarget(`put, ${clients} clients`, measure, describe));
  }
  const linearizable = await onEachTarget(`linearizable range, ${RANGE_CLIENTS} clients`, (members) => measureRanges(members, sizes), describeLoad);
  const serializable = await onEachTarget(`serializable range, ${RANGE_CLIENTS} clients`, (members) => measureRanges(members, sizes, true), describeLoad);
  const failovers = await measureFailovers(clusters, sizes.failoverKills, log);
  return new Map(
    [...clusters.keys()].map((target): [Target, ClusterResults] => [
      target,
      {
        puts: new Map(CLUSTER_PUT_CLIENTS.map((clients) => [clients, puts.get(clients)!.get(target)!])),
        linearizableRanges: linearizable.get(target)!,
        serializableRanges: serializable.get(target)!,
        failover: failovers.get(target)!,
      },
    ]),
  );
}
