// How much each run does. The full sizes are the issue's: 10,000 pods on 1,000 and on 5,000
// hollow nodes, and a density run of 30 pods per node on 100 nodes. --quick is a smoke run of
// the same steps (it checks the script, not the figures).

export interface SchedulerBenchSizes {
  /** Hollow nodes of each throughput run; every run gets a fresh cluster. */
  throughputNodes: number[];
  /** Pods created in each throughput run, and in its anchor. */
  throughputPods: number;
  densityNodes: number;
  densityPodsPerNode: number;
  /**
   * Creations started per second in the density run; 0 creates them as fast as the apiserver
   * accepts them. A steady rate is what the pod-startup SLO is judged under: a burst of 3,000
   * pods measures the queue behind the burst instead.
   */
  densityPerSecond: number;
  /** Creates in flight at once. */
  createConcurrency: number;
  /** How long hollow nodes may take to be Ready before the run goes on with those that are. */
  nodesReadyTimeoutMs: number;
  /** How long the pods of one run may take to be bound (or Running) before it is cut short. */
  podsTimeoutMs: number;
}

export const FULL_SIZES: SchedulerBenchSizes = {
  throughputNodes: [1_000, 5_000],
  throughputPods: 10_000,
  densityNodes: 100,
  densityPodsPerNode: 30,
  densityPerSecond: 50,
  createConcurrency: 32,
  nodesReadyTimeoutMs: 600_000,
  podsTimeoutMs: 300_000,
};

export const QUICK_SIZES: SchedulerBenchSizes = {
  throughputNodes: [50],
  throughputPods: 500,
  densityNodes: 10,
  densityPodsPerNode: 10,
  densityPerSecond: 50,
  createConcurrency: 32,
  nodesReadyTimeoutMs: 120_000,
  podsTimeoutMs: 120_000,
};
