import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { applyDefaults } from '@k8ts/api/defaults/index.ts';
import { converterFor } from './converter.ts';
import { BEHAVIOR_ANNOTATION, CONDITIONS_ANNOTATION, METRIC_SPECS_ANNOTATION, METRIC_STATUSES_ANNOTATION, v1ToV2, v2ToV1 } from './hpa.ts';

const converter = converterFor('autoscaling', 'horizontalpodautoscalers')!;
const scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

/** What `kubectl autoscale deployment web --min=1 --max=4 --cpu-percent=50` posts. */
const autoscaled: KubeObject = {
  apiVersion: 'autoscaling/v1',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default' },
  spec: { scaleTargetRef, minReplicas: 1, maxReplicas: 4, targetCPUUtilizationPercentage: 50 },
  status: { currentReplicas: 0, desiredReplicas: 0 },
};

/** A v2 object with something of everything v1 has no field for. */
const rich: KubeObject = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', annotations: { team: 'a' } },
  spec: {
    scaleTargetRef,
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
      { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
      {
        type: 'Object',
        object: {
          describedObject: { kind: 'Ingress', name: 'main', apiVersion: 'networking.k8s.io/v1' },
          target: { type: 'Value', value: '2k' },
          metric: { name: 'requests', selector: { matchLabels: { verb: 'GET' } } },
        },
      },
      { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } },
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
    ],
    behavior: {
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
    },
  },
  status: {
    observedGeneration: 3,
    currentReplicas: 2,
    desiredReplicas: 3,
    currentMetrics: [
      { type: 'Resource', resource: { name: 'memory', current: { averageValue: '80Mi' } } },
      { type: 'Resource', resource: { name: 'cpu', current: { averageValue: '120m', averageUtilization: 75 } } },
    ],
    conditions: [{ type: 'AbleToScale', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'ReadyForNewScale', message: 'ok' }],
  },
};

describe('autoscaling/v1 → v2', () => {
  it('turns the CPU percentage into a Resource metric the controller reads', () => {
    const v2 = converter.toStorage(autoscaled, 'v1');
    expect(v2).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        scaleTargetRef,
        minReplicas: 1,
        maxReplicas: 4,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      },
      status: { currentReplicas: 0, desiredReplicas: 0 },
    });
  });

  it('aims at 80% CPU when v1 names no target', () => {
    const spec = { scaleTargetRef, maxReplicas: 3 };
    expect(v1ToV2({ ...autoscaled, spec }).spec).toEqual({
      scaleTargetRef,
      maxReplicas: 3,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
  });

  it('makes the current CPU percentage a current metric', () => {
    const status = { currentReplicas: 2, desiredReplicas: 2, currentCPUUtilizationPercentage: 40, lastScaleTime: '2026-01-01T00:00:00Z' };
    expect(v1ToV2({ ...autoscaled, status }).status).toEqual({
      lastScaleTime: '2026-01-01T00:00:00Z',
      currentReplicas: 2,
      desiredReplicas: 2,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 40 } } }],
    });
  });

  it('ignores annotations that do not decode, and drops them', () => {
    const metadata = { name: 'web', annotations: { [METRIC_SPECS_ANNOTATION]: 'not json', [BEHAVIOR_ANNOTATION]: '{"ScaleUp":"fast"}', [CONDITIONS_ANNOTATION]: '{}' } };
    const v2 = v1ToV2({ ...autoscaled, metadata });
    expect(v2.metadata).toEqual({ name: 'web' });
    expect((v2.spec as { metrics: unknown[]; behavior?: unknown }).metrics).toHaveLength(1);
    expect((v2.spec as { behavior?: unknown }).behavior).toBeUndefined();
    expect((v2.status as { conditions?: unknown }).conditions).toBeUndefined();
  });

  it('reads the behavior annotation whatever the case of its keys, as Go does', () => {
    const metadata = { name: 'web', annotations: { [BEHAVIOR_ANNOTATION]: '{"scaleDown":{"stabilizationWindowSeconds":30,"policies":[{"type":"Pods","value":1,"periodSeconds":60}]}}' } };
    const v2 = v1ToV2({ ...autoscaled, metadata });
    expect((v2.spec as { behavior?: unknown }).behavior).toEqual({ scaleDown: { stabilizationWindowSeconds: 30, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } });
    // The v2 defaults then complete the rules the annotation left out.
    applyDefaults({ group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' }, v2);
    expect((v2.spec as { behavior: { scaleUp: unknown } }).behavior.scaleUp).toMatchObject({ selectPolicy: 'Max', stabilizationWindowSeconds: 0 });
  });
});

