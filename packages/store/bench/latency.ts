// Latency percentiles over every measured operation (no sampling, no histogram buckets).

export interface LatencySummary {
  p50Ms: number;
  p99Ms: number;
}

/** Nearest-rank percentiles of `latenciesMs`; sorts the array in place. */
export function summarize(latenciesMs: Float64Array): LatencySummary {
  latenciesMs.sort();
  return { p50Ms: percentile(latenciesMs, 0.5), p99Ms: percentile(latenciesMs, 0.99) };
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.max(0, rank - 1)];
}
