import { describe, expect, it } from 'vitest';
import { DAY, ago, describeColumns, printRow } from './testing.ts';

const cpu = (averageUtilization?: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } } });

function hpa(metrics: object[] | undefined, currentMetrics?: object[], extra: object = {}) {
  return printRow('autoscaling', 'horizontalpodautoscalers', {
    metadata: { name: 'web', creationTimestamp: ago(DAY) },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, metrics, ...extra },
    status: { currentReplicas: 3, desiredReplicas: 3, currentMetrics },
  });
}

describe('horizontal pod autoscaler printer', () => {
  it('has the columns of kubectl get hpa', () => {
    expect(describeColumns('autoscaling', 'horizontalpodautoscalers')).toEqual([
      'Name [name]',
      'Reference',
      'Targets',
      'MinPods',
      'MaxPods',
      'Replicas',
      'Age',
    ]);
  });

  it('prints a CPU utilization target against the measured value', () => {
    const row = hpa([cpu(80)], [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 50, averageValue: '120m' } } }]);
    expect(row).toEqual({ Name: 'web', Reference: 'Deployment/web', Targets: 'cpu: 50%/80%', MinPods: '1', MaxPods: 10, Replicas: 3, Age: '24h' });
  });

  it('says <unknown> until the metric is measured, and <auto> without a utilization target', () => {
    expect(hpa([cpu(80)], undefined).Targets).toBe('cpu: <unknown>/80%');
    expect(hpa([cpu(undefined)], undefined).Targets).toBe('cpu: <unknown>/<auto>');
  });

  it('prints average-value, pods, object and external metrics', () => {
    const specs = [
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1024Mi' } } },
      { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '1k' } } },
    ];
    const statuses = [
      { type: 'Resource', resource: { name: 'memory', current: { averageValue: '524288Ki' } } },
      { type: 'Pods', pods: { metric: { name: 'rps' }, current: { averageValue: '250' } } },
    ];
    expect(hpa(specs, statuses).Targets).toBe('memory: 512Mi/1Gi, 250/1k');
    expect(
      hpa([{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } }], [
        { type: 'External', external: { current: { averageValue: '12' } } },
      ]).Targets,
    ).toBe('12/30 (avg)');
    expect(
      hpa([{ type: 'Object', object: { metric: { name: 'hits' }, target: { type: 'Value', value: '2k' } } }], [{ type: 'Object', object: { current: { value: '1500' } } }]).Targets,
    ).toBe('1500/2k');
    expect(hpa([{ type: 'Object', object: { target: { type: 'Value', value: '2k' } } }], []).Targets).toBe('<unknown>/2k');
  });

  it('prints container resource metrics like resource metrics', () => {
    const spec = { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } };
    const status = { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', current: { averageUtilization: 75 } } };
    expect(hpa([spec], [status]).Targets).toBe('cpu: 75%/60%');
  });

  it('shows two metrics and counts the rest', () => {
    expect(hpa([cpu(80), cpu(70), cpu(60)], []).Targets).toBe('cpu: <unknown>/80%, cpu: <unknown>/70% + 1 more...');
  });

  it('says <none> without metrics and <unset> without a minimum', () => {
    expect(hpa([], undefined, { minReplicas: null })).toMatchObject({ Targets: '<none>', MinPods: '<unset>' });
  });

  it('reads the autoscaling/v1 CPU fields', () => {
    const row = printRow('autoscaling', 'horizontalpodautoscalers', {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'php', creationTimestamp: ago(DAY) },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'php-apache' }, minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 },
      status: { currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 0 },
    });
    expect(row).toMatchObject({ Reference: 'Deployment/php-apache', Targets: 'cpu: 0%/50%' });
  });
});
