// kube-scheduler's metrics (pkg/scheduler/metrics), with their names, labels, help texts and
// buckets, registered on the controller manager's Prometheus registry and served on /metrics.
import { CounterVec, exponentialBuckets, GaugeVec, HistogramVec, type MetricsRegistry } from '@k8ts/controller-manager/metrics/registry.ts';
import type { PendingPods } from '../queue/scheduling-queue.ts';

export type AttemptResult = 'scheduled' | 'unschedulable' | 'error';

export class SchedulerMetrics {
  readonly scheduleAttempts: CounterVec;
  readonly attemptDuration: HistogramVec;
  readonly pendingPods: GaugeVec;
  readonly preemptionAttempts: CounterVec;
  readonly preemptionVictims: HistogramVec;
  readonly podSchedulingSli: HistogramVec;

  constructor(
    registry: MetricsRegistry,
    /** read when /metrics is scraped */
    pending: () => PendingPods,
  ) {
    this.scheduleAttempts = registry.register(
      new CounterVec({
        name: 'scheduler_schedule_attempts_total',
        help: "Number of attempts to schedule pods, by the result. 'unschedulable' means a pod could not be scheduled, while 'error' means an internal scheduler problem.",
        stability: 'STABLE',
        labelNames: ['profile', 'result'],
      }),
    );
    this.attemptDuration = registry.register(
      new HistogramVec(
        {
          name: 'scheduler_scheduling_attempt_duration_seconds',
          help: 'Scheduling attempt latency in seconds (scheduling algorithm + binding)',
          stability: 'STABLE',
          labelNames: ['profile', 'result'],
        },
        exponentialBuckets(0.001, 2, 15),
      ),
    );
    this.pendingPods = registry.register(
      new GaugeVec({
        name: 'scheduler_pending_pods',
        help: "Number of pending pods, by the queue type. 'active' means number of pods in activeQ; 'backoff' means number of pods in backoffQ; 'unschedulable' means number of pods in unschedulablePods that the scheduler attempted to schedule and failed; 'gated' is the number of unschedulable pods that the scheduler never attempted to schedule because they are gated.",
        stability: 'STABLE',
        labelNames: ['queue'],
      }),
    );
    this.preemptionAttempts = registry.register(
      new CounterVec({ name: 'scheduler_preemption_attempts_total', help: 'Total preemption attempts in the cluster till now', stability: 'STABLE', labelNames: [] }),
    );
    this.preemptionVictims = registry.register(
      new HistogramVec({ name: 'scheduler_preemption_victims', help: 'Number of selected preemption victims', stability: 'STABLE', labelNames: [] }, exponentialBuckets(1, 2, 7)),
    );
    this.podSchedulingSli = registry.register(
      new HistogramVec(
        {
          name: 'scheduler_pod_scheduling_sli_duration_seconds',
          help: 'E2e latency for a pod being scheduled, from the time the pod enters the scheduling queue and might involve multiple scheduling attempts.',
          stability: 'BETA',
          labelNames: ['attempts'],
        },
        exponentialBuckets(0.01, 2, 20),
      ),
    );
    registry.onCollect(() => {
      const counts = pending();
      for (const queue of ['active', 'backoff', 'unschedulable', 'gated'] as const) this.pendingPods.set({ queue }, counts[queue]);
    });
  }

  attempt(profile: string, result: AttemptResult, seconds: number): void {
    this.scheduleAttempts.inc({ profile, result });
    this.attemptDuration.observe({ profile, result }, seconds);
  }
}
