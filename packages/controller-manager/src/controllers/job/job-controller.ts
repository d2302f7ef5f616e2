// The Job controller: runs each Job's pods to completion (sync-job.ts does one Job). Keys are
// "namespace/name". A Job is queued at once when it is added or its spec changes; pod events
// queue their Job a second later, so a burst of pod updates costs one sync. A second queue
// strips the tracking finalizer from pods no unfinished Job will ever count — orphans, pods of
// deleted or finished Jobs — so they are not stuck in Terminating.
import { labelSelectorFromObject } from '@k8ts/api/selectors/index.ts';
import {
  isNotFound,
  type Clock,
  type DeletedFinalStateUnknown,
  type EventRecorder,
  type Lister,
  type Logger,
  type RateLimitingQueue,
  type ResourceClient,
  type SharedIndexInformer,
} from '@k8ts/client';
import type { Controller } from '../../controller/context.ts';
import { controllerRefOf, podKey } from '../../controller/controller-utils.ts';
import { ControllerExpectations } from '../../controller/expectations.ts';
import { PodControl } from '../../controller/pod-control.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';
import type { Pod } from '../../controller/workload-types.ts';
import { DependentOwners } from '../dependent-owners.ts';
import { objectKey } from '../object-key.ts';
import { objectOf } from '../tombstone.ts';
import type { BackoffRecord } from './backoff.ts';
import { isJobFinished } from './conditions.ts';
import { FinalizerExpectations } from './finalizer-expectations.ts';
import { hasTrackingFinalizer, removeTrackingFinalizerPatch } from './job-pods.ts';
import { JOB_KIND, type Job } from './job-types.ts';
import { JobSyncer, managedElsewhere, SYNC_JOB_BATCH_PERIOD_MS } from './sync-job.ts';

export const JOB_CONTROLLER = 'job-controller';

export interface JobControllerDeps {
  jobs: SharedIndexInformer<Job>;
  pods: SharedIndexInformer<Pod>;
  jobClient: ResourceClient<Job>;
  podClient: ResourceClient<Pod>;
  /** source component "job-controller" */
  recorder: EventRecorder;
  /** Job keys */
  queue: RateLimitingQueue<string>;
  /** pod keys whose tracking finalizer may have to go */
  orphanQueue: RateLimitingQueue<string>;
  /** --concurrent-job-syncs */
  workers: number;
  clock: Clock;
  logger: Logger;
}

export class JobController implements Controller {
  readonly expectations: ControllerExpectations;
  readonly finalizerExpectations = new FinalizerExpectations();
  private readonly backoffs = new Map<string, BackoffRecord>();
  private readonly jobs: Lister<Job>;
  private readonly pods: Lister<Pod>;
  private readonly podControl: PodControl;
  private readonly syncer: JobSyncer;
  private readonly owners: DependentOwners<Job>;

  constructor(private readonly deps: JobControllerDeps) {
    this.jobs = deps.jobs.lister();
    this.pods = deps.pods.lister();
    this.owners = new DependentOwners(this.jobs, JOB_KIND.kind);
    this.expectations = new ControllerExpectations(deps.clock, deps.logger);
    this.podControl = new PodControl({ pods: deps.podClient, recorder: deps.recorder, logger: deps.logger });
    this.syncer = new JobSyncer({
      jobs: this.jobs,
      pods: this.pods,
      jobClient: deps.jobClient,
      podControl: this.podControl,
      recorder: deps.recorder,
      queue: deps.queue,
      expectations: this.expectations,
      finalizerExpectations: this.finalizerExpectations,
      backoffs: this.backoffs,
      clock: deps.clock,
      logger: deps.logger,
    });
    deps.jobs.addEventHandler({
      onAdd: (job) => this.addJob(job),
      onUpdate: (old, cur) => this.updateJob(old, cur),
      onDelete: (obj) => this.deleteJob(objectOf(obj)),
    });
    deps.pods.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (obj) => this.deletePod(obj, true),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { jobs, pods, queue, orphanQueue, workers, clock, logger } = this.deps;
    logger.info(`Starting controller ${JOB_CONTROLLER}`);
    const synced = [() => jobs.hasSynced(), () => pods.hasSynced()];
    if (!(await waitForNamedCacheSync('job', synced, signal, logger, clock))) return;
    await Promise.all([
      runWorkers({ controller: JOB_CONTROLLER, queue, workers, sync: (key) => this.syncJob(key), logger }, signal),
      runWorkers({ controller: JOB_CONTROLLER, queue: orphanQueue, workers: 1, sync: (key) => this.syncOrphanPod(key), logger }, signal),
    ]);
  }

  /** Brings one Job's pods and status in line with its spec. */
  syncJob(key: string): Promise<void> {
    return this.syncer.syncJob(key);
  }

