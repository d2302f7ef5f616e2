// spec.podFailurePolicy: rules, tried in order, that decide what a failed pod means for its Job
// by its containers' exit codes or its conditions (DisruptionTarget when it was evicted or
// preempted). FailJob fails the whole Job at once, Ignore does not count the failure against
// backoffLimit, Count counts it as usual (as does a failure no rule matches), FailIndex fails
// the pod's index (with backoffLimitPerIndex).
import type { ContainerStatus, Pod } from '../../controller/workload-types.ts';
import type { PodFailurePolicy, PodFailurePolicyAction, PodFailurePolicyRule } from './job-types.ts';

export interface PodFailurePolicyMatch {
  /** the Job's failure message, for a FailJob rule */
  failJobMessage?: string;
  /** whether the failure counts against backoffLimit */
  countFailed: boolean;
  /** the action of the rule that matched, if any */
  action?: PodFailurePolicyAction;
}

interface Terminated {
  exitCode?: number;
}

function terminatedOf(status: ContainerStatus): Terminated | undefined {
  return (status.state as { terminated?: Terminated } | undefined)?.terminated;
}

/** The first container (then init container) that exited non-zero with a code the rule names. */
function matchExitCodes(pod: Pod, requirement: NonNullable<PodFailurePolicyRule['onExitCodes']>): ContainerStatus | undefined {
  const lists = [pod.status?.containerStatuses ?? [], (pod.status?.initContainerStatuses as ContainerStatus[] | undefined) ?? []];
  for (const statuses of lists) {
    for (const status of statuses) {
      const terminated = terminatedOf(status);
      // Still terminating: no exit code to judge yet.
      if (!terminated) continue;
      if (requirement.containerName && requirement.containerName !== status.name) continue;
      const code = terminated.exitCode ?? 0;
      if (code === 0) continue;
      const listed = requirement.values.includes(code);
      if (requirement.operator === 'In' ? listed : !listed) return status;
    }
  }
  return undefined;
}

function matchConditions(pod: Pod, patterns: NonNullable<PodFailurePolicyRule['onPodConditions']>): string | undefined {
  for (const condition of pod.status?.conditions ?? []) {
    if (patterns.some((p) => p.type === condition.type && (p.status ?? 'True') === condition.status)) return condition.type;
  }
  return undefined;
}

/** matchPodFailurePolicy: what the first matching rule says about this failed pod. */
export function matchPodFailurePolicy(policy: PodFailurePolicy | null | undefined, pod: Pod): PodFailurePolicyMatch {
  if (!policy) return { countFailed: true };
  const { namespace = '', name = '' } = pod.metadata;
  for (const [index, rule] of policy.rules.entries()) {
    let failJobMessage: string | undefined;
    if (rule.onExitCodes) {
      const status = matchExitCodes(pod, rule.onExitCodes);
      if (!status) continue;
      failJobMessage = `Container ${status.name} for pod ${namespace}/${name} failed with exit code ${terminatedOf(status)?.exitCode ?? 0} matching FailJob rule at index ${index}`;
    } else if (rule.onPodConditions) {
      const type = matchConditions(pod, rule.onPodConditions);
      if (type === undefined) continue;
      failJobMessage = `Pod ${namespace}/${name} has condition ${type} matching FailJob rule at index ${index}`;
    } else {
      continue;
    }
    switch (rule.action) {
      case 'Ignore':
        return { countFailed: false, action: 'Ignore' };
      case 'Count':
        return { countFailed: true, action: 'Count' };
      case 'FailJob':
        return { failJobMessage, countFailed: true, action: 'FailJob' };
      case 'FailIndex':
        // Validation allows it only with backoffLimitPerIndex.
        return { countFailed: true, action: 'FailIndex' };
    }
  }
  return { countFailed: true };
}
