// The metric specs and statuses of a HorizontalPodAutoscaler between autoscaling/v2 and the shape
// autoscaling/v1 keeps them in. v1 has fields for one CPU target only; every other metric travels
// in annotations in the older (v2beta1) shape, where a target is a flat field beside the metric
// name ("targetAverageValue", "currentValue", …) rather than a MetricTarget/MetricValueStatus.
// Quantities that v1 declares non-optional come out as "0" when v2 has none, as Go's zero Quantity.
import type { JsonObject, JsonValue } from '@k8ts/api';
import { isJsonObject } from '@k8ts/api';
import { compact, objectField, parseJson, present, stringField } from './json-fields.ts';

/** A v1 non-pointer Quantity: Go writes its zero value when there is none. */
const ZERO_QUANTITY = '0';

/** The (v1 CrossVersionObjectReference) object a metric describes; apiVersion is optional. */
function objectReference(ref: JsonObject): JsonObject {
  return compact({ kind: stringField(ref.kind), name: stringField(ref.name), apiVersion: ref.apiVersion || undefined });
}

/** A v2 MetricTarget of `type`, fields in Go's order. */
function metricTarget(type: string, fields: { value?: JsonValue | undefined; averageValue?: JsonValue | undefined; averageUtilization?: JsonValue | undefined }): JsonObject {
  return compact({ type, value: fields.value, averageValue: fields.averageValue, averageUtilization: fields.averageUtilization });
}

/** A v2 MetricIdentifier. */
function metricIdentifier(name: JsonValue | undefined, selector: JsonValue | undefined): JsonObject {
  return compact({ name: stringField(name), selector });
}

// ---- spec.metrics ----

/** One v2 MetricSpec in the v1 annotation shape. */
export function metricSpecToV1(metric: JsonObject): JsonObject {
  const type = stringField(metric.type);
  const out: JsonObject = { type };
  if (isJsonObject(metric.object)) {
    const source = metric.object;
    const target = objectField(source.target);
    const id = objectField(source.metric);
    out.object = compact({
      target: objectReference(objectField(source.describedObject)),
      metricName: stringField(id.name),
      targetValue: target.value ?? ZERO_QUANTITY,
      selector: id.selector,
      averageValue: target.averageValue,
    });
  }
  if (isJsonObject(metric.pods)) {
    const target = objectField(metric.pods.target);
    const id = objectField(metric.pods.metric);
    out.pods = compact({ metricName: stringField(id.name), targetAverageValue: target.averageValue ?? ZERO_QUANTITY, selector: id.selector });
  }
  if (isJsonObject(metric.resource)) {
    const target = objectField(metric.resource.target);
    out.resource = compact({ name: stringField(metric.resource.name), targetAverageUtilization: target.averageUtilization, targetAverageValue: target.averageValue });
  }
  if (isJsonObject(metric.containerResource)) {
    const source = metric.containerResource;
    const target = objectField(source.target);
    out.containerResource = compact({
      name: stringField(source.name),
      targetAverageUtilization: target.averageUtilization,
      targetAverageValue: target.averageValue,
      container: stringField(source.container),
    });
  }
  if (isJsonObject(metric.external)) {
    const target = objectField(metric.external.target);
    const id = objectField(metric.external.metric);
    out.external = compact({ metricName: stringField(id.name), metricSelector: id.selector, targetValue: target.value, targetAverageValue: target.averageValue });
  }
  return out;
}

