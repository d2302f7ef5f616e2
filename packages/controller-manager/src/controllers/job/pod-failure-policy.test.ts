import { describe, expect, it } from 'vitest';
import type { Pod } from '../../controller/workload-types.ts';
import type { PodFailurePolicy } from './job-types.ts';
import { matchPodFailurePolicy } from './pod-failure-policy.ts';

function failedPod(exitCodes: Record<string, number>, conditions: { type: string; status: 'True' | 'False' }[] = []): Pod {
  return {
    metadata: { name: 'pi-abcde', namespace: 'default' },
    status: {
      phase: 'Failed',
      conditions,
      containerStatuses: Object.entries(exitCodes).map(([name, exitCode]) => ({ name, state: { terminated: { exitCode } } })),
    },
  };
}

const policy: PodFailurePolicy = {
  rules: [
    { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
    { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    { action: 'Count', onExitCodes: { operator: 'NotIn', values: [1, 2] } },
  ],
};

describe('podFailurePolicy', () => {
  it('fails the Job for a matching exit code, with Kubernetes’ message', () => {
    expect(matchPodFailurePolicy(policy, failedPod({ main: 42 }))).toEqual({
      failJobMessage: 'Container main for pod default/pi-abcde failed with exit code 42 matching FailJob rule at index 0',
      countFailed: true,
      action: 'FailJob',
    });
  });

  it('does not count a disrupted pod, and counts what no rule matches', () => {
    expect(matchPodFailurePolicy(policy, failedPod({ main: 1 }, [{ type: 'DisruptionTarget', status: 'True' }]))).toEqual({ countFailed: false, action: 'Ignore' });
    expect(matchPodFailurePolicy(policy, failedPod({ main: 7 }))).toEqual({ countFailed: true, action: 'Count' });
    expect(matchPodFailurePolicy(policy, failedPod({ main: 1 }))).toEqual({ countFailed: true });
    expect(matchPodFailurePolicy(undefined, failedPod({ main: 42 }))).toEqual({ countFailed: true });
  });

  it('matches only the named container, and never an exit code of 0', () => {
    expect(matchPodFailurePolicy(policy, failedPod({ sidecar: 42, main: 0 })).action).toBe('Count');
    const conditionRule: PodFailurePolicy = { rules: [{ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget' }] }] };
    expect(matchPodFailurePolicy(conditionRule, failedPod({ main: 0 }, [{ type: 'DisruptionTarget', status: 'True' }])).failJobMessage).toBe(
      'Pod default/pi-abcde has condition DisruptionTarget matching FailJob rule at index 0',
    );
  });
});
