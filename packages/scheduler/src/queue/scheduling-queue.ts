// The scheduling queue (kube-scheduler's PriorityQueue). A pending pod is in exactly one of:
//   activeQ          a heap in scheduling order (PrioritySort: priority, then time queued);
//                    the scheduler pops from here.
//   backoffQ         pods that failed recently, waiting out their backoff (1 s doubling per
//                    attempt up to 10 s) before they go back to activeQ.
//   unschedulablePods pods no node fits now; they leave when a cluster event may make them fit
//                    (a node added, a pod deleted …, see cluster-events.ts), or after 5 minutes
//                    regardless. Pods with spec.schedulingGates wait here too ("gated") until an
//                    update removes the gates.
// Plain data with an injected clock: the scheduler calls flushBackoffQCompleted every second
// and flushUnschedulablePodsLeftover every 30 s, as kube-scheduler's queue goroutines do.
import type { KubeObject } from '@k8ts/api';
import { KeyedHeap } from './heap.ts';
import { eventMayHelp, PLUGIN_EVENTS, UNSCHEDULABLE_TIMEOUT, type ClusterEvent } from './cluster-events.ts';

export const DEFAULT_POD_INITIAL_BACKOFF_MS = 1_000;
export const DEFAULT_POD_MAX_BACKOFF_MS = 10_000;
export const DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION_MS = 5 * 60_000;

/** The plugin name kube-scheduler reports for gated pods. */
export const SCHEDULING_GATES_PLUGIN = 'SchedulingGates';

export interface QueuedPodInfo<P extends KubeObject = KubeObject> {
  /** the latest version of the pod seen */
  pod: P;
  /** namespace/name */
  key: string;
  /** when the pod last entered a queue: the heap's tie-breaker and the start of its backoff */
  timestamp: number;
  /** when the pod was first popped, for the scheduling latency (SLI) */
  initialAttemptTimestamp: number | undefined;
  /** scheduling attempts so far */
  attempts: number;
  /** the plugins that rejected the pod in its last attempt */
  unschedulablePlugins: Set<string>;
  /** waiting for spec.schedulingGates to be removed */
  gated: boolean;
}

export interface SchedulingQueueOptions<P extends KubeObject> {
  now: () => number;
  /** activeQ order: true when `a` is to be scheduled before `b` */
  less: (a: QueuedPodInfo<P>, b: QueuedPodInfo<P>) => boolean;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  podMaxInUnschedulablePodsDurationMs?: number;
}

export interface PendingPods {
  active: number;
  backoff: number;
  unschedulable: number;
  gated: number;
}

export function podKey(pod: KubeObject): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

function isGated(pod: KubeObject): boolean {
  const gates = (pod.spec as { schedulingGates?: unknown[] } | undefined)?.schedulingGates;
  return Array.isArray(gates) && gates.length > 0;
}

/**
 * Whether an update of a pending pod may change the scheduling verdict (isPodUpdated): anything
 * but its status and bookkeeping metadata changed.
 */
function isPodUpdated(oldPod: KubeObject, newPod: KubeObject): boolean {
  const strip = (pod: KubeObject): string => {
    const { resourceVersion: _rv, generation: _gen, managedFields: _mf, ...metadata } = pod.metadata ?? {};
    return JSON.stringify({ metadata, spec: pod.spec });
  };
  return strip(oldPod) !== strip(newPod);
}

