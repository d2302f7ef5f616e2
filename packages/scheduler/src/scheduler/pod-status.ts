// What the scheduler writes back when a pod could not be scheduled: its PodScheduled condition
// (False, reason Unschedulable or SchedulerError, the FailedScheduling message) and, after a
// preemption, status.nominatedNodeName — as a strategic merge patch of pods/<name>/status,
// skipped when nothing would change (kube-scheduler's updatePod).
import type { JsonObject } from '@k8ts/api';
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import type { Pod } from '../framework/types.ts';

/** v1.PodReasonUnschedulable: no node fits; v1.PodReasonSchedulerError: the attempt failed. */
export type SchedulingFailureReason = 'Unschedulable' | 'SchedulerError';

/** Events and conditions carry at most this much of a message (truncateMessage). */
const MAX_MESSAGE_LENGTH = 1024;

export function truncateMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_LENGTH) return message;
  const suffix = ' ...';
  return message.slice(0, MAX_MESSAGE_LENGTH - suffix.length) + suffix;
}

interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface Nomination {
  /** set: nominate the pod to this node; '' clears the nomination; undefined leaves it */
  nominatedNodeName?: string;
}

/**
 * The patch recording the failure on `pod` at `nowMs`, or undefined when the pod already says
 * exactly that. The transition time moves only when the condition's status changes.
 */
export function schedulingFailurePatch(pod: Pod, reason: SchedulingFailureReason, message: string, nomination: Nomination, nowMs: number): JsonObject | undefined {
  const conditions = (pod.status?.conditions ?? []) as PodCondition[];
  const current = conditions.find((c) => c.type === 'PodScheduled');
  const conditionUnchanged = current !== undefined && current.status === 'False' && current.reason === reason && current.message === message;
  const currentNomination = pod.status?.nominatedNodeName ?? '';
  const nominationUnchanged = nomination.nominatedNodeName === undefined || nomination.nominatedNodeName === currentNomination;
  if (conditionUnchanged && nominationUnchanged) return undefined;
  const lastTransitionTime = current && current.status === 'False' && current.lastTransitionTime ? current.lastTransitionTime : formatRfc3339(Math.floor(nowMs / 1000));
  const status: JsonObject = {
    conditions: [{ type: 'PodScheduled', status: 'False', reason, message, lastTransitionTime }],
  };
  if (!nominationUnchanged) status.nominatedNodeName = nomination.nominatedNodeName === '' ? null : nomination.nominatedNodeName!;
  // The uid guards against patching a pod of the same name created since.
  return { metadata: { uid: pod.metadata.uid ?? null }, status };
}

/** The condition kube-scheduler adds to a victim before deleting it (DisruptionTarget). */
export function preemptionDisruptionPatch(victim: Pod, schedulerName: string, nowMs: number): JsonObject {
  return {
    metadata: { uid: victim.metadata.uid ?? null },
    status: {
      conditions: [
        {
          type: 'DisruptionTarget',
          status: 'True',
          reason: 'PreemptionByScheduler',
          message: `${schedulerName}: preempting to accommodate a higher priority pod`,
          lastTransitionTime: formatRfc3339(Math.floor(nowMs / 1000)),
        },
      ],
    },
  };
}
