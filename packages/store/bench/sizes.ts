// How many operations each phase runs. The full sizes keep a run of both targets under six
// minutes on a 2-core machine (one member each; about ten with 3-member clusters, most of it
// failovers); --quick is a smoke run of the same phases.

export interface PhaseSizes {
  /** Unmeasured operations before each measured phase, on other keys. */
  warmupOperations: number;
  /** Measured puts, by concurrent clients. */
  putOperations: Record<number, number>;
  /** Keys written before the range phase; the gets cycle over them. */
  rangeKeys: number;
  rangeOperations: number;
  /** Puts under the watched prefix, so events the watcher must receive. */
  watchEvents: number;
  /** Upper bound on any one measured phase (a slow target reports fewer operations). */
  timeLimitMs: number;
  /** Leader kills per cluster in the failover phase (3-member runs only). */
  failoverKills: number;
}

export const FULL_SIZES: PhaseSizes = {
  warmupOperations: 2_000,
  putOperations: { 1: 3_000, 16: 15_000, 64: 30_000, 256: 30_000 },
  rangeKeys: 1_000,
  rangeOperations: 40_000,
  watchEvents: 30_000,
  timeLimitMs: 40_000,
  failoverKills: 20,
};

export const QUICK_SIZES: PhaseSizes = {
  warmupOperations: 200,
  putOperations: { 1: 300, 16: 1_000, 64: 2_000, 256: 2_000 },
  rangeKeys: 200,
  rangeOperations: 2_000,
  watchEvents: 2_000,
  timeLimitMs: 15_000,
  failoverKills: 3,
};
