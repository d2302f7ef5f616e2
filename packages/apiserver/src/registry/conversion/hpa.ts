// HorizontalPodAutoscaler between autoscaling/v1 and autoscaling/v2 (the storage version), as
// Kubernetes 1.32 converts it (pkg/apis/autoscaling/v1/conversion.go). v1 knows one CPU
// utilization target; whatever else a v2 object holds — other metrics, current metrics,
// conditions, behavior — rides in v1 as JSON annotations, and comes back out of them when a v1
// object is written, so a v1 client that reads, edits and writes back loses nothing.
import type { JsonObject, JsonValue, KubeObject, ObjectMeta } from '@k8ts/api';
import { isJsonObject } from '@k8ts/api';
import type { ResourceConverter } from './converter.ts';
import {
  behaviorFromAnnotation,
  behaviorToAnnotation,
  metricSpecFromV1,
  metricSpecToV1,
  metricStatusFromV1,
  metricStatusToV1,
} from './hpa-metrics.ts';
import { compact, objectField, parseJson, present } from './json-fields.ts';

export const METRIC_SPECS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const METRIC_STATUSES_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
const ROUND_TRIP_ANNOTATIONS = [METRIC_SPECS_ANNOTATION, METRIC_STATUSES_ANNOTATION, CONDITIONS_ANNOTATION, BEHAVIOR_ANNOTATION];

/** What v1 implied before v2 made it explicit: an HPA that names no metric aims at 80% CPU. */
const DEFAULT_CPU_UTILIZATION = 80;
const KIND = 'HorizontalPodAutoscaler';

export const horizontalPodAutoscalerConverter: ResourceConverter = {
  storageVersion: 'v2',
  toStorage: (object, version) => (version === 'v1' ? v1ToV2(object) : asV2(object)),
  fromStorage: (object, version) => (version === 'v1' ? v2ToV1(asV2(object)) : asV2(object)),
};

/**
 * A v2 object (or one stored as v1 before conversion existed) as v2. v2 has a field for
 * everything, so the round-trip annotations are never kept: a v2 write that carries them drops them.
 */
function asV2(object: KubeObject): KubeObject {
  if (object.apiVersion === 'autoscaling/v1') return v1ToV2(object);
  const annotations = withoutRoundTripAnnotations(object.metadata?.annotations);
  if (annotations === object.metadata?.annotations) return object;
  return { ...object, metadata: withAnnotations(object.metadata, annotations) };
}

/** A v1 HorizontalPodAutoscaler as v2. */
export function v1ToV2(hpa: KubeObject): KubeObject {
  const spec = objectField(hpa.spec);
  const status = objectField(hpa.status);
  const annotations = hpa.metadata?.annotations ?? {};

  // The annotation's metrics first, then the CPU target of the v1 field.
  const metrics = (objectList(annotations[METRIC_SPECS_ANNOTATION]) ?? []).map(metricSpecFromV1);
  if (present(spec.targetCPUUtilizationPercentage)) metrics.push(cpuUtilizationMetric(spec.targetCPUUtilizationPercentage));
  if (metrics.length === 0) metrics.push(cpuUtilizationMetric(DEFAULT_CPU_UTILIZATION));

  // The annotation's current metrics have more to say than the CPU field, so they win.
  const annotatedCurrent = objectList(annotations[METRIC_STATUSES_ANNOTATION]);
  const currentMetrics = annotatedCurrent
    ? annotatedCurrent.map(metricStatusFromV1)
    : present(status.currentCPUUtilizationPercentage)
      ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }]
      : undefined;
  const conditions = objectList(annotations[CONDITIONS_ANNOTATION])?.map(v1Condition);
  const behaviorText = annotations[BEHAVIOR_ANNOTATION];
  const behavior = behaviorText === undefined ? undefined : behaviorFromAnnotation(behaviorText);

  const v2Status = compact({
    observedGeneration: status.observedGeneration,
    lastScaleTime: status.lastScaleTime,
    currentReplicas: status.currentReplicas,
    desiredReplicas: status.desiredReplicas,
    currentMetrics,
    conditions,
  });
  return structuredClone({
    apiVersion: 'autoscaling/v2',
    kind: KIND,
    metadata: withAnnotations(hpa.metadata, withoutRoundTripAnnotations(hpa.metadata?.annotations)),
    spec: compact({ scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas, metrics, behavior }),
    ...(hpa.status !== undefined || Object.keys(v2Status).length > 0 ? { status: v2Status } : {}),
  });
}

