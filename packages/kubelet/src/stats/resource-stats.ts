// The CPU and memory numbers behind the kubelet's /metrics/resource (its "CPU and memory stats"
// summary): per container, per pod (the sum of its containers) and for the node. CPU is
// cumulative (core-nanoseconds since the container or node started), memory the working set now.
// Plain functions of what the container runtime reports.
import type { ContainerStats, ContainerStatus, PodSandboxStatus } from '../runtime/runtime.ts';

export interface ContainerResourceStats {
  name: string;
  /** epoch milliseconds */
  startTime: number;
  timestamp: number;
  cpuUsageCoreNanoSeconds: number;
  memoryWorkingSetBytes: number;
}

export interface PodResourceStats {
  name: string;
  namespace: string;
  /** the latest of its containers' timestamps */
  timestamp: number;
  cpuUsageCoreNanoSeconds: number;
  memoryWorkingSetBytes: number;
  containers: ContainerResourceStats[];
}

export interface NodeResourceStats {
  timestamp: number;
  cpuUsageCoreNanoSeconds: number;
  memoryWorkingSetBytes: number;
}

export interface ResourceStats {
  node: NodeResourceStats;
  pods: PodResourceStats[];
}

/**
 * Groups the runtime's container stats by pod. Containers the runtime no longer knows, or whose
 * sandbox is gone, are left out: they are exiting and have nothing more to report.
 */
export function podResourceStats(
  stats: readonly ContainerStats[],
  containers: readonly ContainerStatus[],
  sandboxes: ReadonlyMap<string, PodSandboxStatus>,
): PodResourceStats[] {
  const statusById = new Map(containers.map((c) => [c.id, c]));
  const pods = new Map<string, PodResourceStats>();
  for (const s of stats) {
    const status = statusById.get(s.containerId);
    const sandbox = sandboxes.get(s.sandboxId);
    if (!status || !sandbox) continue;
    const { name, namespace } = sandbox.config;
    const key = `${namespace}/${name}`;
    let pod = pods.get(key);
    if (!pod) {
      pod = { name, namespace, timestamp: 0, cpuUsageCoreNanoSeconds: 0, memoryWorkingSetBytes: 0, containers: [] };
      pods.set(key, pod);
    }
    pod.containers.push({
      name: status.name,
      startTime: status.startedAt,
      timestamp: s.timestamp,
      cpuUsageCoreNanoSeconds: s.cpuUsageCoreNanoSeconds,
      memoryWorkingSetBytes: s.memoryWorkingSetBytes,
    });
    pod.timestamp = Math.max(pod.timestamp, s.timestamp);
    pod.cpuUsageCoreNanoSeconds += s.cpuUsageCoreNanoSeconds;
    pod.memoryWorkingSetBytes += s.memoryWorkingSetBytes;
  }
  return [...pods.values()];
}
