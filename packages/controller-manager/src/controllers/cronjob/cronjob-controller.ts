// The CronJob controller (Kubernetes' "v2" controller): starts a Job for each time a CronJob's
// schedule fires, and keeps the CronJob's status (active Jobs, lastScheduleTime,
// lastSuccessfulTime) and Job history in line. Keys are "namespace/name". A CronJob is queued
// when it changes and when one of its Jobs does; after each sync it is queued again for just
// after its next schedule time, so no periodic resync is needed.
// A sync: delete the oldest finished Jobs beyond the history limits; reconcile status.active
// with the Jobs that exist (finished ones leave it with a SawCompletedJob event, vanished ones
// with MissingJob); then — unless the CronJob is being deleted, suspended, or its schedule or
// time zone is bad — find the most recent unmet schedule time and, within
// startingDeadlineSeconds and the concurrency policy (Allow, Forbid: skip while a Job runs,
// Replace: delete the running ones), create the Job named for that time.
import { isDeepStrictEqual } from 'node:util';
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import {
  errorMessage,
  isAlreadyExists,
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
import { controllerRefOf } from '../../controller/controller-utils.ts';
import { runWorkers, waitForNamedCacheSync } from '../../controller/workers.ts';
import { hasStatusCause, NAMESPACE_TERMINATING_CAUSE } from '../namespaces.ts';
import { objectKey } from '../object-key.ts';
import { resolveControllerRef } from '../../controller/owner-lookup.ts';
import { objectOf } from '../tombstone.ts';
import { parseCronSchedule, type CronSchedule } from './cron-schedule.ts';
import { jobsBeyondHistoryLimits } from './history-limits.ts';
import { jobFromTemplate, jobNameFor } from './job-from-template.ts';
import { finishedCondition, isJobFinished, isJobSucceeded } from './job-status.ts';
import { InvalidScheduleError, nextScheduleTime, nextScheduleTimeDuration } from './schedule-times.ts';
import { CRONJOB_KIND, type CronJob, type Job, type ObjectReference } from './types.ts';
import { formatRfc1123zUtc, isKnownZone } from './zoned-time.ts';

export const CRONJOB_CONTROLLER = 'cronjob-controller';

export interface CronJobControllerDeps {
  cronJobs: SharedIndexInformer<CronJob>;
  jobs: SharedIndexInformer<Job>;
  cronJobClient: ResourceClient<CronJob>;
  jobClient: ResourceClient<Job>;
  /** source component "cronjob-controller" */
  recorder: EventRecorder;
  queue: RateLimitingQueue<string>;
  /** --concurrent-cron-job-syncs */
  workers: number;
  /**
   * The zone schedules without spec.timeZone are read in: the controller manager's local time
   * zone, as in Kubernetes (the TZ of its process; UTC in most clusters).
   */
  localTimeZone: string;
  clock: Clock;
  logger: Logger;
}

/** What one reconcile decided: whether status must be written, and when to look again. */
interface SyncResult {
  requeueAfterMs?: number;
  updateStatus: boolean;
  error?: unknown;
}

export class CronJobController implements Controller {
  private readonly cronJobs: Lister<CronJob>;
  private readonly jobs: Lister<Job>;

  constructor(private readonly deps: CronJobControllerDeps) {
    this.cronJobs = deps.cronJobs.lister();
    this.jobs = deps.jobs.lister();
    deps.cronJobs.addEventHandler({
      onAdd: (cj) => this.enqueue(cj),
      onUpdate: (old, cur) => this.updateCronJob(old, cur),
      onDelete: (obj) => this.enqueue(objectOf(obj)),
    });
    deps.jobs.addEventHandler({
      onAdd: (job) => (job.metadata.deletionTimestamp ? this.jobGone(job) : this.enqueueOwner(job)),
      onUpdate: (old, cur) => this.updateJob(old, cur),
      onDelete: (obj) => this.jobGone(obj),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    const { cronJobs, jobs, queue, workers, clock, logger } = this.deps;
    logger.info(`Starting controller ${CRONJOB_CONTROLLER}`);
    const synced = [() => cronJobs.hasSynced(), () => jobs.hasSynced()];
    if (!(await waitForNamedCacheSync('cronjob', synced, signal, logger, clock))) return;
    await runWorkers({ controller: CRONJOB_CONTROLLER, queue, workers, sync: (key) => this.sync(key), logger }, signal);
  }

  /** Reconciles one CronJob, writes its status if it changed, and queues it for its next time. */
  async sync(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const cached = this.cronJobs.get(namespace, name);
    // Deleted: its Jobs are the garbage collector's now.
    if (!cached) return;
    const owned = this.jobs
      .byNamespace(namespace)
      .list()
      .filter((job) => controllerRefOf(job)?.name === name);
    const cronJob: CronJob = structuredClone({ ...cached, apiVersion: 'batch/v1', kind: 'CronJob' });
    const cleaned = await this.cleanupFinishedJobs(cronJob, owned);
    const result = await this.syncCronJob(cronJob, owned);
    if (result.error !== undefined) this.deps.logger.info(`Error reconciling cronjob ${key}: ${errorMessage(result.error)}`);
    if (cleaned || result.updateStatus) {
      // An empty active list is omitted, as the API serves it.
      if (cronJob.status?.active?.length === 0) delete cronJob.status.active;
      await this.deps.cronJobClient.namespace(namespace).updateStatus(cronJob);
    }
    if (result.requeueAfterMs !== undefined) {
      this.deps.queue.addAfter(key, result.requeueAfterMs);
      return;
    }
    if (result.error !== undefined) throw result.error;
  }

  private async syncCronJob(cronJob: CronJob, jobs: readonly Job[]): Promise<SyncResult> {
    const { recorder, clock } = this.deps;
    const now = clock.now();
    let updateStatus = false;
    cronJob.status ??= {};
    const children = new Set<string>();
    for (const job of jobs) {
      const uid = job.metadata.uid ?? '';
      children.add(uid);
      const found = inActiveList(cronJob, uid);
      if (!found && !isJobFinished(job)) {
        // Maybe our cache predates our own status write: ask the apiserver before complaining.
        const fresh = await this.deps.cronJobClient.namespace(cronJob.metadata.namespace ?? '').get(cronJob.metadata.name ?? '');
        if (inActiveList(fresh, uid)) {
          cronJob.status = structuredClone(fresh.status ?? {});
          continue;
        }
        recorder.event(cronJob, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job.metadata.name ?? ''}`);
      } else if (isJobFinished(job)) {
        if (found) {
          deleteFromActiveList(cronJob, uid);
          recorder.event(cronJob, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata.name ?? ''}, condition: ${finishedCondition(job)?.type ?? ''}`);
          updateStatus = true;
        }
        // Whether or not it was still listed as active, a success moves lastSuccessfulTime on.
        const completed = job.status?.completionTime;
        if (isJobSucceeded(job) && completed && (!cronJob.status.lastSuccessfulTime || Date.parse(completed) > Date.parse(cronJob.status.lastSuccessfulTime))) {
          cronJob.status.lastSuccessfulTime = completed;
          updateStatus = true;
        }
      }
    }

    // Active Jobs we no longer see: confirm with the apiserver (the cache may lag) before dropping them.
    for (const ref of [...(cronJob.status.active ?? [])]) {
      if (children.has(ref.uid ?? '')) continue;
      try {
        await this.deps.jobClient.namespace(ref.namespace ?? '').get(ref.name ?? '');
      } catch (err) {
        if (!isNotFound(err)) return { updateStatus, error: err };
        recorder.event(cronJob, 'Normal', 'MissingJob', `Active job went missing: ${ref.name ?? ''}`);
        deleteFromActiveList(cronJob, ref.uid ?? '');
        updateStatus = true;
      }
    }

    // Being deleted: only status is kept up to date.
    if (cronJob.metadata.deletionTimestamp) return { updateStatus };
    const spec = cronJob.spec;
    if (!spec) return { updateStatus };
    const timeZone = spec.timeZone;
    if (typeof timeZone === 'string' && !isKnownZone(timeZone)) {
      recorder.event(cronJob, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(timeZone)}: unknown time zone ${timeZone}`);
      return { updateStatus };
    }
    if (spec.suspend === true) return { updateStatus };

    if (spec.schedule.includes('TZ')) {
      recorder.event(
        cronJob,
        'Warning',
        'UnsupportedSchedule',
        `CRON_TZ or TZ used in schedule ${JSON.stringify(spec.schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`,
      );
    }
    let schedule: CronSchedule;
    try {
      schedule = this.scheduleOf(cronJob);
    } catch (err) {
      // A user error in the spec: nothing to do until the spec changes.
      recorder.event(cronJob, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${errorMessage(err)}`);
      return { updateStatus };
    }

    let scheduledTime: number | undefined;
    try {
      const next = nextScheduleTime(cronJob, now, schedule);
      scheduledTime = next.scheduledTime;
      if (next.tooManyMissed) {
        recorder.event(cronJob, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
        this.deps.logger.info(`too many missed times for cronjob ${cronJob.metadata.namespace}/${cronJob.metadata.name}`);
      }
    } catch (err) {
      if (!(err instanceof InvalidScheduleError)) throw err;
      recorder.event(cronJob, 'Warning', 'InvalidSchedule', `invalid schedule: ${spec.schedule} : ${err.message}`);
      return { updateStatus };
    }
    const requeue = (): SyncResult => ({ updateStatus, requeueAfterMs: nextScheduleTimeDuration(cronJob, now, schedule) });
    // Nothing due (e.g. right after a restart): wait for the next time.
    if (scheduledTime === undefined) return requeue();

    const deadline = spec.startingDeadlineSeconds;
    if (deadline !== undefined && deadline !== null && scheduledTime + deadline * 1000 < now) {
      recorder.event(cronJob, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${formatRfc1123zUtc(scheduledTime)}`);
      return requeue();
    }
    const name = jobNameFor(cronJob, scheduledTime);
    const lastScheduled = cronJob.status.lastScheduleTime ? Date.parse(cronJob.status.lastScheduleTime) : undefined;
    if ((cronJob.status.active ?? []).some((ref) => ref.name === name) || lastScheduled === scheduledTime) return requeue();
    if (spec.concurrencyPolicy === 'Forbid' && (cronJob.status.active ?? []).length > 0) {
      recorder.event(cronJob, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return requeue();
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const ref of [...(cronJob.status.active ?? [])]) {
        let job: Job;
        try {
          job = await this.deps.jobClient.namespace(ref.namespace ?? '').get(ref.name ?? '');
        } catch (err) {
          recorder.event(cronJob, 'Warning', 'FailedGet', `Get job: ${errorMessage(err)}`);
          return { updateStatus, error: err };
        }
        if (!(await this.deleteJob(cronJob, job))) {
          return { updateStatus, error: new Error(`could not replace job ${job.metadata.namespace}/${job.metadata.name}`) };
        }
        updateStatus = true;
      }
    }

    const request = jobFromTemplate(cronJob, scheduledTime);
    let created: Job;
    try {
      created = await this.deps.jobClient.namespace(cronJob.metadata.namespace ?? '').create(request);
      recorder.event(cronJob, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name ?? ''}`);
    } catch (err) {
      // The namespace is going away: any create would fail.
      if (hasStatusCause(err, NAMESPACE_TERMINATING_CAUSE)) return { updateStatus, error: err };
      if (!isAlreadyExists(err)) {
        recorder.event(cronJob, 'Warning', 'FailedCreate', `Error creating job: ${errorMessage(err)}`);
        return { updateStatus, error: err };
      }
      // Created before, by us (status write lost) or by someone else (who then owns the status).
      let existing: Job;
      try {
        existing = await this.deps.jobClient.namespace(cronJob.metadata.namespace ?? '').get(name);
      } catch (getErr) {
        return { updateStatus, error: getErr };
      }
      if (controllerRefOf(existing)?.uid !== cronJob.metadata.uid || inActiveList(cronJob, existing.metadata.uid ?? '')) return { updateStatus };
      this.deps.logger.info(`Job already exists: cronjob ${cronJob.metadata.namespace}/${cronJob.metadata.name}, job ${name}`);
      created = existing;
    }
    // The Job's name is derived from the scheduled time: if this status write is lost, the next
    // sync's create gets AlreadyExists instead of starting the Job twice.
    (cronJob.status.active ??= []).push(jobReference(created));
    cronJob.status.lastScheduleTime = formatRfc3339(Math.floor(scheduledTime / 1000));
    updateStatus = true;
    return requeue();
  }

  /** Deletes finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit, oldest first. */
  private async cleanupFinishedJobs(cronJob: CronJob, jobs: readonly Job[]): Promise<boolean> {
    let updateStatus = false;
    for (const job of jobsBeyondHistoryLimits(cronJob, jobs)) {
      if (await this.deleteJob(cronJob, job)) updateStatus = true;
    }
    return updateStatus;
  }

  /** Deletes a Job (its pods in the background) and drops it from status.active; false if that failed. */
  private async deleteJob(cronJob: CronJob, job: Job): Promise<boolean> {
    try {
      await this.deps.jobClient.namespace(job.metadata.namespace ?? '').delete(job.metadata.name ?? '', { propagationPolicy: 'Background' });
    } catch (err) {
      this.deps.recorder.event(cronJob, 'Warning', 'FailedDelete', `Deleted job: ${errorMessage(err)}`);
      this.deps.logger.warn(`Error deleting job ${job.metadata.namespace}/${job.metadata.name} from cronjob ${cronJob.metadata.name}: ${errorMessage(err)}`);
      return false;
    }
    deleteFromActiveList(cronJob, job.metadata.uid ?? '');
    this.deps.recorder.event(cronJob, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name ?? ''}`);
    return true;
  }

  /** The schedule, read in spec.timeZone, else the local zone (a TZ= prefix in the schedule wins). */
  private scheduleOf(cronJob: CronJob): CronSchedule {
    const spec = cronJob.spec!;
    const zone = !spec.schedule.includes('TZ') && typeof spec.timeZone === 'string' ? spec.timeZone : this.deps.localTimeZone;
    return parseCronSchedule(spec.schedule, zone);
  }

  private enqueue(cronJob: CronJob): void {
    this.deps.queue.add(objectKey(cronJob));
  }

  /**
   * A new schedule or time zone: look at it again at its new next time (sooner than the old one,
   * if so; a later one makes the already queued sync a no-op). Any other change: look now.
   */
  private updateCronJob(old: CronJob, cur: CronJob): void {
    const scheduleChanged = old.spec?.schedule !== cur.spec?.schedule || !isDeepStrictEqual(old.spec?.timeZone ?? null, cur.spec?.timeZone ?? null);
    if (!scheduleChanged) {
      this.enqueue(cur);
      return;
    }
    let schedule: CronSchedule;
    try {
      schedule = this.scheduleOf(cur);
    } catch {
      this.deps.recorder.event(cur, 'Warning', 'UnParseableCronJobSchedule', `unparseable schedule for cronjob: ${cur.spec?.schedule ?? ''}`);
      return;
    }
    const after = nextScheduleTimeDuration(cur, this.deps.clock.now(), schedule);
    if (after !== undefined) this.deps.queue.addAfter(objectKey(cur), after);
  }

  /** Queues the CronJob that controls the Job, if it is still that CronJob (CronJobs adopt nothing). */
  private enqueueOwner(job: Job): void {
    const ref = controllerRefOf(job);
    const cronJob = ref && resolveControllerRef(this.cronJobs, CRONJOB_KIND.kind, job.metadata.namespace ?? '', ref);
    if (cronJob) this.enqueue(cronJob);
  }

  private updateJob(old: Job, cur: Job): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const oldRef = controllerRefOf(old);
    if (oldRef && !isDeepStrictEqual(oldRef, controllerRefOf(cur))) this.enqueueOwner(old);
    this.enqueueOwner(cur);
  }

  private jobGone(obj: Job | DeletedFinalStateUnknown<Job>): void {
    this.enqueueOwner(objectOf(obj));
  }
}

function inActiveList(cronJob: CronJob, uid: string): boolean {
  return (cronJob.status?.active ?? []).some((ref) => ref.uid === uid);
}

function deleteFromActiveList(cronJob: CronJob, uid: string): void {
  const status = cronJob.status;
  if (!status?.active) return;
  status.active = status.active.filter((ref) => ref.uid !== uid);
}

/** The ObjectReference status.active holds for a Job. */
function jobReference(job: Job): ObjectReference {
  return {
    kind: 'Job',
    namespace: job.metadata.namespace ?? '',
    name: job.metadata.name ?? '',
    uid: job.metadata.uid ?? '',
    apiVersion: 'batch/v1',
    resourceVersion: job.metadata.resourceVersion ?? '',
  };
}
