// The objects of the churn run and of its anchor. Workloads: Deployments and StatefulSets of
// three pause pods, Jobs of one pod that exits after a second (the hollow runtime ends a
// `sleep N` container after N seconds). The anchor is the same pods created bare — what the
// nodes, scheduler and apiserver take without any controller in between.

const IMAGE = 'registry.k8s.io/pause:3.10';
const SLEEPER_IMAGE = 'busybox:1.36';
/** small requests, so that 100 nodes never run out */
const RESOURCES = { requests: { cpu: '10m', memory: '10Mi' } };
export const REPLICAS = 3;
const JOB_SECONDS = '1';

export interface ChurnSizes {
  nodes: number;
  deployments: number;
  statefulSets: number;
  jobs: number;
}

/** The run: 100 hollow nodes, 50 Deployments, 20 StatefulSets and 500 Jobs created together. */
export const FULL_SIZES: ChurnSizes = { nodes: 100, deployments: 50, statefulSets: 20, jobs: 500 };
export const QUICK_SIZES: ChurnSizes = { nodes: 10, deployments: 5, statefulSets: 2, jobs: 20 };

/** deploy-007, job-123: names sort in creation order */
function padded(prefix: string, index: number): string {
  return `${prefix}-${String(index).padStart(3, '0')}`;
}

function template(app: string, containers: object[], restartPolicy?: string) {
  return { metadata: { labels: { app } }, spec: { ...(restartPolicy ? { restartPolicy } : {}), containers } };
}

const pause = () => [{ name: 'pause', image: IMAGE, resources: RESOURCES }];
const sleeper = () => [{ name: 'work', image: SLEEPER_IMAGE, command: ['sleep', JOB_SECONDS], resources: RESOURCES }];

export function deployment(namespace: string, index: number) {
  const name = padded('deploy', index);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { replicas: REPLICAS, selector: { matchLabels: { app: name } }, template: template(name, pause()) },
  };
}

export function statefulSet(namespace: string, index: number) {
  const name = padded('sts', index);
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace },
    spec: { replicas: REPLICAS, serviceName: name, selector: { matchLabels: { app: name } }, template: template(name, pause()) },
  };
}

export function job(namespace: string, index: number) {
  const name = padded('job', index);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace },
    spec: { completions: 1, parallelism: 1, template: { spec: { restartPolicy: 'Never', containers: sleeper() } } },
  };
}

/** The anchor's pod `index`: long-running like a Deployment's or StatefulSet's pod, or exiting like a Job's. */
export function anchorPod(namespace: string, index: number, sizes: ChurnSizes) {
  const longRunning = (sizes.deployments + sizes.statefulSets) * REPLICAS;
  const runs = index < longRunning;
  const name = `pod-${String(index).padStart(4, '0')}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: runs ? 'anchor-running' : 'anchor-job' } },
    spec: runs ? { containers: pause() } : { restartPolicy: 'Never', containers: sleeper() },
  };
}

/** How many pods the anchor creates: as many as the workloads' pods. */
export function anchorPodCount(sizes: ChurnSizes): number {
  return (sizes.deployments + sizes.statefulSets) * REPLICAS + sizes.jobs;
}
