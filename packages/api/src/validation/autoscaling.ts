// HorizontalPodAutoscalers (autoscaling/v1 and v2; pkg/apis/autoscaling/validation). v1 objects are
// checked in the internal (v2) shape: targetCPUUtilizationPercentage is metrics[0]'s utilization.
import type { JsonObject } from '../object.ts';
import type { FieldError } from './field-error.ts';
import { FieldPath, forbidden, invalid, invalidEach, notSupported, required } from './field-error.ts';
import { go } from './go-format.ts';
import type { Json } from './json.ts';
import { listAt, objectAt, optionalNumber, optionalObject, optionalString, stringAt } from './json.ts';
import { isDNS1123Label, isValidPathSegmentName, nameIsDNSSubdomain } from './names.ts';
import { goQuantity, sign } from './quantity.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { quantityAt, validateContainerResourceName } from './core/resources.ts';

const SPEC = FieldPath.root('spec');
const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW = 3600;

function validateCrossVersionObjectReference(ref: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const field of ['kind', 'name']) {
    const value = stringAt(ref[field]);
    if (value === '') errs.push(required(path.child(field)));
    else errs.push(...invalidEach(path.child(field), value, isValidPathSegmentName(value)));
  }
  return errs;
}

function validateMetricTarget(target: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = stringAt(target.type);
  if (type === '') errs.push(required(path.child('type'), 'must specify a metric target type'));
  if (!['Utilization', 'Value', 'AverageValue'].includes(type)) errs.push(invalid(path.child('type'), type, 'must be either Utilization, Value, or AverageValue'));
  for (const field of ['value', 'averageValue']) {
    const q = target[field] !== undefined && target[field] !== null ? quantityAt(target[field]) : undefined;
    if (q && sign(q) !== 1) errs.push(invalid(path.child(field), go(goQuantity(q)), 'must be positive'));
  }
  const utilization = optionalNumber(target.averageUtilization);
  if (utilization !== undefined && utilization < 1) errs.push(invalid(path.child('averageUtilization'), utilization, 'must be greater than 0'));
  return errs;
}

function validateMetricIdentifier(id: JsonObject, path: FieldPath): FieldError[] {
  const name = stringAt(id.name);
  if (name === '') return [required(path.child('name'), 'must specify a metric name')];
  return invalidEach(path.child('name'), name, isValidPathSegmentName(name));
}

const has = (target: JsonObject, field: string) => target[field] !== undefined && target[field] !== null;

function validateSource(kind: string, source: JsonObject, path: FieldPath): FieldError[] {
  const target = objectAt(source.target);
  const targetPath = path.child('target');
  const errs: FieldError[] = [];
  switch (kind) {
    case 'object':
      errs.push(...validateCrossVersionObjectReference(objectAt(source.describedObject), path.child('describedObject')));
      errs.push(...validateMetricIdentifier(objectAt(source.metric), path.child('metric')));
      errs.push(...validateMetricTarget(target, targetPath));
      if (!has(target, 'value') && !has(target, 'averageValue')) errs.push(required(targetPath.child('averageValue'), 'must set either a target value or averageValue'));
      break;
    case 'external':
      errs.push(...validateMetricIdentifier(objectAt(source.metric), path.child('metric')));
      errs.push(...validateMetricTarget(target, targetPath));
      if (!has(target, 'value') && !has(target, 'averageValue')) errs.push(required(targetPath.child('averageValue'), 'must set either a target value for metric or a per-pod target'));
      if (has(target, 'value') && has(target, 'averageValue')) errs.push(forbidden(targetPath.child('value'), 'may not set both a target value for metric and a per-pod target'));
      break;
    case 'pods':
      errs.push(...validateMetricIdentifier(objectAt(source.metric), path.child('metric')));
      errs.push(...validateMetricTarget(target, targetPath));
      if (!has(target, 'averageValue')) errs.push(required(targetPath.child('averageValue'), 'must specify a positive target averageValue'));
      break;
    case 'resource':
    case 'containerResource': {
      const name = stringAt(source.name);
      if (name === '') errs.push(required(path.child('name'), 'must specify a resource name'));
      else if (kind === 'containerResource') errs.push(...validateContainerResourceName(name, path.child('name')));
      if (kind === 'containerResource') {
        const container = stringAt(source.container);
        if (container === '') errs.push(required(path.child('container'), 'must specify a container'));
        else errs.push(...invalidEach(path.child('container'), container, isDNS1123Label(container)));
      }
      errs.push(...validateMetricTarget(target, targetPath));
      if (!has(target, 'averageUtilization') && !has(target, 'averageValue')) {
        errs.push(required(targetPath.child('averageUtilization'), 'must set either a target raw value or a target utilization'));
      }
      if (has(target, 'averageUtilization') && has(target, 'averageValue')) {
        errs.push(forbidden(targetPath.child('averageValue'), 'may not set both a target raw value and a target utilization'));
      }
      break;
    }
  }
  return errs;
}

const SOURCE_FIELD: Record<string, string> = { Object: 'object', Pods: 'pods', Resource: 'resource', External: 'external', ContainerResource: 'containerResource' };

