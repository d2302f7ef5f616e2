// framework.FitError: the pod fitted no node. Its message is the FailedScheduling event text and
// the PodScheduled condition message, so it follows kube-scheduler's wording exactly:
// "0/3 nodes are available: 1 node(s) had untolerated taint {…}, 2 Insufficient cpu. preemption: …".
import type { Diagnosis, Pod } from './types.ts';

/** schedulePod's error when the snapshot has no nodes at all (ErrNoNodesAvailable). */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export class FitError {
  constructor(
    readonly pod: Pod,
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {}

  /**
   * "0/N nodes are available:" then the PreFilter message, or else a histogram of the filter
   * reasons ("<count> <reason>", sorted as strings), each followed by "."; then the PostFilter
   * (preemption) message.
   */
  message(): string {
    if (this.numAllNodes === 0) return NO_NODES_AVAILABLE;
    let text = `0/${this.numAllNodes} nodes are available:`;
    const { preFilterMsg, postFilterMsg } = this.diagnosis;
    if (preFilterMsg) {
      // Every node carries the PreFilter status then; counting it per node would repeat it.
      text += ` ${preFilterMsg}.`;
    } else {
      const histogram = reasonHistogram(this.diagnosis, this.numAllNodes);
      if (histogram.length > 0) text += ` ${histogram.join(', ')}.`;
    }
    // The PostFilter message carries its own final period (it is itself a FitError message).
    if (postFilterMsg) text += ` ${postFilterMsg}`;
    return text;
  }
}

/** "<count> <reason>" for every reason any node was rejected with, sorted as Go's sort.Strings. */
export function reasonHistogram(diagnosis: Pick<Diagnosis, 'nodeToStatus' | 'absentNodesStatus'>, numAllNodes: number): string[] {
  const counts = new Map<string, number>();
  for (const status of diagnosis.nodeToStatus.values()) {
    for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const absent = numAllNodes - diagnosis.nodeToStatus.size;
  if (absent > 0 && diagnosis.absentNodesStatus) {
    for (const reason of diagnosis.absentNodesStatus.reasons) counts.set(reason, (counts.get(reason) ?? 0) + absent);
  }
  return [...counts].map(([reason, count]) => `${count} ${reason}`).sort(compareBytes);
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
