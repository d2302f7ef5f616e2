import { describe, expect, it } from 'vitest';
import type { Pod } from '../framework/types.ts';
import { preemptionDisruptionPatch, schedulingFailurePatch, truncateMessage } from './pod-status.ts';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

function pod(status: Pod['status'] = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u1' }, spec: { containers: [] }, status };
}

describe('schedulingFailurePatch', () => {
  it('sets PodScheduled=False with the reason and message', () => {
    expect(schedulingFailurePatch(pod(), 'Unschedulable', '0/1 nodes are available: 1 Insufficient cpu.', {}, NOW)).toEqual({
      metadata: { uid: 'u1' },
      status: {
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu.', lastTransitionTime: '2025-01-01T12:00:00Z' }],
      },
    });
  });

  it('writes nothing when the pod already says the same', () => {
    const failed = pod({ conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'same' }] });
    expect(schedulingFailurePatch(failed, 'Unschedulable', 'same', {}, NOW)).toBeUndefined();
    expect(schedulingFailurePatch(failed, 'Unschedulable', 'same', { nominatedNodeName: 'n1' }, NOW)?.status).toMatchObject({ nominatedNodeName: 'n1' });
  });

  it('keeps the transition time while the status stays False', () => {
    const failed = pod({ conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'old', lastTransitionTime: '2024-12-31T00:00:00Z' } as never] });
    const patch = schedulingFailurePatch(failed, 'Unschedulable', 'new', {}, NOW) as { status: { conditions: { lastTransitionTime: string }[] } };
    expect(patch.status.conditions[0]!.lastTransitionTime).toBe('2024-12-31T00:00:00Z');
  });

  it('clears a nomination with null', () => {
    const nominated = pod({ nominatedNodeName: 'n1' });
    expect(schedulingFailurePatch(nominated, 'SchedulerError', 'x', { nominatedNodeName: '' }, NOW)?.status).toMatchObject({ nominatedNodeName: null });
  });
});

describe('truncateMessage', () => {
  it('cuts messages longer than 1024 characters, ending them with " ..."', () => {
    expect(truncateMessage('short')).toBe('short');
    const long = truncateMessage('x'.repeat(2000));
    expect(long).toHaveLength(1024);
    expect(long.endsWith('x ...')).toBe(true);
  });
});

describe('preemptionDisruptionPatch', () => {
  it('marks the victim as a disruption target of the scheduler', () => {
    expect(preemptionDisruptionPatch(pod(), 'default-scheduler', NOW)).toEqual({
      metadata: { uid: 'u1' },
      status: {
        conditions: [
          {
            type: 'DisruptionTarget',
            status: 'True',
            reason: 'PreemptionByScheduler',
            message: 'default-scheduler: preempting to accommodate a higher priority pod',
            lastTransitionTime: '2025-01-01T12:00:00Z',
          },
        ],
      },
    });
  });
});
