// How much each phase does. The full sizes are the (10,000 pods, 1,000 watchers) and
// keep a run of both backends near ten minutes on a 2-core machine; --quick is a smoke run
// of the same phases.

export interface BenchSizes {
  /** The pods are spread evenly over this many namespaces. */
  namespaces: number;
  /** Pods created in all; the get and list phases read them. */
  pods: number;
  /** The first creates run unmeasured (connections, JIT and caches warm up). */
  warmupCreates: number;
  gets: number;
  warmupGets: number;
  /** Measured lists of each kind, after one unmeasured list whose item count is checked. */
  listRepeats: number;
  watchers: number;
  /** Writes whose delivery to every watcher is timed, after the unmeasured warm-up writes. */
  watchEvents: number;
  warmupWatchEvents: number;
  /** Upper bound on any one measured phase (a slow target reports fewer operations). */
  timeLimitMs: number;
}

export const FULL_SIZES: BenchSizes = {
  namespaces: 10,
  pods: 10_000,
  warmupCreates: 1_000,
  gets: 20_000,
  warmupGets: 2_000,
  listRepeats: 10,
  watchers: 1_000,
  watchEvents: 200,
  warmupWatchEvents: 20,
  timeLimitMs: 90_000,
};

export const QUICK_SIZES: BenchSizes = {
  namespaces: 3,
  pods: 300,
  warmupCreates: 60,
  gets: 600,
  warmupGets: 100,
  listRepeats: 3,
  watchers: 50,
  watchEvents: 20,
  warmupWatchEvents: 5,
  timeLimitMs: 20_000,
};
