import { describe, expect, it } from 'vitest';
import type { JsonObject } from '@k8ts/api';
import { behaviorFromAnnotation, behaviorToAnnotation, metricSpecFromV1, metricSpecToV1, metricStatusFromV1, metricStatusToV1 } from './hpa-metrics.ts';

const selector = { matchLabels: { queue: 'jobs' } };

// Metrics as a v2 client writes them, each fully specified the way v1 can carry it.
const specs: JsonObject[] = [
  { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } } },
  { type: 'ContainerResource', containerResource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '250m' }, container: 'app' } },
  { type: 'Pods', pods: { metric: { name: 'packets', selector }, target: { type: 'AverageValue', averageValue: '1k' } } },
  {
    type: 'Object',
    object: { describedObject: { kind: 'Service', name: 'web' }, target: { type: 'AverageValue', value: '10', averageValue: '5' }, metric: { name: 'hits' } },
  },
  { type: 'External', external: { metric: { name: 'queue_depth', selector }, target: { type: 'Value', value: '30' } } },
];

const statuses: JsonObject[] = [
  { type: 'Resource', resource: { name: 'memory', current: { averageValue: '90Mi', averageUtilization: 45 } } },
  { type: 'ContainerResource', containerResource: { name: 'cpu', current: { averageValue: '100m', averageUtilization: 40 }, container: 'app' } },
  { type: 'Pods', pods: { metric: { name: 'packets', selector }, current: { averageValue: '900' } } },
  { type: 'Object', object: { metric: { name: 'hits' }, current: { value: '12', averageValue: '6' }, describedObject: { kind: 'Service', name: 'web' } } },
  { type: 'External', external: { metric: { name: 'queue_depth', selector }, current: { value: '28' } } },
];

describe('HPA metrics in the v1 annotations', () => {
  it.each(specs.map((m) => [m.type, m] as const))('carries a %s metric spec there and back', (_type, metric) => {
    expect(metricSpecFromV1(metricSpecToV1(metric))).toEqual(metric);
  });

  it.each(statuses.map((m) => [m.type, m] as const))('carries a %s metric status there and back', (_type, metric) => {
    expect(metricStatusFromV1(metricStatusToV1(metric))).toEqual(metric);
  });

  it('uses the v1 field names', () => {
    expect(metricSpecToV1(specs[4]!)).toEqual({ type: 'External', external: { metricName: 'queue_depth', metricSelector: selector, targetValue: '30' } });
    expect(metricStatusToV1(statuses[2]!)).toEqual({ type: 'Pods', pods: { metricName: 'packets', currentAverageValue: '900', selector } });
  });

  it('gives a v1 target the type its values imply', () => {
    expect(metricSpecFromV1({ type: 'Resource', resource: { name: 'cpu', targetAverageValue: '1' } })).toEqual({
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '1' } },
    });
    expect(metricSpecFromV1({ type: 'External', external: { metricName: 'q', targetAverageValue: '3' } })).toEqual({
      type: 'External',
      external: { metric: { name: 'q' }, target: { type: 'AverageValue', averageValue: '3' } },
    });
  });
});

describe('HPA behavior in the v1 annotation', () => {
  it('round-trips, unset rules as null', () => {
    const behavior = { scaleDown: { stabilizationWindowSeconds: 120, selectPolicy: 'Disabled', policies: [{ type: 'Pods', value: 2, periodSeconds: 30 }] } };
    const text = behaviorToAnnotation(behavior);
    expect(JSON.parse(text)).toEqual({
      ScaleUp: null,
      ScaleDown: { StabilizationWindowSeconds: 120, SelectPolicy: 'Disabled', Policies: [{ Type: 'Pods', Value: 2, PeriodSeconds: 30 }] },
    });
    expect(behaviorFromAnnotation(text)).toEqual(behavior);
  });

  it('refuses what does not decode into the type, and an empty behavior', () => {
    expect(behaviorFromAnnotation('{"ScaleUp":{"Policies":[{"Value":"two"}]}}')).toBeUndefined();
    expect(behaviorFromAnnotation('{"ScaleUp":{"StabilizationWindowSeconds":1.5}}')).toBeUndefined();
    expect(behaviorFromAnnotation('{}')).toBeUndefined();
    expect(behaviorFromAnnotation('{"ScaleUp":null,"ScaleDown":null}')).toBeUndefined();
  });
});
