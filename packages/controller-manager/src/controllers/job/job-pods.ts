// How the Job controller reads its pods: which count as failed or terminating, which still
// carry the tracking finalizer, which to give up first, and the pod it stamps from the Job's
// template (tracking finalizer; for Indexed Jobs the index as annotation, label, hostname and
// JOB_COMPLETION_INDEX environment variable).
import type { JsonObject } from '@k8ts/api';
import { isPodReady, sortForDeletion } from '../../controller/controller-utils.ts';
import type { ContainerStatus, Pod, PodTemplateSpec } from '../../controller/workload-types.ts';
import { splitSurplusIndexPods } from './indexes.ts';
import {
  isIndexedJob,
  JOB_COMPLETION_INDEX_ANNOTATION,
  JOB_COMPLETION_INDEX_ENV,
  JOB_COMPLETION_INDEX_LABEL,
  JOB_TRACKING_FINALIZER,
  onlyReplaceFailedPods,
  type Job,
} from './job-types.ts';

export function hasTrackingFinalizer(pod: Pod): boolean {
  return pod.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Being deleted but not yet finished: its replacement may have to wait for it. */
export function isPodTerminating(pod: Pod): boolean {
  return !isTerminal(pod) && !!pod.metadata.deletionTimestamp;
}

/**
 * isPodFailed: Failed — or, unless the Job replaces only failed pods, deleted before it
 * succeeded (such a pod may never reach the Failed phase, e.g. when its node is gone).
 */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

export function countReady(pods: readonly Pod[]): number {
  return pods.filter(isPodReady).length;
}

export function countTerminating(pods: readonly Pod[]): number {
  return pods.filter(isPodTerminating).length;
}

/**
 * The strategic merge patch that removes the tracking finalizer (keyed to the pod's uid, so it
 * cannot land on a new pod of the same name); undefined when the pod has none.
 */
export function removeTrackingFinalizerPatch(pod: Pod): JsonObject | undefined {
  if (!hasTrackingFinalizer(pod)) return undefined;
  return { metadata: { '$deleteFromPrimitiveList/finalizers': [JOB_TRACKING_FINALIZER], uid: pod.metadata.uid ?? '' } };
}

/**
 * pastBackoffLimitOnFailure: with restartPolicy OnFailure failed containers restart in place
 * instead of failing the pod, so their restarts count against backoffLimit instead.
 */
export function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const pod of pods) {
    if (pod.status?.phase !== 'Running' && pod.status?.phase !== 'Pending') continue;
    const statuses = [...((pod.status.initContainerStatuses as ContainerStatus[] | undefined) ?? []), ...(pod.status.containerStatuses ?? [])];
    for (const status of statuses) restarts += status.restartCount ?? 0;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/**
 * activePodsForRemoval: at least `atLeast` active pods to delete — for an Indexed Job first
 * those with a bad or repeated index — in the order the ReplicaSet controller would give them up.
 */
export function activePodsForRemoval(job: Job, active: readonly Pod[], atLeast: number): Pod[] {
  let remove: Pod[] = [];
  let left: Pod[] = [...active];
  if (isIndexedJob(job)) ({ remove, keep: left } = splitSurplusIndexPods(active, job.spec?.completions ?? 0));
  if (remove.length < atLeast) {
    remove = [...remove, ...sortForDeletion(left.map((pod) => ({ pod, rank: 0 }))).slice(0, atLeast - remove.length)];
  }
  return remove;
}

/**
 * The template the Job's pods are made from: the tracking finalizer added, and for Indexed
 * Jobs every container told its index through JOB_COMPLETION_INDEX.
 */
export function jobPodTemplate(job: Job): PodTemplateSpec {
  const template = structuredClone(job.spec?.template ?? {});
  const metadata = (template.metadata ??= {});
  if (!metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)) metadata.finalizers = [...(metadata.finalizers ?? []), JOB_TRACKING_FINALIZER];
  if (isIndexedJob(job)) {
    const spec = (template.spec ??= {});
    for (const field of ['initContainers', 'containers']) {
      for (const container of (spec[field] as { env?: { name: string }[] }[] | undefined) ?? []) addCompletionIndexEnv(container);
    }
  }
  return template;
}

function addCompletionIndexEnv(container: { env?: JsonObject[] | { name: string }[] }): void {
  const env = (container.env ?? []) as JsonObject[];
  if (env.some((v) => v.name === JOB_COMPLETION_INDEX_ENV)) return;
  container.env = [
    ...env,
    { name: JOB_COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${JOB_COMPLETION_INDEX_LABEL}']` } } },
  ];
}

/** The template for the pod running `index` of an Indexed Job: annotation, label and hostname "<job>-<index>". */
export function indexedPodTemplate(template: PodTemplateSpec, jobName: string, index: number): PodTemplateSpec {
  const copy = structuredClone(template);
  const metadata = (copy.metadata ??= {});
  metadata.annotations = { ...metadata.annotations, [JOB_COMPLETION_INDEX_ANNOTATION]: String(index) };
  metadata.labels = { ...metadata.labels, [JOB_COMPLETION_INDEX_LABEL]: String(index) };
  (copy.spec ??= {}).hostname = `${jobName}-${index}`;
  return copy;
}
