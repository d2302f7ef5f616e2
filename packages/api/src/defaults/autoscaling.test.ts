import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object.ts';
import { defaulted } from './test-support.ts';

const TARGET = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'ngx-hpa-dep' };

function hpa(version: 'v1' | 'v2', spec: Record<string, unknown>): KubeObject {
  return { apiVersion: `autoscaling/${version}`, kind: 'HorizontalPodAutoscaler', metadata: { name: 'ngx-hpa' }, spec };
}

describe('HorizontalPodAutoscaler autoscaling/v1 defaults', () => {
  it('keeps what `kubectl autoscale --min=2 --max=10 --cpu-percent=5` sends', () => {
    const spec = { scaleTargetRef: TARGET, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 5 };
    expect(defaulted(hpa('v1', spec)).spec).toEqual(spec);
  });

  it('defaults minReplicas to 1', () => {
    expect(defaulted(hpa('v1', { scaleTargetRef: TARGET, maxReplicas: 5 })).spec).toEqual({
      scaleTargetRef: TARGET,
      maxReplicas: 5,
      minReplicas: 1,
    });
  });
});

describe('HorizontalPodAutoscaler autoscaling/v2 defaults', () => {
  it('targets 80% CPU when no metric is given', () => {
    const out = defaulted(hpa('v2', { scaleTargetRef: TARGET, maxReplicas: 10 }));
    expect(out.spec).toEqual({
      scaleTargetRef: TARGET,
      maxReplicas: 10,
      minReplicas: 1,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
    expect(out.status).toEqual({ desiredReplicas: 0 });
  });

  it('keeps the metrics it was given', () => {
    const metrics = [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } }];
    expect(defaulted(hpa('v2', { scaleTargetRef: TARGET, minReplicas: 2, maxReplicas: 10, metrics })).spec).toMatchObject({ metrics });
  });

  it('completes a partial behavior rule by rule and adds the other direction', () => {
    const out = defaulted(
      hpa('v2', {
        scaleTargetRef: TARGET,
        maxReplicas: 10,
        behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
      }),
    );
    expect((out.spec as Record<string, unknown>).behavior).toEqual({
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
    });
  });

  it('adds no behavior when none is given (the controller uses its own flags)', () => {
    expect(defaulted(hpa('v2', { scaleTargetRef: TARGET, maxReplicas: 3 })).spec).not.toHaveProperty('behavior');
  });

  it('keeps given scaling policies and select policy', () => {
    const scaleUp = { selectPolicy: 'Disabled', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] };
    const out = defaulted(hpa('v2', { scaleTargetRef: TARGET, maxReplicas: 3, behavior: { scaleUp } }));
    expect((out.spec as { behavior: Record<string, unknown> }).behavior.scaleUp).toEqual({ ...scaleUp, stabilizationWindowSeconds: 0 });
  });
});
