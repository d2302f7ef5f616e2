// The autoscaling/v2 HorizontalPodAutoscaler as the controller reads and writes it (JSON names,
// optional where the API omits them), and the metrics.k8s.io/v1beta1 PodMetrics it measures
// with. v2 is the version the controller works in: the apiserver serves v1 objects converted.
import type { KubeObject } from '@k8ts/api';
import type { ConditionStatus } from '../../controller/workload-types.ts';

export const HPA_KIND = { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' };

export type Quantity = string | number;

export interface CrossVersionObjectReference {
  kind: string;
  name: string;
  apiVersion?: string;
}

export interface MetricTarget {
  type: 'Utilization' | 'Value' | 'AverageValue' | string;
  value?: Quantity;
  averageValue?: Quantity;
  averageUtilization?: number;
}

export interface MetricValueStatus {
  value?: Quantity;
  averageValue?: Quantity;
  averageUtilization?: number;
}

export interface ResourceMetricSource {
  name: string;
  target: MetricTarget;
}

export interface ContainerResourceMetricSource extends ResourceMetricSource {
  container: string;
}

export interface MetricSpec {
  type: 'Resource' | 'ContainerResource' | 'Pods' | 'Object' | 'External' | string;
  resource?: ResourceMetricSource;
  containerResource?: ContainerResourceMetricSource;
  pods?: { metric: { name: string }; target: MetricTarget };
  object?: { metric: { name: string }; describedObject: CrossVersionObjectReference; target: MetricTarget };
  external?: { metric: { name: string }; target: MetricTarget };
}

export interface MetricStatus {
  type: string;
  resource?: { name: string; current: MetricValueStatus };
  containerResource?: { name: string; container: string; current: MetricValueStatus };
}

export type ScalingPolicyType = 'Pods' | 'Percent';
export type ScalingPolicySelect = 'Max' | 'Min' | 'Disabled';

export interface HPAScalingPolicy {
  type: ScalingPolicyType;
  value: number;
  periodSeconds: number;
}

export interface HPAScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: ScalingPolicySelect;
  policies?: HPAScalingPolicy[];
}

export interface HorizontalPodAutoscalerBehavior {
  scaleUp?: HPAScalingRules;
  scaleDown?: HPAScalingRules;
}

export type HPAConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

export interface HorizontalPodAutoscalerCondition {
  type: HPAConditionType;
  status: ConditionStatus;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface HorizontalPodAutoscalerStatus {
  observedGeneration?: number;
  lastScaleTime?: string;
  currentReplicas?: number;
  desiredReplicas: number;
  currentMetrics?: MetricStatus[];
  conditions?: HorizontalPodAutoscalerCondition[];
}

export interface HorizontalPodAutoscaler extends KubeObject {
  spec: {
    scaleTargetRef: CrossVersionObjectReference;
    minReplicas?: number;
    maxReplicas: number;
    metrics?: MetricSpec[];
    behavior?: HorizontalPodAutoscalerBehavior;
  };
  status?: HorizontalPodAutoscalerStatus;
}

/** metrics.k8s.io/v1beta1 PodMetrics, as metrics-server serves it. */
export interface PodMetrics extends KubeObject {
  timestamp: string;
  window: string;
  containers: { name: string; usage: Record<string, Quantity> }[];
}

/** One pod's measured usage of a resource, in milli-units (millicores, milli-bytes). */
export interface PodMetric {
  /** when it was sampled (ms since the epoch) */
  timestamp: number;
  /** the window the sample averages over (ms) */
  windowMs: number;
  value: number;
}

/** Usage by pod name. */
export type PodMetricsInfo = Map<string, PodMetric>;
