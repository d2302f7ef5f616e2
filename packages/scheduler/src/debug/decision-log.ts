// The last scheduling decisions, one per pod (the most recent attempt), for the debug endpoint
// GET /debug/scheduler/explain?namespace=NS&pod=NAME: which nodes each filter rejected and why,
// each feasible node's score per plugin, the chosen node, or the FitError message and what
// preemption did. Explanations stay in the framework's compact form until someone asks.
import type { Explanation } from '../framework/types.ts';

export const DEFAULT_DECISIONS_KEPT = 200;

export interface Decision {
  namespace: string;
  pod: string;
  uid: string;
  /** RFC 3339 time of the attempt */
  time: string;
  /** the pod's scheduling attempts so far, this one included */
  attempt: number;
  result: 'scheduled' | 'unschedulable' | 'error';
  /** the chosen node */
  node?: string;
  /** the FailedScheduling message (FitError or error) */
  message?: string;
  evaluatedNodes?: number;
  feasibleNodes?: number;
  preemption?: { nominatedNodeName: string; victims: string[] };
  explanation?: Explanation;
}

export class DecisionLog {
  /** namespace/name → decision; Map order is recency, oldest first */
  private readonly decisions = new Map<string, Decision>();

  constructor(private readonly capacity = DEFAULT_DECISIONS_KEPT) {}

  record(decision: Decision): void {
    const key = `${decision.namespace}/${decision.pod}`;
    this.decisions.delete(key);
    this.decisions.set(key, decision);
    if (this.decisions.size > this.capacity) this.decisions.delete(this.decisions.keys().next().value!);
  }

  get(namespace: string, pod: string): Decision | undefined {
    return this.decisions.get(`${namespace}/${pod}`);
  }

  /** namespace/name of every decision kept, most recent last. */
  keys(): string[] {
    return [...this.decisions.keys()];
  }
}
