// One Job's reconcile (kube-controller-manager's syncJob), level-based from the listers:
//  1. claim the Job's pods (adopting orphans that match its selector, with the tracking
//     finalizer) and count the newly finished ones;
//  2. decide whether the Job is done: already marked (SuccessCriteriaMet / FailureTarget), a
//     podFailurePolicy FailJob rule, more failures than backoffLimit, or past
//     activeDeadlineSeconds — then its running pods are deleted;
//  3. otherwise manage it: delete surplus pods (or all of them while suspended), or create the
//     missing ones — after the failure back-off, in slow-start batches, for Indexed Jobs the
//     lowest pending indexes (with backoffLimitPerIndex, per-index back-off: per-index.ts) —
//     and note Suspended/Resumed;
//  4. write status (status-tracker.ts).
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import { labelSelectorFromObject, type LabelSelector } from '@k8ts/api/selectors/index.ts';
import { errorMessage, isNotFound, type Clock, type EventRecorder, type Lister, type Logger, type RateLimitingQueue, type ResourceClient } from '@k8ts/client';
import { podControllerRefManager, recheckDeletionTimestamp } from '../../controller/controller-ref-manager.ts';
import { filterActivePods, isPodReady, slowStartBatch, timeOf } from '../../controller/controller-utils.ts';
import type { ControllerExpectations } from '../../controller/expectations.ts';
import { newControllerRef, type PodControl } from '../../controller/pod-control.ts';
import type { Pod, PodTemplateSpec } from '../../controller/workload-types.ts';
import { hasStatusCause, NAMESPACE_TERMINATING_CAUSE } from '../namespaces.ts';
import { nextBackoffRecord, NO_FAILURES, remainingBackoff, type BackoffRecord } from './backoff.ts';
import {
  ensureConditionStatus,
  failureTarget,
  findCondition,
  isJobFinished,
  successCriteriaMet,
  terminalConditionFor,
} from './conditions.ts';
import type { FinalizerExpectations } from './finalizer-expectations.ts';
import { firstPendingIndexes, indexesOf, mergeIntervals, podGenerateNameWithIndex, totalIndexes, withIndexes, type Interval } from './indexes.ts';
import {
  activePodsForRemoval,
  countReady,
  countTerminating,
  hasTrackingFinalizer,
  indexedPodTemplate,
  isPodTerminating,
  jobPodTemplate,
  pastBackoffLimitOnFailure,
  removeTrackingFinalizerPatch,
} from './job-pods.ts';
import {
  hasBackoffLimitPerIndex,
  isIndexedJob,
  isJobSuspended,
  JOB_CONTROLLER_MANAGED_BY,
  JOB_FAILURE_TARGET,
  JOB_KIND,
  JOB_SUCCESS_CRITERIA_MET,
  JOB_SUSPENDED,
  JOB_TRACKING_FINALIZER,
  onlyReplaceFailedPods,
  REASON_BACKOFF_LIMIT_EXCEEDED,
  REASON_DEADLINE_EXCEEDED,
  REASON_FAILED_INDEXES,
  REASON_MAX_FAILED_INDEXES_EXCEEDED,
  REASON_POD_FAILURE_POLICY,
  type Job,
  type JobCondition,
} from './job-types.ts';
import { failedIndexes, indexesReadyToCreate, newIndexFailureCounts, podsWithDelayedDeletion } from './per-index.ts';
import { JobStatusTracker, type SyncContext } from './status-tracker.ts';
import {
  countedFailures,
  failJobMessage,
  newFinishedPods,
  succeededIndexes,
  uncountedSets,
  type TrackingView,
} from './tracking.ts';

/** Pod events are batched: a Job is synced at most once a second for them. */
export const SYNC_JOB_BATCH_PERIOD_MS = 1000;
/** At most this many pods are created or deleted by one sync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
const DEFAULT_BACKOFF_LIMIT = 6;

export interface JobSyncDeps {
  jobs: Lister<Job>;
  pods: Lister<Pod>;
  jobClient: ResourceClient<Job>;
  podControl: PodControl;
  recorder: EventRecorder;
  queue: RateLimitingQueue<string>;
  expectations: ControllerExpectations;
  finalizerExpectations: FinalizerExpectations;
  /** per Job key: failures since the last success, for the pod re-creation back-off */
  backoffs: Map<string, BackoffRecord>;
  clock: Clock;
  logger: Logger;
}

