// batch/v1 Job as the Job controller reads and writes it (JSON names, optional where the API
// omits them), and the names Kubernetes 1.32 gives to its labels, annotations, finalizer,
// condition types and reasons.
import type { KubeObject } from '@k8ts/api';
import type { LabelSelectorObject } from '@k8ts/api/selectors/index.ts';
import type { ConditionStatus, PodTemplateSpec } from '../../controller/workload-types.ts';

export const JOB_KIND = { group: 'batch', version: 'v1', kind: 'Job' };

/**
 * Every pod a Job creates carries this finalizer until the controller has counted it in the
 * Job's status, so a pod that finishes and is deleted at once (by the pod GC, a person, a node
 * going away) is never missed.
 */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** An Indexed Job's pods: which completion index each one runs (annotation and label). */
export const JOB_COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
export const JOB_COMPLETION_INDEX_LABEL = 'batch.kubernetes.io/job-completion-index';
/** With backoffLimitPerIndex: how many pods of the index failed before this one. */
export const JOB_INDEX_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-failure-count';
/** The environment variable an Indexed Job's containers read their index from. */
export const JOB_COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
/** spec.managedBy naming this controller; any other value leaves the Job to someone else. */
export const JOB_CONTROLLER_MANAGED_BY = 'kubernetes.io/job-controller';

export const JOB_COMPLETE = 'Complete';
export const JOB_FAILED = 'Failed';
export const JOB_SUSPENDED = 'Suspended';
/** Interim conditions (1.31+): the Job has failed / succeeded but some of its pods are still terminating. */
export const JOB_FAILURE_TARGET = 'FailureTarget';
export const JOB_SUCCESS_CRITERIA_MET = 'SuccessCriteriaMet';

export const REASON_BACKOFF_LIMIT_EXCEEDED = 'BackoffLimitExceeded';
export const REASON_DEADLINE_EXCEEDED = 'DeadlineExceeded';
export const REASON_POD_FAILURE_POLICY = 'PodFailurePolicy';
export const REASON_MAX_FAILED_INDEXES_EXCEEDED = 'MaxFailedIndexesExceeded';
export const REASON_FAILED_INDEXES = 'FailedIndexes';
export const REASON_COMPLETIONS_REACHED = 'CompletionsReached';

export interface JobCondition {
  type: string;
  status: ConditionStatus;
  lastProbeTime?: string | null;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

export type PodFailurePolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

export interface PodFailurePolicyRule {
  action: PodFailurePolicyAction;
  onExitCodes?: { containerName?: string | null; operator: 'In' | 'NotIn'; values: number[] } | null;
  onPodConditions?: { type: string; status?: ConditionStatus }[] | null;
}

export interface PodFailurePolicy {
  rules: PodFailurePolicyRule[];
}

export interface JobSpec {
  parallelism?: number | null;
  completions?: number | null;
  activeDeadlineSeconds?: number | null;
  backoffLimit?: number | null;
  backoffLimitPerIndex?: number | null;
  maxFailedIndexes?: number | null;
  selector?: LabelSelectorObject | null;
  manualSelector?: boolean | null;
  template?: PodTemplateSpec;
  completionMode?: string | null;
  suspend?: boolean | null;
  podFailurePolicy?: PodFailurePolicy | null;
  podReplacementPolicy?: 'TerminatingOrFailed' | 'Failed' | null;
  managedBy?: string | null;
  ttlSecondsAfterFinished?: number | null;
}

export interface UncountedTerminatedPods {
  succeeded?: string[];
  failed?: string[];
}

export interface JobStatus {
  conditions?: JobCondition[];
  startTime?: string | null;
  completionTime?: string | null;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number | null;
  ready?: number | null;
  completedIndexes?: string;
  failedIndexes?: string | null;
  uncountedTerminatedPods?: UncountedTerminatedPods | null;
}

export interface Job extends KubeObject {
  spec?: JobSpec;
  status?: JobStatus;
}

export function isIndexedJob(job: Job): boolean {
  return job.spec?.completionMode === 'Indexed';
}

export function hasBackoffLimitPerIndex(job: Job): boolean {
  return isIndexedJob(job) && job.spec?.backoffLimitPerIndex !== undefined && job.spec.backoffLimitPerIndex !== null;
}

export function isJobSuspended(job: Job): boolean {
  return job.spec?.suspend === true;
}

/**
 * Replacement pods wait until the old pod has fully failed (not merely started terminating)
 * when podReplacementPolicy is Failed — which a podFailurePolicy implies, as it must judge
 * the old pod's final state.
 */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || !!job.spec?.podFailurePolicy;
}
