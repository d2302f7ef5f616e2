// When a churn object counts as done, judged from what the apiserver returns, as a user's
// `kubectl rollout status` / `kubectl wait --for=condition=complete` would: a Deployment rolled
// out and available, a StatefulSet with every replica ready, a Job Complete; for the anchor, a
// pod Running and Ready or Succeeded.
import type { KubeObject } from '@k8ts/api';

interface Condition {
  type: string;
  status: string;
}

interface Workload extends KubeObject {
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
    conditions?: Condition[];
    phase?: string;
  };
}

const wanted = (o: Workload) => o.spec?.replicas ?? 1;
const observed = (o: Workload) => (o.status?.observedGeneration ?? 0) >= (o.metadata.generation ?? 0);

export function deploymentDone(d: Workload): boolean {
  const s = d.status ?? {};
  return observed(d) && s.updatedReplicas === wanted(d) && s.availableReplicas === wanted(d) && s.replicas === wanted(d);
}

export function statefulSetDone(s: Workload): boolean {
  return observed(s) && s.status?.readyReplicas === wanted(s) && s.status?.replicas === wanted(s);
}

export function jobDone(j: Workload): boolean {
  return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ?? false;
}

export function anchorPodDone(p: Workload): boolean {
  if (p.status?.phase === 'Succeeded') return true;
  return p.status?.phase === 'Running' && (p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);
}

/**
 * The first time each of `expected` objects was seen done, by name: fed with successive lists,
 * it keeps when the count of done objects last rose (the time to all done, once complete).
 */
export class DoneTracker {
  private readonly doneAt = new Map<string, number>();

  constructor(
    readonly expected: number,
    private readonly isDone: (o: Workload) => boolean,
  ) {}

  observe(items: readonly KubeObject[], atMs: number): void {
    for (const item of items) {
      const name = item.metadata.name!;
      if (!this.doneAt.has(name) && this.isDone(item as Workload)) this.doneAt.set(name, atMs);
    }
  }

  get done(): number {
    return this.doneAt.size;
  }

  get complete(): boolean {
    return this.doneAt.size >= this.expected;
  }

  /** when the last object got done, if all are */
  get finishedAtMs(): number | undefined {
    return this.complete ? Math.max(...this.doneAt.values()) : undefined;
  }
}