function validateMetricSpec(metric: JsonObject, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = stringAt(metric.type);
  if (type === '') errs.push(required(path.child('type'), 'must specify a metric source type'));
  if (!METRIC_SOURCE_TYPES.includes(type)) errs.push(notSupported(path.child('type'), type, METRIC_SOURCE_TYPES));
  const present: string[] = [];
  for (const kind of ['object', 'external', 'pods', 'resource', 'containerResource']) {
    const source = optionalObject(metric[kind]);
    if (!source) continue;
    present.push(kind);
    if (present.length === 1) errs.push(...validateSource(kind, source, path.child(kind)));
  }
  const expected = SOURCE_FIELD[type];
  if (expected) {
    if (!optionalObject(metric[expected])) errs.push(required(path.child(expected), 'must populate information for the given metric source'));
  } else {
    errs.push(notSupported(path.child('type'), type, METRIC_SOURCE_TYPES));
  }
  if (present.length !== 1) {
    for (const kind of present.filter((k) => k !== expected).sort()) errs.push(forbidden(path.child(kind), 'must populate the given metric source only'));
  }
  return errs;
}

function validateScalingRules(rules: Json, path: FieldPath): FieldError[] {
  const r = optionalObject(rules);
  if (!r) return [];
  const errs: FieldError[] = [];
  const window = optionalNumber(r.stabilizationWindowSeconds);
  if (window !== undefined && window < 0) errs.push(invalid(path.child('stabilizationWindowSeconds'), window, 'must be greater than or equal to zero'));
  if (window !== undefined && window > MAX_STABILIZATION_WINDOW) {
    errs.push(invalid(path.child('stabilizationWindowSeconds'), window, `must be less than or equal to ${MAX_STABILIZATION_WINDOW}`));
  }
  const select = optionalString(r.selectPolicy);
  if (select !== undefined && !['Disabled', 'Max', 'Min'].includes(select)) errs.push(notSupported(path.child('selectPolicy'), select, ['Disabled', 'Max', 'Min']));
  const policies = listAt(r.policies);
  if (policies.length === 0) errs.push(required(path.child('policies'), 'must specify at least one Policy'));
  policies.forEach((item, i) => {
    const policy = objectAt(item);
    const policyPath = path.child('policies').index(i);
    const type = stringAt(policy.type);
    if (type !== 'Pods' && type !== 'Percent') errs.push(notSupported(policyPath.child('type'), type, ['Percent', 'Pods']));
    const value = optionalNumber(policy.value) ?? 0;
    if (value <= 0) errs.push(invalid(policyPath.child('value'), value, 'must be greater than zero'));
    const period = optionalNumber(policy.periodSeconds) ?? 0;
    if (period <= 0) errs.push(invalid(policyPath.child('periodSeconds'), period, 'must be greater than zero'));
    if (period > MAX_PERIOD_SECONDS) errs.push(invalid(policyPath.child('periodSeconds'), period, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  });
  return errs;
}

/** The metrics of an HPA in the internal shape (v1's CPU target becomes one Resource metric). */
function metricsOf(spec: JsonObject, version: string): JsonObject[] {
  if (version !== 'v1') return listAt(spec.metrics).map(objectAt);
  const utilization = optionalNumber(spec.targetCPUUtilizationPercentage);
  if (utilization === undefined) return [];
  return [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: utilization } } }];
}

function validateHPASpec(spec: JsonObject, version: string, minReplicasLowerBound: number): FieldError[] {
  const errs: FieldError[] = [];
  const minReplicas = optionalNumber(spec.minReplicas);
  const maxReplicas = optionalNumber(spec.maxReplicas) ?? 0;
  if (minReplicas !== undefined && minReplicas < minReplicasLowerBound) {
    errs.push(invalid(SPEC.child('minReplicas'), minReplicas, `must be greater than or equal to ${minReplicasLowerBound}`));
  }
  if (maxReplicas < 1) errs.push(invalid(SPEC.child('maxReplicas'), maxReplicas, 'must be greater than 0'));
  if (minReplicas !== undefined && maxReplicas < minReplicas) errs.push(invalid(SPEC.child('maxReplicas'), maxReplicas, 'must be greater than or equal to `minReplicas`'));
  errs.push(...validateCrossVersionObjectReference(objectAt(spec.scaleTargetRef), SPEC.child('scaleTargetRef')));
  const metrics = metricsOf(spec, version);
  metrics.forEach((metric, i) => errs.push(...validateMetricSpec(metric, SPEC.child('metrics').index(i))));
  if (minReplicas === 0 && !metrics.some((m) => m.type === 'Object' || m.type === 'External')) {
    errs.push(forbidden(SPEC.child('metrics'), 'must specify at least one Object or External metric to support scaling to zero replicas'));
  }
  const behavior = optionalObject(spec.behavior);
  if (behavior) {
    errs.push(...validateScalingRules(behavior.scaleUp, SPEC.child('behavior', 'scaleUp')));
    errs.push(...validateScalingRules(behavior.scaleDown, SPEC.child('behavior', 'scaleDown')));
  }
  return errs;
}

/** HPAScaleToZero is alpha (off) in 1.32: minReplicas must be at least 1. */
export function validateHorizontalPodAutoscaler(hpa: JsonObject, version: string): FieldError[] {
  const errs = validateObjectMeta(objectAt(hpa.metadata), true, nameIsDNSSubdomain);
  errs.push(...validateHPASpec(objectAt(hpa.spec), version, 1));
  return errs;
}

export function validateHorizontalPodAutoscalerUpdate(hpa: JsonObject, old: JsonObject, version: string): FieldError[] {
  const errs = validateObjectMetaUpdate(objectAt(hpa.metadata), objectAt(old.metadata));
  const lowerBound = optionalNumber(objectAt(old.spec).minReplicas) === 0 ? 0 : 1;
  errs.push(...validateHPASpec(objectAt(hpa.spec), version, lowerBound));
  return errs;
}