describe('autoscaling/v2 → v1', () => {
  const v1 = v2ToV1(rich);
  const annotations = v1.metadata.annotations!;

  it('keeps the CPU utilization target in targetCPUUtilizationPercentage', () => {
    expect(v1.apiVersion).toBe('autoscaling/v1');
    expect(v1.spec).toEqual({ scaleTargetRef, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 60 });
    expect(v1.status).toEqual({ observedGeneration: 3, currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 75 });
  });

  it('puts the other metrics in the annotation, in the v1 (v2beta1) shape', () => {
    expect(JSON.parse(annotations[METRIC_SPECS_ANNOTATION]!)).toEqual([
      { type: 'Resource', resource: { name: 'memory', targetAverageValue: '100Mi' } },
      { type: 'Pods', pods: { metricName: 'qps', targetAverageValue: '10' } },
      {
        type: 'Object',
        object: {
          target: { kind: 'Ingress', name: 'main', apiVersion: 'networking.k8s.io/v1' },
          metricName: 'requests',
          targetValue: '2k',
          selector: { matchLabels: { verb: 'GET' } },
        },
      },
      { type: 'External', external: { metricName: 'queue', targetAverageValue: '30' } },
    ]);
  });

  it('keeps every current metric, the CPU one too, and the conditions in annotations', () => {
    expect(JSON.parse(annotations[METRIC_STATUSES_ANNOTATION]!)).toEqual([
      { type: 'Resource', resource: { name: 'memory', currentAverageValue: '80Mi' } },
      { type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 75, currentAverageValue: '120m' } },
    ]);
    expect(JSON.parse(annotations[CONDITIONS_ANNOTATION]!)).toEqual((rich.status as { conditions: unknown }).conditions);
    expect(annotations.team).toBe('a');
  });

  it('writes the behavior with the Go field names of the internal type', () => {
    expect(JSON.parse(annotations[BEHAVIOR_ANNOTATION]!)).toEqual({
      ScaleUp: { StabilizationWindowSeconds: 0, SelectPolicy: 'Max', Policies: [{ Type: 'Pods', Value: 4, PeriodSeconds: 15 }] },
      ScaleDown: { StabilizationWindowSeconds: 300, SelectPolicy: 'Min', Policies: [{ Type: 'Percent', Value: 10, PeriodSeconds: 60 }] },
    });
  });

  it('round-trips through v1 without losing anything (the CPU target comes back last)', () => {
    expect(converter.toStorage(v1, 'v1')).toEqual(rich);
  });

  it('keeps a CPU average-value target as an "other" metric', () => {
    const spec = { scaleTargetRef, maxReplicas: 2, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '500m' } } }] };
    const converted = v2ToV1({ ...rich, spec, status: {} });
    expect(converted.spec).toEqual({ scaleTargetRef, maxReplicas: 2 });
    expect(converted.status).toEqual({ currentReplicas: 0, desiredReplicas: 0 });
    expect(JSON.parse(converted.metadata.annotations![METRIC_SPECS_ANNOTATION]!)).toEqual([{ type: 'Resource', resource: { name: 'cpu', targetAverageValue: '500m' } }]);
    expect(v1ToV2(converted).spec).toEqual(spec);
  });

  it('writes Go zero quantities for the v1 fields that are not optional', () => {
    const spec = {
      scaleTargetRef,
      maxReplicas: 2,
      metrics: [{ type: 'Object', object: { describedObject: { kind: 'Service', name: 's' }, target: { type: 'AverageValue', averageValue: '5' }, metric: { name: 'm' } } }],
    };
    const converted = v2ToV1({ ...rich, spec, status: {} });
    expect(JSON.parse(converted.metadata.annotations![METRIC_SPECS_ANNOTATION]!)).toEqual([
      { type: 'Object', object: { target: { kind: 'Service', name: 's' }, metricName: 'm', targetValue: '0', averageValue: '5' } },
    ]);
    expect((v1ToV2(converted).spec as { metrics: unknown }).metrics).toEqual([
      { type: 'Object', object: { describedObject: { kind: 'Service', name: 's' }, target: { type: 'AverageValue', value: '0', averageValue: '5' }, metric: { name: 'm' } } },
    ]);
  });
});

describe('the v2 endpoint', () => {
  it('drops round-trip annotations a v2 write carries', () => {
    const written = { ...rich, metadata: { name: 'web', annotations: { [METRIC_SPECS_ANNOTATION]: '[]', team: 'a' } } };
    expect(converter.toStorage(written, 'v2').metadata).toEqual({ name: 'web', annotations: { team: 'a' } });
    expect(converter.toStorage(rich, 'v2')).toBe(rich);
  });

  it('serves an object stored as v1 (before conversion existed) as v2', () => {
    expect(converter.fromStorage(autoscaled, 'v2')).toEqual(converter.toStorage(autoscaled, 'v1'));
  });
});
