// HorizontalPodAutoscalers. The Targets cell pairs each metric's current value with its target
// ("cpu: 50%/80%"), showing <unknown> until the controller has measured it.
import type { KubeObject } from '../object.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import { since } from './duration.ts';
import { formatQuantity } from './format.ts';
import type { ResourcePrinter } from './types.ts';

type Quantity = string | number;

interface MetricTarget {
  type?: string;
  value?: Quantity;
  averageValue?: Quantity;
  averageUtilization?: number;
}

interface MetricValue {
  value?: Quantity;
  averageValue?: Quantity;
  averageUtilization?: number;
}

interface MetricSpec {
  type: string;
  resource?: { name: string; target?: MetricTarget };
  containerResource?: { name: string; container?: string; target?: MetricTarget };
  pods?: { target?: MetricTarget };
  object?: { target?: MetricTarget };
  external?: { target?: MetricTarget };
}

interface MetricStatus {
  type: string;
  resource?: { name?: string; current?: MetricValue };
  containerResource?: { name?: string; current?: MetricValue };
  pods?: { current?: MetricValue };
  object?: { current?: MetricValue };
  external?: { current?: MetricValue };
}

interface HorizontalPodAutoscaler extends KubeObject {
  spec?: {
    scaleTargetRef?: { kind?: string; name?: string };
    minReplicas?: number | null;
    maxReplicas?: number;
    metrics?: MetricSpec[];
    // autoscaling/v1 has only the CPU target.
    targetCPUUtilizationPercentage?: number | null;
  };
  status?: {
    currentReplicas?: number;
    currentMetrics?: MetricStatus[] | null;
    currentCPUUtilizationPercentage?: number | null;
  };
}

export const horizontalPodAutoscalerPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Reference', 'string', 'The scaled object, as Kind/name.'),
    column('Targets', 'string', 'Current value of each metric against its target.'),
    column('MinPods', 'string', 'Fewest replicas the autoscaler keeps.'),
    column('MaxPods', 'string', 'Most replicas the autoscaler allows.'),
    column('Replicas', 'string', 'Replicas the autoscaler last saw.'),
    ageColumn,
  ],
  row: (object, now) => {
    const hpa = object as HorizontalPodAutoscaler;
    const spec = hpa.spec ?? {};
    const minReplicas = spec.minReplicas;
    return {
      cells: [
        object.metadata.name ?? '',
        `${spec.scaleTargetRef?.kind ?? ''}/${spec.scaleTargetRef?.name ?? ''}`,
        formatMetrics(metricSpecs(hpa), metricStatuses(hpa)),
        minReplicas === undefined || minReplicas === null ? '<unset>' : String(minReplicas),
        spec.maxReplicas ?? 0,
        hpa.status?.currentReplicas ?? 0,
        since(object.metadata.creationTimestamp, now),
      ],
    };
  },
};

/** autoscaling/v1 objects carry a single CPU target; read it as the v2 metric it converts to. */
function metricSpecs(hpa: HorizontalPodAutoscaler): MetricSpec[] {
  if (hpa.spec?.metrics) return hpa.spec.metrics;
  const cpu = hpa.spec?.targetCPUUtilizationPercentage;
  if (cpu === undefined || cpu === null) return [];
  return [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }];
}

function metricStatuses(hpa: HorizontalPodAutoscaler): MetricStatus[] {
  if (hpa.status?.currentMetrics) return hpa.status.currentMetrics;
  const cpu = hpa.status?.currentCPUUtilizationPercentage;
  if (cpu === undefined || cpu === null) return [];
  return [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: cpu } } }];
}

const UNKNOWN = '<unknown>';
const present = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null;
// A missing quantity prints the way Go prints a nil *Quantity.
const quantity = (value: Quantity | null | undefined): string => (present(value) ? formatQuantity(value) : '<nil>');

function formatMetrics(specs: MetricSpec[], statuses: MetricStatus[]): string {
  if (specs.length === 0) return '<none>';
  // Statuses pair with specs by position: the controller writes them in the same order.
  const list = specs.map((spec, i) => formatMetric(spec, statuses[i]));
  const max = 2;
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External':
      return valueOrAverage(spec.external?.target, status?.external);
    case 'Object':
      return valueOrAverage(spec.object?.target, status?.object);
    case 'Pods': {
      const current = status?.pods ? quantity(status.pods.current?.averageValue) : UNKNOWN;
      return `${current}/${quantity(spec.pods?.target?.averageValue)}`;
    }
    case 'Resource':
      return resourceMetric(spec.resource, status?.resource);
    case 'ContainerResource':
      return resourceMetric(spec.containerResource, status?.containerResource);
    default:
      return '<unknown type>';
  }
}

/** External and Object metrics: an average value target is marked "(avg)". */
function valueOrAverage(target: MetricTarget | undefined, status: { current?: MetricValue } | undefined): string {
  const current = status?.current;
  if (present(target?.averageValue)) {
    const now = present(current?.averageValue) ? quantity(current.averageValue) : UNKNOWN;
    return `${now}/${quantity(target.averageValue)} (avg)`;
  }
  const now = status ? quantity(current?.value) : UNKNOWN;
  return `${now}/${quantity(target?.value)}`;
}

/** Resource metrics: "cpu: 50%/80%" for utilization, "memory: 100Mi/200Mi" for an average value. */
function resourceMetric(
  spec: { name: string; target?: MetricTarget } | undefined,
  status: { current?: MetricValue } | undefined,
): string {
  const name = spec?.name ?? '';
  const target = spec?.target;
  if (present(target?.averageValue)) {
    const now = status ? quantity(status.current?.averageValue) : UNKNOWN;
    return `${name}: ${now}/${quantity(target.averageValue)}`;
  }
  const utilization = status?.current?.averageUtilization;
  const now = present(utilization) ? `${utilization}%` : UNKNOWN;
  const wanted = present(target?.averageUtilization) ? `${target.averageUtilization}%` : '<auto>';
  return `${name}: ${now}/${wanted}`;
}