/** Whether another controller owns the Job (spec.managedBy names someone else). */
export function managedElsewhere(job: Job): boolean {
  const managedBy = job.spec?.managedBy;
  return managedBy !== undefined && managedBy !== null && managedBy !== JOB_CONTROLLER_MANAGED_BY;
}

export class JobSyncer {
  private readonly tracker: JobStatusTracker;

  constructor(private readonly deps: JobSyncDeps) {
    this.tracker = new JobStatusTracker(deps);
  }

  async syncJob(key: string): Promise<void> {
    const { deps } = this;
    const [namespace = '', name = ''] = key.split('/');
    const cached = deps.jobs.get(namespace, name);
    if (!cached) {
      deps.logger.info(`Job ${key} has been deleted`);
      deps.expectations.deleteExpectations(key);
      deps.finalizerExpectations.delete(key);
      deps.backoffs.delete(key);
      return;
    }
    if (managedElsewhere(cached)) return;
    // The sync works on its own copy: the cache is shared.
    const job: Job = { ...structuredClone(cached), apiVersion: 'batch/v1', kind: 'Job' };
    if (isJobFinished(job)) {
      deps.backoffs.delete(key);
      return;
    }
    const mode = job.spec?.completionMode;
    if (mode !== undefined && mode !== null && mode !== 'NonIndexed' && mode !== 'Indexed') {
      deps.recorder.event(job, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    const status = (job.status ??= {});
    status.uncountedTerminatedPods ??= {};
    // Checked before listing pods: a pod created after this check just defers the sync.
    const satisfied = deps.expectations.satisfiedExpectations(key);
    const pods = await this.podsForJob(job);
    const ctx = this.newContext(key, job, pods);
    const now = deps.clock.now();
    if (!status.startTime && !isJobSuspended(job)) status.startTime = rfc3339(now);

    ctx.finished = this.finishedCondition(ctx, now);
    if (isIndexedJob(job)) {
      const indexes = succeededIndexes(job, pods);
      ctx.prevSucceededIndexes = indexes.previous;
      ctx.succeededIndexes = indexes.all;
      ctx.succeeded = totalIndexes(indexes.all);
      if (hasBackoffLimitPerIndex(job)) this.judgeIndexes(ctx, now);
    }

    let active = ctx.active.length;
    let suspendChanged = false;
    let manageError: unknown;
    if (ctx.finished) {
      const result = await this.deleteActivePods(job, ctx.active);
      // Not finished yet while pods remain or the cache may still lack some.
      if (result.deleted !== active || !satisfied) ctx.finished = undefined;
      active -= result.deleted;
      ctx.terminating += result.deleted;
      ctx.ready -= result.deletedReady;
      manageError = result.error;
    } else {
      let managed = false;
      if (satisfied && !job.metadata.deletionTimestamp) {
        ({ active, error: manageError } = await this.manageJob(ctx));
        managed = true;
      }
      const completions = job.spec?.completions;
      const complete = completions === undefined || completions === null ? ctx.succeeded > 0 && active === 0 : ctx.succeeded >= completions && active === 0;
      if (complete) ctx.finished = successCriteriaMet(now);
      else if (managed) suspendChanged = this.noteSuspension(job, now);
    }

    const needsUpdate = suspendChanged || active !== (status.active ?? 0) || ctx.ready !== status.ready || ctx.terminating !== status.terminating;
    status.active = active;
    status.ready = ctx.ready;
    status.terminating = ctx.terminating;
    try {
      await this.tracker.track(ctx, needsUpdate);
    } catch (err) {
      throw new Error(`tracking status: ${errorMessage(err)}`, { cause: err });
    }
    if (manageError !== undefined) throw manageError;
  }

  private newContext(key: string, job: Job, pods: Pod[]): SyncContext {
    const { deps } = this;
    const status = job.status ?? {};
    const active = filterActivePods(pods);
    const view: TrackingView = { job, pods, uncounted: uncountedSets(status), expectedRemovals: deps.finalizerExpectations.expectedUids(key) };
    const fresh = newFinishedPods(view);
    return {
      ...view,
      key,
      job,
      pods,
      active,
      succeeded: (status.succeeded ?? 0) + fresh.succeeded.length + view.uncounted.succeeded.size,
      failed: (status.failed ?? 0) + countedFailures(job, fresh.failed) + view.uncounted.failed.size,
      ready: countReady(active),
      terminating: countTerminating(pods),
      prevSucceededIndexes: [],
      succeededIndexes: [],
      newBackoff: nextBackoffRecord(deps.backoffs.get(key) ?? NO_FAILURES, fresh.succeeded, fresh.failed),
    };
  }

  /** Why the Job is finished, if it is (interim conditions become terminal once recorded). */
  private finishedCondition(ctx: SyncContext, now: number): JobCondition | undefined {
    const { job } = ctx;
    const conditions = job.status?.conditions;
    const met = findCondition(conditions, JOB_SUCCESS_CRITERIA_MET);
    if (met?.status === 'True') return met;
    const target = findCondition(conditions, JOB_FAILURE_TARGET);
    if (target?.status === 'True') return terminalConditionFor(target, now);
    const policyMessage = failJobMessage(job, ctx.pods);
    if (policyMessage !== undefined) return failureTarget(REASON_POD_FAILURE_POLICY, policyMessage, now);
    if (ctx.failed > (job.spec?.backoffLimit ?? DEFAULT_BACKOFF_LIMIT) || pastBackoffLimitOnFailure(job, ctx.pods)) {
      return failureTarget(REASON_BACKOFF_LIMIT_EXCEEDED, 'Job has reached the specified backoff limit', now);
    }
    const deadline = job.spec?.activeDeadlineSeconds;
    if (deadline === undefined || deadline === null || isJobSuspended(job) || !job.status?.startTime) return undefined;
    const left = deadline * 1000 - (now - timeOf(job.status.startTime));
    if (left <= 0) return failureTarget(REASON_DEADLINE_EXCEEDED, 'Job was active longer than specified deadline', now);
    // Nothing else would wake us when the deadline passes.
    this.deps.logger.info(`Job ${ctx.key} has activeDeadlineSeconds configuration. Will sync this job again in ${left} ms`);
    this.deps.queue.addAfter(ctx.key, left);
    return undefined;
  }

  /** backoffLimitPerIndex: which indexes failed for good, whether that fails the Job, which failed pods to keep for now. */
  private judgeIndexes(ctx: SyncContext, now: number): void {
    const { job } = ctx;
    const failed = (ctx.failedIndexes = failedIndexes(job, ctx.pods));
    const failedCount = totalIndexes(failed);
    const maxFailed = job.spec?.maxFailedIndexes;
    if (!ctx.finished && maxFailed !== undefined && maxFailed !== null && failedCount > maxFailed) {
      ctx.finished = failureTarget(REASON_MAX_FAILED_INDEXES_EXCEEDED, 'Job has exceeded the specified maximal number of failed indexes', now);
    } else if (!ctx.finished && failedCount > 0 && failedCount + totalIndexes(ctx.succeededIndexes) >= (job.spec?.completions ?? 0)) {
      ctx.finished = failureTarget(REASON_FAILED_INDEXES, 'Job has failed indexes', now);
    }
    ctx.delayedDeletion = podsWithDelayedDeletion(job, ctx.pods, ctx.active, ctx.succeededIndexes, failed, ctx.expectedRemovals);
  }

  /** The Suspended condition follows spec.suspend; resuming restarts the activeDeadlineSeconds clock. */
  private noteSuspension(job: Job, now: number): boolean {
    const status = job.status!;
    const suspended = isJobSuspended(job);
    const { conditions, changed } = suspended
      ? ensureConditionStatus(status.conditions ?? [], JOB_SUSPENDED, 'True', 'JobSuspended', 'Job suspended', now)
      : ensureConditionStatus(status.conditions ?? [], JOB_SUSPENDED, 'False', 'JobResumed', 'Job resumed', now);
    if (!changed) return false;
    status.conditions = conditions;
    if (suspended) {
      this.deps.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
    } else {
      this.deps.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
      status.startTime = rfc3339(now);
    }
    return true;
  }

  /** manageJob: creates or deletes pods so that as many run as parallelism and completions allow. */
  private async manageJob(ctx: SyncContext): Promise<{ active: number; error?: unknown }> {
    const { job, key } = ctx;
    const { deps } = this;
    let active = ctx.active.length;
    if (isJobSuspended(job)) {
      deps.logger.info(`Deleting all active pods in suspended job ${key}: ${active}`);
      return this.deleteSurplus(ctx, activePodsForRemoval(job, ctx.active, active));
    }
    const parallelism = job.spec?.parallelism ?? 1;
    const completions = job.spec?.completions;
    let wantActive: number;
    if (completions === undefined || completions === null) {
      // A work-queue Job: once one pod succeeded, no new ones; the rest finish on their own.
      wantActive = ctx.succeeded > 0 ? active : parallelism;
    } else {
      wantActive = Math.max(0, Math.min(completions - ctx.succeeded, parallelism));
    }
    const surplus = activePodsForRemoval(job, ctx.active, Math.max(0, active - wantActive)).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    // Deleting wins over creating: one or the other per sync.
    if (surplus.length > 0) {
      deps.logger.info(`Too many pods running for job ${key}: deleting ${surplus.length}, target ${wantActive}`);
      return this.deleteSurplus(ctx, surplus);
    }
    const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
    let diff = wantActive - terminating - active;
    if (diff <= 0) return { active };
    // With backoffLimitPerIndex each index backs off on its own (below).
    const wait = hasBackoffLimitPerIndex(job) ? 0 : remainingBackoff(ctx.newBackoff, deps.clock.now());
    if (wait > 0) {
      deps.logger.info(`Job ${key} is backing off pod creation for ${wait} ms`);
      deps.queue.addAfter(key, Math.max(wait, SYNC_JOB_BATCH_PERIOD_MS));
      return { active };
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    let indexes: number[] = [];
    if (isIndexedJob(job)) {
      const taken = this.nonPendingIndexes(ctx);
      indexes = firstPendingIndexes(taken, diff, completions ?? 0);
      if (hasBackoffLimitPerIndex(job)) {
        const ready = indexesReadyToCreate(indexes, ctx.delayedDeletion ?? new Map(), deps.clock.now());
        if (ready.waitMs > 0) {
          deps.queue.addAfter(key, Math.max(ready.waitMs, SYNC_JOB_BATCH_PERIOD_MS));
          return { active };
        }
        indexes = ready.indexes;
      }
      diff = indexes.length;
      if (diff === 0) return { active };
    }
    deps.expectations.expectCreations(key, diff);
    deps.logger.info(`Too few pods running for job ${key}: need ${wantActive}, creating ${diff}`);
    const template = jobPodTemplate(job);
    const namespace = job.metadata.namespace ?? '';
    const ref = newControllerRef(job, JOB_KIND);
    const { successes, error } = await slowStartBatch(diff, 1, async () => {
      // Taken before the first await, so each call of a batch gets its own index.
      const index = indexes.shift();
      const podTemplate = index === undefined ? template : this.indexTemplate(ctx, template, index);
      const generateName = index === undefined ? '' : podGenerateNameWithIndex(job.metadata.name ?? '', index);
      try {
        await deps.podControl.createPodsWithGenerateName(namespace, podTemplate, job, ref, generateName);
      } catch (err) {
        // The namespace is going away: nothing more will be created in it.
        if (hasStatusCause(err, NAMESPACE_TERMINATING_CAUSE)) return;
        throw err;
      }
    });
    // Pods not created (failed, or skipped after a failed batch) will never be observed.
    for (let i = successes; i < diff; i++) deps.expectations.creationObserved(key);
    return { active: active + successes, ...(error !== undefined ? { error } : {}) };
  }

  /** The template of the pod for `index`, with its index's failure count under backoffLimitPerIndex. */
  private indexTemplate(ctx: SyncContext, template: PodTemplateSpec, index: number): PodTemplateSpec {
    const indexed = indexedPodTemplate(template, ctx.job.metadata.name ?? '', index);
    if (!hasBackoffLimitPerIndex(ctx.job)) return indexed;
    const metadata = (indexed.metadata ??= {});
    metadata.annotations = { ...metadata.annotations, ...newIndexFailureCounts(ctx.job, ctx.delayedDeletion?.get(index)) };
    return indexed;
  }

  /** Indexes not to start: succeeded, running, failed for good, and (when only failed pods are replaced) terminating. */
  private nonPendingIndexes(ctx: SyncContext): Interval[] {
    let taken = withIndexes(ctx.succeededIndexes, indexesOf(ctx.active));
    if (onlyReplaceFailedPods(ctx.job)) taken = mergeIntervals(taken, withIndexes([], indexesOf(ctx.pods.filter(isPodTerminating))));
    if (ctx.failedIndexes) taken = mergeIntervals(taken, ctx.failedIndexes);
    return taken;
  }

  /** Deletes pods the Job no longer wants, without counting them as failures (finalizer first). */
  private async deleteSurplus(ctx: SyncContext, pods: Pod[]): Promise<{ active: number; error?: unknown }> {
    const { deps } = this;
    deps.expectations.expectDeletions(ctx.key, pods.length);
    const result = await this.deleteJobPods(ctx.job, ctx.key, pods);
    ctx.terminating += result.deleted;
    ctx.ready -= result.deletedReady;
    return { active: ctx.active.length - result.deleted, ...(result.error !== undefined ? { error: result.error } : {}) };
  }

  private async deleteJobPods(job: Job, key: string, pods: Pod[]): Promise<DeleteResult> {
    const { deps } = this;
    const namespace = job.metadata.namespace ?? '';
    return deleteAll(pods, async (pod) => {
      try {
        const patch = removeTrackingFinalizerPatch(pod);
        if (patch) await deps.podControl.patchPod(namespace, pod.metadata.name ?? '', patch);
        await deps.podControl.deletePod(namespace, pod.metadata.name ?? '', job);
      } catch (err) {
        // This deletion will never be observed.
        deps.expectations.deletionObserved(key);
        throw err;
      }
    });
  }

  /** Deletes the running pods of a Job that is finished, keeping their finalizers: they are counted as failed. */
  private async deleteActivePods(job: Job, pods: Pod[]): Promise<DeleteResult> {
    const namespace = job.metadata.namespace ?? '';
    return deleteAll(pods, (pod) => this.deps.podControl.deletePod(namespace, pod.metadata.name ?? '', job));
  }

  /** getPodsForJob: every pod the Job owns after adopting matching orphans (with the finalizer) and releasing strays. */
  private async podsForJob(job: Job): Promise<Pod[]> {
    const { namespace = '', name = '', uid } = job.metadata;
    let selector: LabelSelector | null;
    try {
      selector = labelSelectorFromObject(job.spec?.selector);
    } catch (err) {
      throw new Error(`couldn't convert Job selector: ${errorMessage(err)}`, { cause: err });
    }
    const client = this.deps.jobClient.namespace(namespace);
    const manager = podControllerRefManager<Pod>({
      controller: job,
      controllerKind: JOB_KIND,
      selector,
      patch: (ns, podName, patch) => this.deps.podControl.patchPod(ns, podName, patch),
      canAdopt: recheckDeletionTimestamp(async () => {
        const fresh = await client.get(name);
        if (fresh.metadata.uid !== uid) throw new Error(`original Job ${namespace}/${name} is gone: got uid ${fresh.metadata.uid}, wanted ${uid}`);
        return fresh;
      }),
      finalizers: [JOB_TRACKING_FINALIZER],
    });
    const claimed = await manager.claim(this.deps.pods.byNamespace(namespace).list());
    // Adopted just now: the cached copy lacks the finalizer the adoption added.
    return claimed.map((pod) => {
      const adopted = !(pod.metadata.ownerReferences ?? []).some((ref) => ref.uid === uid);
      if (!adopted || hasTrackingFinalizer(pod)) return pod;
      return { ...pod, metadata: { ...pod.metadata, finalizers: [...(pod.metadata.finalizers ?? []), JOB_TRACKING_FINALIZER] } };
    });
  }
}

interface DeleteResult {
  deleted: number;
  deletedReady: number;
  error?: unknown;
}

/** Runs `remove` on every pod in parallel; a pod already gone counts as deleted. */
async function deleteAll(pods: readonly Pod[], remove: (pod: Pod) => Promise<void>): Promise<DeleteResult> {
  const settled = await Promise.allSettled(pods.map(remove));
  const result: DeleteResult = { deleted: 0, deletedReady: 0 };
  settled.forEach((outcome, i) => {
    if (outcome.status === 'rejected' && !isNotFound(outcome.reason)) {
      result.error ??= outcome.reason;
      return;
    }
    result.deleted++;
    if (isPodReady(pods[i]!)) result.deletedReady++;
  });
  return result;
}

function rfc3339(ms: number): string {
  return formatRfc3339(Math.floor(ms / 1000));
}