/** One MetricSpec of the v1 annotation as v2. The target's type follows from which value is set. */
export function metricSpecFromV1(metric: JsonObject): JsonObject {
  const out: JsonObject = { type: stringField(metric.type) };
  if (isJsonObject(metric.object)) {
    const source = metric.object;
    const type = present(source.averageValue) ? 'AverageValue' : 'Value';
    out.object = {
      describedObject: objectReference(objectField(source.target)),
      target: metricTarget(type, { value: source.targetValue ?? ZERO_QUANTITY, averageValue: source.averageValue }),
      metric: metricIdentifier(source.metricName, source.selector),
    };
  }
  if (isJsonObject(metric.pods)) {
    const source = metric.pods;
    out.pods = {
      metric: metricIdentifier(source.metricName, source.selector),
      target: metricTarget('AverageValue', { averageValue: source.targetAverageValue ?? ZERO_QUANTITY }),
    };
  }
  if (isJsonObject(metric.resource)) {
    out.resource = { name: stringField(metric.resource.name), target: resourceTarget(metric.resource) };
  }
  if (isJsonObject(metric.containerResource)) {
    const source = metric.containerResource;
    out.containerResource = { name: stringField(source.name), target: resourceTarget(source), container: stringField(source.container) };
  }
  if (isJsonObject(metric.external)) {
    const source = metric.external;
    const type = present(source.targetValue) ? 'Value' : 'AverageValue';
    out.external = {
      metric: metricIdentifier(source.metricName, source.metricSelector),
      target: metricTarget(type, { value: source.targetValue, averageValue: source.targetAverageValue }),
    };
  }
  return out;
}

/** A v1 (container) resource metric's target: a utilization if it names one, else an average value. */
function resourceTarget(source: JsonObject): JsonObject {
  const type = present(source.targetAverageUtilization) ? 'Utilization' : 'AverageValue';
  return metricTarget(type, { averageValue: source.targetAverageValue, averageUtilization: source.targetAverageUtilization });
}

// ---- status.currentMetrics ----

/** One v2 MetricStatus in the v1 annotation shape. */
export function metricStatusToV1(metric: JsonObject): JsonObject {
  const out: JsonObject = { type: stringField(metric.type) };
  if (isJsonObject(metric.object)) {
    const status = metric.object;
    const current = objectField(status.current);
    const id = objectField(status.metric);
    out.object = compact({
      target: objectReference(objectField(status.describedObject)),
      metricName: stringField(id.name),
      currentValue: current.value ?? ZERO_QUANTITY,
      selector: id.selector,
      averageValue: current.averageValue,
    });
  }
  if (isJsonObject(metric.pods)) {
    const current = objectField(metric.pods.current);
    const id = objectField(metric.pods.metric);
    out.pods = compact({ metricName: stringField(id.name), currentAverageValue: current.averageValue ?? ZERO_QUANTITY, selector: id.selector });
  }
  if (isJsonObject(metric.resource)) {
    const current = objectField(metric.resource.current);
    out.resource = compact({
      name: stringField(metric.resource.name),
      currentAverageUtilization: current.averageUtilization,
      currentAverageValue: current.averageValue ?? ZERO_QUANTITY,
    });
  }
  if (isJsonObject(metric.containerResource)) {
    const status = metric.containerResource;
    const current = objectField(status.current);
    out.containerResource = compact({
      name: stringField(status.name),
      currentAverageUtilization: current.averageUtilization,
      currentAverageValue: current.averageValue ?? ZERO_QUANTITY,
      container: stringField(status.container),
    });
  }
  if (isJsonObject(metric.external)) {
    const current = objectField(metric.external.current);
    const id = objectField(metric.external.metric);
    out.external = compact({
      metricName: stringField(id.name),
      metricSelector: id.selector,
      currentValue: current.value ?? ZERO_QUANTITY,
      currentAverageValue: current.averageValue,
    });
  }
  return out;
}

/** One MetricStatus of the v1 annotation as v2. */
export function metricStatusFromV1(metric: JsonObject): JsonObject {
  const out: JsonObject = { type: stringField(metric.type) };
  if (isJsonObject(metric.object)) {
    const status = metric.object;
    out.object = {
      metric: metricIdentifier(status.metricName, status.selector),
      current: compact({ value: status.currentValue ?? ZERO_QUANTITY, averageValue: status.averageValue }),
      describedObject: objectReference(objectField(status.target)),
    };
  }
  if (isJsonObject(metric.pods)) {
    const status = metric.pods;
    out.pods = { metric: metricIdentifier(status.metricName, status.selector), current: { averageValue: status.currentAverageValue ?? ZERO_QUANTITY } };
  }
  if (isJsonObject(metric.resource)) {
    out.resource = { name: stringField(metric.resource.name), current: resourceCurrent(metric.resource) };
  }
  if (isJsonObject(metric.containerResource)) {
    const status = metric.containerResource;
    out.containerResource = { name: stringField(status.name), current: resourceCurrent(status), container: stringField(status.container) };
  }
  if (isJsonObject(metric.external)) {
    const status = metric.external;
    out.external = {
      metric: metricIdentifier(status.metricName, status.metricSelector),
      current: compact({ value: status.currentValue ?? ZERO_QUANTITY, averageValue: status.currentAverageValue }),
    };
  }
  return out;
}

