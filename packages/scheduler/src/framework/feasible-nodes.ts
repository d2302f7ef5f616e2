// How many feasible nodes the scheduler looks for before it stops filtering, and how it picks
// among the best-scored ones — the two rules that keep scheduling fast on big clusters.

/** Below this many nodes every node is filtered; above it, at least this many feasible ones are sought. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** The adaptive percentage never drops below this. */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * numFeasibleNodesToFind: with percentageOfNodesToScore 0 (the default) the percentage adapts,
 * 50% at 100 nodes falling by 1% per 125 nodes to a floor of 5%; never fewer than 100 nodes.
 * Integer arithmetic, as Go's int32 does it.
 */
export function numFeasibleNodesToFind(percentageOfNodesToScore: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage === 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const numNodes = Math.trunc((numAllNodes * percentage) / 100);
  return numNodes < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : numNodes;
}

/**
 * selectHost: the index of a highest total score; ties are broken uniformly at random by
 * reservoir sampling (the k-th tie replaces the choice with probability 1/k), so equally good
 * nodes share the load.
 */
export function selectHostIndex(totals: readonly number[], random: () => number): number {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < totals.length; i++) {
    if (totals[i] > totals[best]) {
      best = i;
      ties = 1;
    } else if (totals[i] === totals[best]) {
      ties++;
      if (Math.floor(random() * ties) === 0) best = i;
    }
  }
  return best;
}
