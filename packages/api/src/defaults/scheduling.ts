// scheduling.k8s.io/v1 defaults (k8s.io/kubernetes pkg/apis/scheduling/v1 defaults.go).
import { defaultPointer } from './fields.ts';
import type { KindDefaulters } from './kinds.ts';

export const schedulingV1Defaulters: KindDefaulters = {
  // Pods of a priority class may preempt lower-priority pods unless the class says Never.
  PriorityClass: (priorityClass) => defaultPointer(priorityClass, 'preemptionPolicy', 'PreemptLowerPriority'),
};
