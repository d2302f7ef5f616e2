// Writing a Job's status after a sync (trackJobStatusAndRemoveFinalizers): the counting
// handshake of tracking.ts carried out against the API — uncounted pods written to status,
// their finalizers removed, then moved into the counters — followed, once no pod is left
// uncounted or terminating, by the terminal Complete or Failed condition and its event.
import { isNotFound, type Clock, type EventRecorder, type Logger, type ResourceClient } from '@k8ts/client';
import type { PodControl } from '../../controller/pod-control.ts';
import type { Pod } from '../../controller/workload-types.ts';
import type { BackoffRecord } from './backoff.ts';
import { ensureConditionStatus, findCondition, terminalConditionFor } from './conditions.ts';
import type { FinalizerExpectations } from './finalizer-expectations.ts';
import { formatIndexes, totalIndexes, withIndexes, type Interval } from './indexes.ts';
import { hasTrackingFinalizer, removeTrackingFinalizerPatch } from './job-pods.ts';
import { isIndexedJob, JOB_COMPLETE, JOB_FAILURE_TARGET, JOB_SUCCESS_CRITERIA_MET, type Job, type JobCondition, type JobStatus } from './job-types.ts';
import { countPodsWithoutFinalizers, planFinalizerRemoval, type TrackingView } from './tracking.ts';

/** What one sync has worked out so far (syncJobCtx). */
export interface SyncContext extends TrackingView {
  key: string;
  job: Job;
  pods: Pod[];
  active: Pod[];
  succeeded: number;
  failed: number;
  ready: number;
  terminating: number;
  finished?: JobCondition;
  prevSucceededIndexes: Interval[];
  succeededIndexes: Interval[];
  /** with backoffLimitPerIndex: indexes that failed for good */
  failedIndexes?: Interval[];
  newBackoff: BackoffRecord;
}

export interface StatusTrackerDeps {
  jobClient: ResourceClient<Job>;
  podControl: PodControl;
  recorder: EventRecorder;
  finalizerExpectations: FinalizerExpectations;
  /** per Job key: failures since the last success, updated once status recorded them */
  backoffs: Map<string, BackoffRecord>;
  clock: Clock;
  logger: Logger;
}

export class JobStatusTracker {
  constructor(private readonly deps: StatusTrackerDeps) {}

  /** trackJobStatusAndRemoveFinalizers: the counting handshake, then the terminal condition. */
  async track(ctx: SyncContext, needsUpdate: boolean): Promise<void> {
    let needsFlush = needsUpdate;
    const uidsWithFinalizer = new Set<string>();
    for (const pod of ctx.pods) {
      const uid = pod.metadata.uid ?? '';
      if (hasTrackingFinalizer(pod) || ctx.expectedRemovals.has(uid)) uidsWithFinalizer.add(uid);
    }
    if (countPodsWithoutFinalizers(ctx.job.status!, uidsWithFinalizer)) needsFlush = true;
    const plan = planFinalizerRemoval(ctx, ctx.finished, ctx.prevSucceededIndexes);
    if (plan.needsFlush) needsFlush = true;
    const status = ctx.job.status!;
    if (isIndexedJob(ctx.job)) {
      ctx.succeededIndexes = withIndexes(ctx.succeededIndexes, plan.newSucceededIndexes);
      const completed = formatIndexes(ctx.succeededIndexes);
      if (completed !== (status.completedIndexes ?? '')) needsFlush = true;
      status.succeeded = totalIndexes(ctx.succeededIndexes);
      status.completedIndexes = completed;
      if (ctx.failedIndexes) {
        const failed = formatIndexes(ctx.failedIndexes);
        if (failed !== status.failedIndexes) needsFlush = true;
        status.failedIndexes = failed;
      }
    }
    // The interim condition is recorded before any finalizer goes; the terminal one follows.
    if (ctx.finished?.type === JOB_FAILURE_TARGET) {
      status.conditions = [...(status.conditions ?? []), ctx.finished];
      needsFlush = true;
      ctx.finished = terminalConditionFor(ctx.finished, this.deps.clock.now());
    } else if (ctx.finished?.type === JOB_SUCCESS_CRITERIA_MET) {
      if (findCondition(status.conditions, JOB_SUCCESS_CRITERIA_MET)?.status !== 'True') {
        status.conditions = [...(status.conditions ?? []), ctx.finished];
        needsFlush = true;
      }
      ctx.finished = terminalConditionFor(ctx.finished, this.deps.clock.now());
    }
    needsFlush = await this.flushAndRemoveFinalizers(ctx, plan.podsToRemoveFinalizer, uidsWithFinalizer, needsFlush);
    const finished = !plan.reachedMaxUncounted && this.enactFinished(ctx);
    if (!needsFlush && !finished) return;
    ctx.job = await this.updateStatus(ctx.job);
    if (finished) this.recordFinished(ctx.job, ctx.finished!);
  }

