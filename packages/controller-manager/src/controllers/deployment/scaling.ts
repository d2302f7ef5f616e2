// Proportional scaling: when a Deployment is resized in the middle of a rollout (or while
// paused), the change is spread over every active ReplicaSet in proportion to its size, so that
// neither the new nor the old pods gain ground just because the user scaled. The sizes the
// ReplicaSets had been given are remembered in their max-replicas annotation.
import { maxSurge } from './fenceposts.ts';
import { activeReplicaSets, bySizeNewer, bySizeOlder, proportion, specReplicas } from './replica-sets.ts';
import { replicasOf, type Deployment, type ReplicaSet } from './types.ts';

export interface ProportionalPlan {
  /** the active ReplicaSets in the order to write them, each with its new size */
  sizes: { rs: ReplicaSet; replicas: number }[];
  /** "up" or "down" for the events; "" when nothing is added or removed */
  operation: 'up' | 'down' | '';
}

/** The new size of every active ReplicaSet (the `scale` step of a rolling Deployment). */
export function planProportionalScaling(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ProportionalPlan {
  const active = activeReplicaSets([...oldRSs, newRS]);
  const current = specReplicas(active);
  const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - current;
  // Growing: the largest first, the newest among equals; shrinking: the largest first, the oldest among equals.
  let operation: ProportionalPlan['operation'] = '';
  if (toAdd > 0) {
    active.sort(bySizeNewer);
    operation = 'up';
  } else if (toAdd < 0) {
    active.sort(bySizeOlder);
    operation = 'down';
  }
  let added = 0;
  const sizes = active.map((rs) => {
    if (toAdd === 0) return { rs, replicas: replicasOf(rs) };
    const share = proportion(rs, d, toAdd, added);
    added += share;
    return { rs, replicas: replicasOf(rs) + share };
  });
  // Rounding leftovers go to the first (largest) ReplicaSet.
  if (toAdd !== 0 && sizes.length > 0) sizes[0]!.replicas = Math.max(sizes[0]!.replicas + toAdd - added, 0);
  return { sizes, operation };
}
