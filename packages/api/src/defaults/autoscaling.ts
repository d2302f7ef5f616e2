// autoscaling/v1 and autoscaling/v2 defaults (k8s.io/kubernetes pkg/apis/autoscaling/{v1,v2}).
import type { JsonObject } from '../object.ts';
import { child, defaultPointer, ensureChild, isEmpty, isNil, type Fields } from './fields.ts';
import type { KindDefaulters } from './kinds.ts';

/** The CPU utilization an HPA aims for when it names no metric. */
const DEFAULT_CPU_UTILIZATION = 80;

export const autoscalingV1Defaulters: KindDefaulters = {
  HorizontalPodAutoscaler: (hpa) => defaultPointer(ensureChild(hpa, 'spec'), 'minReplicas', 1),
};

export const autoscalingV2Defaulters: KindDefaulters = {
  HorizontalPodAutoscaler: defaultHorizontalPodAutoscalerV2,
};

function defaultHorizontalPodAutoscalerV2(hpa: Fields): void {
  const spec = ensureChild(hpa, 'spec');
  defaultPointer(spec, 'minReplicas', 1);
  if (isEmpty(spec.metrics)) {
    spec.metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } },
      },
    ];
  }
  // A behavior that is given at all is completed rule by rule with the pre-behavior HPA's tempo.
  const behavior = child(spec, 'behavior');
  if (behavior) {
    behavior.scaleUp = withDefaults(child(behavior, 'scaleUp'), defaultScaleUpRules());
    behavior.scaleDown = withDefaults(child(behavior, 'scaleDown'), defaultScaleDownRules());
  }
}

/** Scale up immediately, by at most 4 pods or 100% (whichever is more) every 15 seconds. */
function defaultScaleUpRules(): JsonObject {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

/**
 * Scale down by up to 100% every 15 seconds. The stabilization window stays unset: the
 * controller-manager's --horizontal-pod-autoscaler-downscale-stabilization flag supplies it.
 */
function defaultScaleDownRules(): JsonObject {
  return { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
}

/** The defaults with every field the user did set (non-nil) taken from the user's rules. */
function withDefaults(given: JsonObject | undefined, defaults: JsonObject): JsonObject {
  for (const key of ['selectPolicy', 'stabilizationWindowSeconds', 'policies']) {
    const value = given?.[key];
    if (!isNil(value)) defaults[key] = value;
  }
  return defaults;
}