  /** Steps 1–3 of the handshake; returns whether status still has unwritten changes. */
  private async flushAndRemoveFinalizers(ctx: SyncContext, pods: Pod[], uidsWithFinalizer: Set<string>, needsFlush: boolean): Promise<boolean> {
    const { deps } = this;
    if (needsFlush) {
      ctx.job = await this.updateStatus(ctx.job);
      deps.backoffs.set(ctx.key, ctx.newBackoff);
    }
    let removeError: unknown;
    if (pods.length > 0) {
      const { removed, error } = await this.removeTrackingFinalizers(ctx.key, ctx.job, pods);
      for (const uid of removed) uidsWithFinalizer.delete(uid);
      removeError = error;
    }
    const changed = countPodsWithoutFinalizers((ctx.job.status ??= {}), uidsWithFinalizer);
    if (removeError !== undefined) {
      // Record the partial progress before reporting the failure.
      if (changed) ctx.job = await this.updateStatus(ctx.job);
      throw removeError;
    }
    return changed;
  }

  /** Step 2: patches the finalizer away; the uids it is gone from, and the first failure. */
  private async removeTrackingFinalizers(key: string, job: Job, pods: Pod[]): Promise<{ removed: string[]; error?: unknown }> {
    const { deps } = this;
    deps.finalizerExpectations.expectRemovals(key, pods.map((p) => p.metadata.uid ?? ''));
    const namespace = job.metadata.namespace ?? '';
    const removed: string[] = [];
    let error: unknown;
    await Promise.all(
      pods.map(async (pod) => {
        const uid = pod.metadata.uid ?? '';
        const patch = removeTrackingFinalizerPatch(pod);
        try {
          if (patch) await deps.podControl.patchPod(namespace, pod.metadata.name ?? '', patch);
          removed.push(uid);
        } catch (err) {
          if (isNotFound(err)) {
            removed.push(uid);
            return;
          }
          // This removal will never be observed.
          deps.finalizerExpectations.removalObserved(key, uid);
          error ??= err;
        }
      }),
    );
    return { removed, ...(error !== undefined ? { error } : {}) };
  }

  /** enactJobFinished: adds the terminal condition, unless pods are still uncounted or terminating. */
  private enactFinished(ctx: SyncContext): boolean {
    const finished = ctx.finished;
    if (!finished) return false;
    const status = ctx.job.status!;
    const uncounted = status.uncountedTerminatedPods;
    if ((uncounted?.succeeded?.length ?? 0) + (uncounted?.failed?.length ?? 0) > 0) return false;
    if (ctx.terminating > 0) {
      this.deps.logger.info(`Delaying marking the Job ${ctx.key} as finished, because there are still terminating pod(s): ${ctx.terminating}`);
      return false;
    }
    const now = this.deps.clock.now();
    status.conditions = ensureConditionStatus(status.conditions ?? [], finished.type, finished.status, finished.reason ?? '', finished.message ?? '', now).conditions;
    if (finished.type === JOB_COMPLETE) status.completionTime = finished.lastTransitionTime ?? null;
    return true;
  }

  private recordFinished(job: Job, finished: JobCondition): void {
    const { recorder } = this.deps;
    const owner = { ...job, apiVersion: 'batch/v1', kind: 'Job' };
    if (finished.type === JOB_COMPLETE) {
      const completions = job.spec?.completions;
      if (completions !== undefined && completions !== null && (job.status?.succeeded ?? 0) > completions) {
        recorder.event(owner, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      }
      recorder.event(owner, 'Normal', 'Completed', 'Job completed');
      return;
    }
    recorder.event(owner, 'Warning', finished.reason ?? '', finished.message ?? '');
  }

  /** Writes status (zero counters omitted, as the API serves them); the Job as written. */
  private async updateStatus(job: Job): Promise<Job> {
    const written = await this.deps.jobClient.namespace(job.metadata.namespace ?? '').updateStatus({ ...job, status: wireStatus(job.status ?? {}) });
    return { ...written, apiVersion: 'batch/v1', kind: 'Job', status: { ...written.status, uncountedTerminatedPods: { ...written.status?.uncountedTerminatedPods } } };
  }
}

/** Status as the API serves it: zero counters and empty lists left out. */
function wireStatus(status: JobStatus): JobStatus {
  const uncounted = status.uncountedTerminatedPods ?? {};
  const wire: JobStatus = { ...status, uncountedTerminatedPods: {} };
  if (uncounted.succeeded?.length) wire.uncountedTerminatedPods!.succeeded = [...uncounted.succeeded];
  if (uncounted.failed?.length) wire.uncountedTerminatedPods!.failed = [...uncounted.failed];
  for (const counter of ['active', 'succeeded', 'failed'] as const) if (!wire[counter]) delete wire[counter];
  if (!wire.completedIndexes) delete wire.completedIndexes;
  return wire;
}
