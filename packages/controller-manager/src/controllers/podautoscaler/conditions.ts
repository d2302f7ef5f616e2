// HPA status conditions (AbleToScale, ScalingActive, ScalingLimited): set in place, keeping
// each condition's position and moving lastTransitionTime only when its status changes.
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import type { HorizontalPodAutoscaler, HPAConditionType } from './types.ts';

export function setCondition(
  hpa: HorizontalPodAutoscaler,
  type: HPAConditionType,
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: number,
): void {
  const conditions = ((hpa.status ??= { desiredReplicas: 0 }).conditions ??= []);
  let condition = conditions.find((c) => c.type === type);
  if (!condition) conditions.push((condition = { type, status }));
  else if (condition.status === status) {
    condition.reason = reason;
    condition.message = message;
    return;
  }
  condition.status = status;
  condition.lastTransitionTime = formatRfc3339(Math.floor(now / 1000));
  condition.reason = reason;
  condition.message = message;
}
