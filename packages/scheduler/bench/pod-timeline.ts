// What the bench saw of each pod it created, on its own monotonic clock (performance.now()):
// when the create was sent and answered, and when a watch event first showed the pod bound
// (spec.nodeName set) and Running with Ready=True. Pure: times are passed in.
import { summarize, type LatencySummary } from '../../store/bench/latency.ts';

/** The parts of a pod this reads. */
export interface ObservedPod {
  metadata?: { name?: string };
  spec?: { nodeName?: string };
  status?: { phase?: string; conditions?: { type?: string; status?: string }[] };
}

export interface PodMilestones {
  sentMs: number;
  acknowledgedMs?: number;
  boundMs?: number;
  runningMs?: number;
}

export interface TimelineSummary {
  sent: number;
  /** creates the apiserver answered 201 */
  created: number;
  bound: number;
  running: number;
  /** creates answered per second, from the first sent to the last answered */
  createdPerSecond: number;
  /** pods seen bound per second, from the first create sent to the last pod seen bound */
  boundPerSecond: number;
  /** create sent → first watch event with spec.nodeName */
  toBound: LatencySummary;
  /** create sent → first watch event with phase Running and Ready=True */
  toRunning: LatencySummary;
}

export function isRunningAndReady(pod: ObservedPod): boolean {
  return pod.status?.phase === 'Running' && (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export class PodTimeline {
  private readonly pods = new Map<string, PodMilestones>();
  private boundCount = 0;
  private runningCount = 0;

  sent(name: string, atMs: number): void {
    this.pods.set(name, { sentMs: atMs });
  }

  acknowledged(name: string, atMs: number): void {
    const pod = this.pods.get(name);
    if (pod) pod.acknowledgedMs = atMs;
  }

  /** A create that failed: the pod is not counted at all. */
  failed(name: string): void {
    const pod = this.pods.get(name);
    if (!pod) return;
    if (pod.boundMs !== undefined) this.boundCount--;
    if (pod.runningMs !== undefined) this.runningCount--;
    this.pods.delete(name);
  }

  /** A watch event's object; pods this run did not create are ignored. */
  observe(pod: ObservedPod, atMs: number): void {
    const milestones = this.pods.get(pod.metadata?.name ?? '');
    if (!milestones) return;
    if (milestones.boundMs === undefined && pod.spec?.nodeName) {
      milestones.boundMs = atMs;
      this.boundCount++;
    }
    if (milestones.runningMs === undefined && isRunningAndReady(pod)) {
      milestones.runningMs = atMs;
      this.runningCount++;
    }
  }

  /** Up to `limit` pods whose create was answered but that were never seen bound (or Running), for a failure report. */
  stragglers(milestone: 'bound' | 'running', limit: number): string[] {
    const names: string[] = [];
    for (const [name, pod] of this.pods) {
      if (names.length >= limit) break;
      const reached = milestone === 'bound' ? pod.boundMs : pod.runningMs;
      if (pod.acknowledgedMs !== undefined && reached === undefined) names.push(name);
    }
    return names;
  }

  get bound(): number {
    return this.boundCount;
  }

  get running(): number {
    return this.runningCount;
  }

  summary(): TimelineSummary {
    const all = [...this.pods.values()];
    const firstSent = Math.min(...all.map((p) => p.sentMs));
    const acknowledged = all.filter((p) => p.acknowledgedMs !== undefined);
    const bound = all.filter((p) => p.boundMs !== undefined);
    const running = all.filter((p) => p.runningMs !== undefined);
    const rate = (n: number, lastMs: number) => (n > 0 && lastMs > firstSent ? (n * 1000) / (lastMs - firstSent) : 0);
    return {
      sent: all.length,
      created: acknowledged.length,
      bound: bound.length,
      running: running.length,
      createdPerSecond: rate(acknowledged.length, Math.max(...acknowledged.map((p) => p.acknowledgedMs!))),
      boundPerSecond: rate(bound.length, Math.max(...bound.map((p) => p.boundMs!))),
      toBound: summarize(Float64Array.from(bound, (p) => p.boundMs! - p.sentMs)),
      toRunning: summarize(Float64Array.from(running, (p) => p.runningMs! - p.sentMs)),
    };
  }
}