/** A v2 HorizontalPodAutoscaler as v1. */
export function v2ToV1(hpa: KubeObject): KubeObject {
  const spec = objectField(hpa.spec);
  const status = objectField(hpa.status);
  const metrics = objectList(spec.metrics) ?? [];
  const currentMetrics = objectList(status.currentMetrics) ?? [];
  const conditions = objectList(status.conditions) ?? [];

  // The first CPU resource metric is v1's target, if it is a utilization.
  const cpuTarget = objectField(objectField(metrics.find(isCpuResource)?.resource).target).averageUtilization;
  // Every metric but a CPU utilization target goes to the annotation.
  const otherMetrics = metrics.filter((m) => !(isCpuResource(m) && present(objectField(objectField(m.resource).target).averageUtilization)));
  // The last CPU utilization measured is v1's current value.
  let currentCpu: JsonValue | undefined;
  for (const metric of currentMetrics) {
    const utilization = isCpuResource(metric) ? objectField(objectField(metric.resource).current).averageUtilization : undefined;
    if (present(utilization)) currentCpu = utilization;
  }

  const annotations = { ...withoutRoundTripAnnotations(hpa.metadata?.annotations) };
  if (otherMetrics.length > 0) annotations[METRIC_SPECS_ANNOTATION] = JSON.stringify(otherMetrics.map(metricSpecToV1));
  // All of them, the CPU one too: the annotation keeps its raw value as well.
  if (currentMetrics.length > 0) annotations[METRIC_STATUSES_ANNOTATION] = JSON.stringify(currentMetrics.map(metricStatusToV1));
  if (conditions.length > 0) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(conditions.map(v1Condition));
  if (isJsonObject(spec.behavior)) annotations[BEHAVIOR_ANNOTATION] = behaviorToAnnotation(spec.behavior);

  return structuredClone({
    apiVersion: 'autoscaling/v1',
    kind: KIND,
    metadata: withAnnotations(hpa.metadata, Object.keys(annotations).length > 0 ? annotations : undefined),
    spec: compact({
      scaleTargetRef: spec.scaleTargetRef ?? { kind: '', name: '' },
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas ?? 0,
      targetCPUUtilizationPercentage: cpuTarget,
    }),
    // v1's status is a struct, not a pointer: always there, its replica counts too.
    status: compact({
      observedGeneration: status.observedGeneration,
      lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas ?? 0,
      desiredReplicas: status.desiredReplicas ?? 0,
      currentCPUUtilizationPercentage: currentCpu,
    }),
  });
}

function cpuUtilizationMetric(utilization: JsonValue): JsonObject {
  return { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: utilization } } };
}

function isCpuResource(metric: JsonObject): boolean {
  return metric.type === 'Resource' && isJsonObject(metric.resource) && metric.resource.name === 'cpu';
}

/** A condition's fields in the order v1 (and v2) declare them. */
function v1Condition(condition: JsonObject): JsonObject {
  const { type, status, lastTransitionTime, reason, message } = condition;
  return compact({ type, status, lastTransitionTime, reason, message });
}

/** `annotations` without the round-trip ones; the same object when it has none of them. */
function withoutRoundTripAnnotations(annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!annotations || !ROUND_TRIP_ANNOTATIONS.some((key) => key in annotations)) return annotations;
  const kept = Object.fromEntries(Object.entries(annotations).filter(([key]) => !ROUND_TRIP_ANNOTATIONS.includes(key)));
  return Object.keys(kept).length > 0 ? kept : undefined;
}

function withAnnotations(metadata: ObjectMeta | undefined, annotations: Record<string, string> | undefined): ObjectMeta {
  const { annotations: _old, ...rest } = metadata ?? {};
  return annotations ? { ...rest, annotations } : rest;
}

/** The objects of a JSON list annotation; undefined when it is absent or not such a list. */
function objectList(value: JsonValue | undefined): JsonObject[] | undefined {
  const list = typeof value === 'string' ? parseJson(value) : value;
  if (!Array.isArray(list) || !list.every(isJsonObject)) return undefined;
  return list as JsonObject[];
}