  /**
   * Removes the tracking finalizer from a pod that no unfinished Job of ours owns any more;
   * a pod owned by something else, or by a Job another controller manages, is left alone.
   */
  async syncOrphanPod(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const pod = this.pods.get(namespace, name);
    if (!pod) return;
    const ref = controllerRefOf(pod);
    if (ref) {
      if (ref.kind !== JOB_KIND.kind || ref.apiVersion !== 'batch/v1') return;
      const job = this.owners.controllerOf(pod);
      if (job && managedElsewhere(job)) return;
      // Adopted meanwhile: its Job will count it.
      if (job && !isJobFinished(job)) return;
    }
    const patch = removeTrackingFinalizerPatch(pod);
    if (!patch) return;
    try {
      await this.podControl.patchPod(namespace, name, patch);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private enqueue(job: Job, delayMs: number): void {
    const key = objectKey(job);
    if (delayMs <= 0) this.deps.queue.add(key);
    else this.deps.queue.addAfter(key, delayMs);
  }

  private addJob(job: Job): void {
    if (managedElsewhere(job)) return;
    this.enqueue(job, 0);
    if (isJobFinished(job)) this.cleanupPodFinalizers(job);
  }

  private updateJob(old: Job, cur: Job): void {
    if (managedElsewhere(cur)) return;
    if (old.metadata.uid !== cur.metadata.uid) {
      // Deleted and recreated under the same name between two events.
      this.deleteJob(old);
    }
    // Status-only changes (most often our own writes) wait for the batch; spec changes go now.
    this.enqueue(cur, old.metadata.generation === cur.metadata.generation ? SYNC_JOB_BATCH_PERIOD_MS : 0);
    // A backstop: pods of a finished Job must not keep their finalizers.
    if (isJobFinished(cur)) this.cleanupPodFinalizers(cur);
    const deadline = cur.spec?.activeDeadlineSeconds;
    const startTime = cur.status?.startTime;
    if (!startTime || deadline === undefined || deadline === null || old.spec?.activeDeadlineSeconds === deadline) return;
    // The deadline changed: look again when the new one passes.
    const left = deadline * 1000 - (this.deps.clock.now() - Date.parse(startTime));
    this.deps.queue.addAfter(objectKey(cur), Math.max(0, left));
  }

  private deleteJob(job: Job): void {
    const key = objectKey(job);
    this.expectations.deleteExpectations(key);
    this.deps.queue.add(key);
    this.cleanupPodFinalizers(job);
  }

  /** Queues every pod of the Job that still has the tracking finalizer for its removal. */
  private cleanupPodFinalizers(job: Job): void {
    let selector;
    try {
      selector = labelSelectorFromObject(job.spec?.selector);
    } catch {
      return;
    }
    for (const pod of this.pods.byNamespace(job.metadata.namespace ?? '').list(selector)) {
      if (hasTrackingFinalizer(pod)) this.deps.orphanQueue.add(podKey(pod));
    }
  }

  private addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      // Seen for the first time already being deleted (e.g. after a relist).
      this.deletePod(pod, false);
      return;
    }
    const { controller, adopters } = this.owners.ofAdded(pod);
    if (controller) {
      this.expectations.creationObserved(objectKey(controller));
      this.enqueue(controller, SYNC_JOB_BATCH_PERIOD_MS);
      return;
    }
    // An orphan: unless some Job adopts it, its finalizer has to go.
    if (!controllerRefOf(pod) && hasTrackingFinalizer(pod)) this.deps.orphanQueue.add(podKey(pod));
    for (const job of adopters) this.enqueue(job, SYNC_JOB_BATCH_PERIOD_MS);
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp) {
      // Graceful deletion started: act now rather than after the grace period.
      this.deletePod(cur, false);
      return;
    }
    // Judged on the new pod only: the finalizer may have come and gone between two events.
    const finalizerRemoved = !hasTrackingFinalizer(cur);
    const { previous, controller, adopters } = this.owners.ofUpdated(old, cur);
    for (const job of [previous, controller]) {
      if (!job) continue;
      if (finalizerRemoved) this.finalizerExpectations.removalObserved(objectKey(job), cur.metadata.uid ?? '');
      this.enqueue(job, SYNC_JOB_BATCH_PERIOD_MS);
    }
    for (const job of adopters) this.enqueue(job, SYNC_JOB_BATCH_PERIOD_MS);
  }

  /** `final`: the pod is gone from the API (not just marked for deletion). */
  private deletePod(obj: Pod | DeletedFinalStateUnknown<Pod>, final: boolean): void {
    const pod = objectOf(obj);
    const withFinalizer = hasTrackingFinalizer(pod);
    const job = this.owners.controllerOf(pod);
    if (!job || isJobFinished(job)) {
      // No sync will remove this finalizer.
      if (withFinalizer) this.deps.orphanQueue.add(podKey(pod));
      return;
    }
    const key = objectKey(job);
    this.expectations.deletionObserved(key);
    if (final || !withFinalizer) this.finalizerExpectations.removalObserved(key, pod.metadata.uid ?? '');
    this.enqueue(job, SYNC_JOB_BATCH_PERIOD_MS);
  }
}
