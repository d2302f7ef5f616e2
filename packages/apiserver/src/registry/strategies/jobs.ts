// Jobs: unless spec.manualSelector is true, the apiserver chooses the Job's selector itself —
// the Job's uid as a label — so a Job can only ever match the pods it created (Kubernetes'
// job strategy, generateSelector). Validation then checks the selector matches the template.
import type { KubeObject } from '@k8ts/api';
import type { ResourceStrategy } from '../strategy.ts';

/** Labels the apiserver puts on a Job's pod template; the legacy unprefixed ones are still written. */
const JOB_NAME_LABELS = ['job-name', 'batch.kubernetes.io/job-name'] as const;
const CONTROLLER_UID_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'] as const;
const SELECTOR_LABEL = 'batch.kubernetes.io/controller-uid';

interface JobSpec {
  manualSelector?: boolean;
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  template?: { metadata?: { labels?: Record<string, string> } };
}

/**
 * Adds the job-name and controller-uid labels to the template (keeping any the user set, which
 * validation then judges) and selects on the controller uid. Needs metadata.name and uid set.
 */
export function generateJobSelector(job: KubeObject): void {
  const spec = (job.spec ??= {}) as JobSpec;
  if (spec.manualSelector === true) return;
  const template = (spec.template ??= {});
  const templateMeta = (template.metadata ??= {});
  const labels = (templateMeta.labels ??= {});
  for (const key of JOB_NAME_LABELS) labels[key] ??= job.metadata.name ?? '';
  for (const key of CONTROLLER_UID_LABELS) labels[key] ??= job.metadata.uid ?? '';
  const selector = (spec.selector ??= {});
  const matchLabels = (selector.matchLabels ??= {});
  matchLabels[SELECTOR_LABEL] ??= job.metadata.uid ?? '';
  // Kubernetes defaults a Job's own labels from its template's on every read, which by then
  // carry the generated labels: a Job without labels shows (and is selectable by) the same ones.
  if (Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = { ...labels };
}

export const jobStrategy: ResourceStrategy = {
  prepareForCreate(job) {
    job.status = {};
    generateJobSelector(job);
  },
};