function resourceCurrent(status: JsonObject): JsonObject {
  return compact({ averageValue: status.currentAverageValue ?? ZERO_QUANTITY, averageUtilization: status.currentAverageUtilization });
}

// ---- spec.behavior ----
// The behavior annotation holds Kubernetes' internal type encoded without JSON tags, so its keys
// are the Go field names ("ScaleUp", "StabilizationWindowSeconds", …) and unset pointers are null.
// Go's decoder matches keys case-insensitively, and so does behaviorFromAnnotation.

const RULES_FIELDS = [
  ['stabilizationWindowSeconds', 'StabilizationWindowSeconds'],
  ['selectPolicy', 'SelectPolicy'],
  ['policies', 'Policies'],
] as const;
const POLICY_FIELDS = [
  ['type', 'Type'],
  ['value', 'Value'],
  ['periodSeconds', 'PeriodSeconds'],
] as const;

/** A v2 spec.behavior as the annotation's text. */
export function behaviorToAnnotation(behavior: JsonObject): string {
  const rules = (value: JsonValue | undefined): JsonValue => {
    if (!isJsonObject(value)) return null;
    const out: JsonObject = {};
    for (const [json, go] of RULES_FIELDS) {
      const field = value[json];
      out[go] = json === 'policies' && Array.isArray(field) ? field.map(policyToGo) : (field ?? null);
    }
    return out;
  };
  return JSON.stringify({ ScaleUp: rules(behavior.scaleUp), ScaleDown: rules(behavior.scaleDown) });
}

function policyToGo(policy: JsonValue): JsonValue {
  const fields = objectField(policy);
  return Object.fromEntries(POLICY_FIELDS.map(([json, go]) => [go, fields[json] ?? (json === 'type' ? '' : 0)]));
}

/**
 * The annotation's behavior as a v2 spec.behavior; undefined when it does not decode, or holds no
 * rules at all (Kubernetes moves only well-formed data from annotations to fields).
 */
export function behaviorFromAnnotation(text: string): JsonObject | undefined {
  const decoded = parseJson(text);
  if (!isJsonObject(decoded)) return undefined;
  const out: JsonObject = {};
  for (const [json, go] of [['scaleUp', 'ScaleUp'], ['scaleDown', 'ScaleDown']] as const) {
    const value = fieldIgnoringCase(decoded, go);
    if (!present(value)) continue;
    const rules = rulesFromGo(value);
    if (!rules) return undefined;
    out[json] = rules;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function rulesFromGo(value: JsonValue): JsonObject | undefined {
  if (!isJsonObject(value)) return undefined;
  const window = fieldIgnoringCase(value, 'StabilizationWindowSeconds');
  const select = fieldIgnoringCase(value, 'SelectPolicy');
  const policies = fieldIgnoringCase(value, 'Policies');
  if (present(window) && !Number.isInteger(window)) return undefined;
  if (present(select) && typeof select !== 'string') return undefined;
  if (present(policies) && !Array.isArray(policies)) return undefined;
  const converted: JsonObject[] = [];
  for (const policy of Array.isArray(policies) ? policies : []) {
    if (!isJsonObject(policy)) return undefined;
    const type = fieldIgnoringCase(policy, 'Type') ?? '';
    const amount = fieldIgnoringCase(policy, 'Value') ?? 0;
    const period = fieldIgnoringCase(policy, 'PeriodSeconds') ?? 0;
    if (typeof type !== 'string' || !Number.isInteger(amount) || !Number.isInteger(period)) return undefined;
    converted.push({ type, value: amount, periodSeconds: period });
  }
  return compact({ stabilizationWindowSeconds: window, selectPolicy: select, policies: Array.isArray(policies) ? converted : undefined });
}

function fieldIgnoringCase(object: JsonObject, name: string): JsonValue | undefined {
  if (name in object) return object[name];
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}
