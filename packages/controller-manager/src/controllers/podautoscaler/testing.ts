// Fixtures for the HPA controller's tests: pods as a kubelet reports them, a scale subresource
// served over the fake API's Deployments, and a resource metrics source whose usage tests set.
import type { KubeObject } from '@k8ts/api';
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import { formatLabelSelector, labelSelectorFromObject } from '@k8ts/api/selectors/index.ts';
import type { Pod } from '../../controller/workload-types.ts';
import type { FakeApi } from '../../testing/fake-api.ts';
import type { ResourceMetrics, ResourceMetricsSource } from './metrics-client.ts';
import type { HorizontalPodAutoscaler } from './types.ts';

const iso = (ms: number): string => formatRfc3339(Math.floor(ms / 1000));

export interface PodOptions {
  cpuRequest?: string;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  ready?: boolean;
  /** when the pod started (ms) */
  startedAt?: number;
  /** when its Ready condition last changed (ms) */
  readySince?: number;
  labels?: Record<string, string>;
}

/** A running, ready pod of one container requesting `cpuRequest` (default 100m). */
export function pod(name: string, options: PodOptions = {}): Pod {
  const startedAt = options.startedAt ?? Date.UTC(2024, 0, 1);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: options.labels ?? { app: 'web' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: options.cpuRequest ?? '100m' } } }] },
    status: {
      phase: options.phase ?? 'Running',
      startTime: iso(startedAt),
      conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True', lastTransitionTime: iso(options.readySince ?? startedAt) }],
    },
  };
}

export function deployment(name: string, replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
    status: { replicas },
  };
}

export function hpa(spec: Partial<HorizontalPodAutoscaler['spec']> = {}): HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      ...spec,
    },
  };
}

/**
 * Serves deployments/<name>/scale over the fake API as the apiserver does: the Scale carries
 * spec.replicas, status.replicas and the selector; an update writes spec.replicas back.
 */
export function serveDeploymentScale(api: FakeApi): void {
  api.prependReactor((action) => {
    if (action.resource !== 'deployments.apps' || action.subresource !== 'scale') return undefined;
    const d = api.get('apps/v1', 'Deployment', action.namespace, action.name!) as
      | (KubeObject & { spec: { replicas?: number; selector?: object }; status?: { replicas?: number } })
      | undefined;
    if (!d) {
      return {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `deployments.apps "${action.name}" not found`,
        reason: 'NotFound',
        code: 404,
      };
    }
    if (action.verb === 'update') {
      const replicas = (action.body as { spec?: { replicas?: number } }).spec?.replicas ?? 0;
      api.seed({ ...d, spec: { ...d.spec, replicas } });
      return scaleOf({ ...d, spec: { ...d.spec, replicas } });
    }
    return scaleOf(d);
  });
}

function scaleOf(d: KubeObject & { spec: { replicas?: number; selector?: object }; status?: { replicas?: number } }): KubeObject {
  const selector = labelSelectorFromObject(d.spec.selector as never);
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name: d.metadata.name, namespace: d.metadata.namespace },
    spec: { replicas: d.spec.replicas ?? 0 },
    status: { replicas: d.status?.replicas ?? 0, ...(selector ? { selector: formatLabelSelector(selector) } : {}) },
  } as KubeObject;
}

/** Usage set by the test, per pod, in millicores; pods not set report no sample. */
export class FakeMetrics implements ResourceMetricsSource {
  readonly cpu = new Map<string, number>();
  failure: Error | undefined;
  readonly requests: string[] = [];

  constructor(private readonly now: () => number) {}

  async getResourceMetric(resource: string, namespace: string, selector: string): Promise<ResourceMetrics> {
    this.requests.push(`${resource} ${namespace} ${selector}`);
    if (this.failure) throw this.failure;
    if (this.cpu.size === 0) throw new Error('no metrics returned from resource metrics API');
    const timestamp = this.now();
    return { metrics: new Map([...this.cpu].map(([name, value]) => [name, { timestamp, windowMs: 15_000, value }])), timestamp };
  }
}
