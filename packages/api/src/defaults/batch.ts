// batch/v1 defaults (k8s.io/kubernetes pkg/apis/batch/v1 defaults.go). Selector generation
// (manualSelector false ⇒ a controller-uid selector) is the Job strategy's work, not defaulting.
import { child, children, defaultPointer, defaultString, descend, ensureChild, isEmpty, isNil, type Fields } from './fields.ts';
import type { KindDefaulters } from './kinds.ts';
import { defaultPodTemplate } from './pod.ts';

/** Retries before a Job fails. */
const DEFAULT_BACKOFF_LIMIT = 6;
/** With per-index backoff the global limit is effectively off (math.MaxInt32). */
const UNLIMITED_BACKOFF = 2147483647;

export const batchV1Defaulters: KindDefaulters = {
  Job: defaultJob,
  CronJob: defaultCronJob,
};

function defaultJob(job: Fields): void {
  const spec = ensureChild(job, 'spec');
  // A Job that says neither is a single pod run once.
  if (isNil(spec.completions) && isNil(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  defaultPointer(spec, 'parallelism', 1);
  defaultPointer(spec, 'backoffLimit', isNil(spec.backoffLimitPerIndex) ? DEFAULT_BACKOFF_LIMIT : UNLIMITED_BACKOFF);
  const template = ensureChild(spec, 'template');
  const templateLabels = descend(template, 'metadata', 'labels');
  const metadata = ensureChild(job, 'metadata');
  // A Job without labels of its own is labelled like its pods, so label selectors find both.
  if (templateLabels && !isEmpty(templateLabels) && isEmpty(metadata.labels)) {
    metadata.labels = structuredClone(templateLabels);
  }
  defaultPointer(spec, 'completionMode', 'NonIndexed');
  defaultPointer(spec, 'suspend', false);
  const podFailurePolicy = child(spec, 'podFailurePolicy');
  for (const rule of podFailurePolicy ? children(podFailurePolicy, 'rules') : []) {
    for (const pattern of children(rule, 'onPodConditions')) defaultString(pattern, 'status', 'True');
  }
  // Replacement pods wait for the old pod to be gone when a failure policy must judge it.
  defaultPointer(spec, 'podReplacementPolicy', podFailurePolicy ? 'Failed' : 'TerminatingOrFailed');
  defaultPointer(spec, 'manualSelector', false);
  defaultPodTemplate(template);
}

function defaultCronJob(cronJob: Fields): void {
  const spec = ensureChild(cronJob, 'spec');
  defaultString(spec, 'concurrencyPolicy', 'Allow');
  defaultPointer(spec, 'suspend', false);
  defaultPointer(spec, 'successfulJobsHistoryLimit', 3);
  defaultPointer(spec, 'failedJobsHistoryLimit', 1);
  // The job template gets pod defaults only: its Job defaults are applied when a Job is created from it.
  const jobSpec = ensureChild(ensureChild(spec, 'jobTemplate'), 'spec');
  defaultPodTemplate(ensureChild(jobSpec, 'template'));
}