export class SchedulingQueue<P extends KubeObject = KubeObject> {
  private readonly activeQ: KeyedHeap<QueuedPodInfo<P>>;
  private readonly backoffQ: KeyedHeap<QueuedPodInfo<P>>;
  private readonly unschedulablePods = new Map<string, QueuedPodInfo<P>>();
  /** node name of each pod nominated to a node by preemption */
  private readonly nominatedNodes = new Map<string, string>();
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxInUnschedulableMs: number;
  private cycle = 0;
  /** the scheduling cycle during which pods were last moved; a pod failing in that cycle retries sooner */
  private moveRequestCycle = -1;
  private waiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: SchedulingQueueOptions<P>) {
    this.initialBackoffMs = options.podInitialBackoffMs ?? DEFAULT_POD_INITIAL_BACKOFF_MS;
    this.maxBackoffMs = options.podMaxBackoffMs ?? DEFAULT_POD_MAX_BACKOFF_MS;
    this.maxInUnschedulableMs = options.podMaxInUnschedulablePodsDurationMs ?? DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION_MS;
    this.activeQ = new KeyedHeap((info) => info.key, options.less);
    this.backoffQ = new KeyedHeap(
      (info) => info.key,
      (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b),
    );
  }

  /** The number of pods popped so far; a failure is judged against the cycle it was popped in. */
  schedulingCycle(): number {
    return this.cycle;
  }

  /** A new pending pod (informer add). */
  add(pod: P): void {
    const key = podKey(pod);
    this.backoffQ.delete(key);
    this.unschedulablePods.delete(key);
    const info = this.newInfo(pod);
    this.updateNomination(pod);
    if (info.gated) {
      info.unschedulablePlugins.add(SCHEDULING_GATES_PLUGIN);
      this.unschedulablePods.set(key, info);
      return;
    }
    this.pushActive(info);
  }

  /** A pending pod changed (informer update). */
  update(oldPod: P, newPod: P): void {
    const key = podKey(newPod);
    this.updateNomination(newPod);
    const active = this.activeQ.get(key);
    if (active) {
      this.activeQ.addOrUpdate({ ...active, pod: newPod });
      return;
    }
    const backingOff = this.backoffQ.get(key);
    if (backingOff) {
      this.backoffQ.addOrUpdate({ ...backingOff, pod: newPod });
      return;
    }
    const unschedulable = this.unschedulablePods.get(key);
    if (unschedulable) {
      const updated: QueuedPodInfo<P> = { ...unschedulable, pod: newPod, gated: isGated(newPod) };
      if (!isPodUpdated(oldPod, newPod) || updated.gated) {
        this.unschedulablePods.set(key, updated);
        return;
      }
      if (unschedulable.gated) updated.unschedulablePlugins = new Set();
      this.unschedulablePods.delete(key);
      if (this.isBackingOff(updated)) this.backoffQ.addOrUpdate(updated);
      else this.pushActive(updated);
      return;
    }
    // Not queued (being scheduled right now, or missed): treat it as new.
    this.add(newPod);
  }

  /** A pending pod was deleted, or got bound. */
  delete(pod: KubeObject): void {
    const key = podKey(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulablePods.delete(key);
    this.nominatedNodes.delete(key);
  }

  /** The next pod to schedule, if one is waiting; counts a scheduling attempt. */
  pop(): QueuedPodInfo<P> | undefined {
    const info = this.activeQ.pop();
    if (!info) return undefined;
    this.cycle++;
    info.attempts++;
    info.initialAttemptTimestamp ??= this.options.now();
    return info;
  }

  /** Waits for a pod to schedule (Pop); undefined once the queue is closed or `signal` aborts. */
  async next(signal: AbortSignal): Promise<QueuedPodInfo<P> | undefined> {
    for (;;) {
      if (this.closed || signal.aborted) return undefined;
      const info = this.pop();
      if (info) return info;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          signal.removeEventListener('abort', wake);
          this.waiters = this.waiters.filter((w) => w !== wake);
          resolve();
        };
        this.waiters.push(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  /** Wakes every waiting `next` for good. */
  close(): void {
    this.closed = true;
    this.wakeAll();
  }

  /**
   * A popped pod that could not be scheduled goes back (AddUnschedulableIfNotPresent): to the
   * unschedulable pool, or to backoffQ when the attempt failed with an error (no plugin
   * rejected it) or when cluster events since it was popped may already have changed the verdict.
   */
  addUnschedulableIfNotPresent(info: QueuedPodInfo<P>, podSchedulingCycle: number): void {
    const key = info.key;
    if (this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulablePods.has(key)) return;
    info.timestamp = this.options.now();
    this.updateNomination(info.pod);
    if (info.unschedulablePlugins.size === 0 || this.moveRequestCycle >= podSchedulingCycle) {
      this.backoffQ.addOrUpdate(info);
      return;
    }
    this.unschedulablePods.set(key, info);
  }

  /** Moves the pods whose backoff is over to activeQ (every second). */
  flushBackoffQCompleted(): void {
    const now = this.options.now();
    for (let head = this.backoffQ.peek(); head && this.backoffExpiry(head) <= now; head = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.pushActive(head);
    }
  }

  /** Moves the pods unschedulable for longer than the limit (every 30 s). */
  flushUnschedulablePodsLeftover(): void {
    const now = this.options.now();
    const stale = [...this.unschedulablePods.values()].filter((info) => !info.gated && now - info.timestamp > this.maxInUnschedulableMs);
    this.movePods(stale, UNSCHEDULABLE_TIMEOUT);
  }

  /**
   * A cluster event happened: every unschedulable pod it may help goes back to activeQ (or to
   * backoffQ while its backoff lasts). `mayHelp` narrows it further (e.g. to pods whose affinity
   * names the added pod). Returns how many pods moved.
   */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, mayHelp?: (pod: P) => boolean): number {
    const candidates = [...this.unschedulablePods.values()].filter((info) => !info.gated && (mayHelp === undefined || mayHelp(info.pod)));
    return this.movePods(candidates, event);
  }

  /** Records where a pod was nominated to run after preemption (status.nominatedNodeName). */
  addNominatedPod(pod: KubeObject, nodeName: string): void {
    this.nominatedNodes.set(podKey(pod), nodeName);
  }

  deleteNominatedPodIfExists(pod: KubeObject): void {
    this.nominatedNodes.delete(podKey(pod));
  }

  /** namespace/name of the pods nominated to run on `nodeName`. */
  nominatedPodsForNode(nodeName: string): string[] {
    return [...this.nominatedNodes].filter(([, node]) => node === nodeName).map(([key]) => key);
  }

  pendingPods(): PendingPods {
    let gated = 0;
    for (const info of this.unschedulablePods.values()) if (info.gated) gated++;
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulablePods.size - gated, gated };
  }

  /** Where a pod is queued now (for tests and the debug endpoint). */
  whereIs(pod: KubeObject): 'active' | 'backoff' | 'unschedulable' | 'gated' | undefined {
    const key = podKey(pod);
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    const unschedulable = this.unschedulablePods.get(key);
    if (unschedulable) return unschedulable.gated ? 'gated' : 'unschedulable';
    return undefined;
  }

  /** backoff = initial × 2^(attempts−1), at most the maximum; it runs from the pod's timestamp. */
  backoffDurationMs(attempts: number): number {
    let duration = this.initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      duration *= 2;
      if (duration >= this.maxBackoffMs) return this.maxBackoffMs;
    }
    return Math.min(duration, this.maxBackoffMs);
  }

  private movePods(infos: QueuedPodInfo<P>[], event: ClusterEvent): number {
    let moved = 0;
    for (const info of infos) {
      if (!eventMayHelp(event, info.unschedulablePlugins, PLUGIN_EVENTS)) continue;
      this.unschedulablePods.delete(info.key);
      if (this.isBackingOff(info)) this.backoffQ.addOrUpdate(info);
      else this.pushActive(info);
      moved++;
    }
    this.moveRequestCycle = this.cycle;
    return moved;
  }

  private backoffExpiry(info: QueuedPodInfo<P>): number {
    return info.timestamp + this.backoffDurationMs(info.attempts);
  }

  private isBackingOff(info: QueuedPodInfo<P>): boolean {
    return info.attempts > 0 && this.backoffExpiry(info) > this.options.now();
  }

  private newInfo(pod: P): QueuedPodInfo<P> {
    return { pod, key: podKey(pod), timestamp: this.options.now(), initialAttemptTimestamp: undefined, attempts: 0, unschedulablePlugins: new Set(), gated: isGated(pod) };
  }

  private pushActive(info: QueuedPodInfo<P>): void {
    this.activeQ.addOrUpdate(info);
    this.wakeAll();
  }

  private updateNomination(pod: KubeObject): void {
    const nominated = (pod.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName;
    if (nominated) this.nominatedNodes.set(podKey(pod), nominated);
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
