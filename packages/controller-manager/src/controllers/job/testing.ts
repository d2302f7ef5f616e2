// Fixtures for the Job controller's tests: Jobs as the apiserver stores them after defaulting
// and selector generation, a controller on the harness, and the kubelet's part (run, finish,
// and delete pods) done by hand through the fake API.
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import type { KubeObject } from '@k8ts/api';
import type { Pod } from '../../controller/workload-types.ts';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { JOB_CONTROLLER, JobController } from './job-controller.ts';
import { JOB_KIND, type Job, type JobSpec } from './job-types.ts';

export const PODS = { group: '', version: 'v1', kind: 'Pod' };

/** A Job after defaulting and the strategy's selector generation (uid "uid-<name>"). */
export function job(name: string, spec: Partial<JobSpec> = {}, podAnnotations: Record<string, string> = {}): Job {
  const uid = `uid-${name}`;
  const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': name, 'controller-uid': uid, 'job-name': name };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default', uid, generation: 1, labels },
    spec: {
      parallelism: 1,
      completions: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed',
      manualSelector: false,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
      template: {
        metadata: { labels, ...(Object.keys(podAnnotations).length > 0 ? { annotations: podAnnotations } : {}) },
        spec: { containers: [{ name: 'main', image: 'busybox', command: ['sleep', '5'] }], restartPolicy: 'Never' },
      },
      ...spec,
    },
    status: {},
  };
}

export async function startJobController(...objects: KubeObject[]): Promise<{ h: ControllerHarness; controller: JobController }> {
  const h = new ControllerHarness(namespace('default'), ...objects);
  const controller = new JobController({
    jobs: h.informers.forKind<Job>(JOB_KIND),
    pods: h.informers.forKind<Pod>(PODS),
    jobClient: h.client.forKind<Job>(JOB_KIND),
    podClient: h.client.forKind<Pod>(PODS),
    recorder: h.recorder(JOB_CONTROLLER),
    queue: h.newQueue('job'),
    orphanQueue: h.newQueue('job_orphan_pod'),
    workers: 5,
    clock: h.clock,
    logger: h.logger,
  });
  await h.start(controller);
  return { h, controller };
}

export const jobNamed = (h: ControllerHarness, name: string) => h.api.get<Job>('batch/v1', 'Job', 'default', name)!;
export const allPods = (h: ControllerHarness) => h.api.list<Pod>('v1', 'Pod');
export const livePods = (h: ControllerHarness) => allPods(h).filter((p) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''));
export const conditionsOf = (h: ControllerHarness, name: string) =>
  (jobNamed(h, name).status?.conditions ?? []).map((c) => `${c.type}=${c.status} ${c.reason ?? ''}: ${c.message ?? ''}`);

function now(h: ControllerHarness): string {
  return formatRfc3339(Math.floor(h.clock.now() / 1000));
}

function pods(h: ControllerHarness) {
  return h.client.forKind<Pod>(PODS).namespace('default');
}

/** What the scheduler and kubelet do for a new pod: bind it, run it, report it Ready. */
export async function runPod(h: ControllerHarness, name: string, node = 'node-1'): Promise<void> {
  await pods(h).patch(name, 'merge', { spec: { nodeName: node } });
  await pods(h).patch(name, 'merge', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now(h) }] } }, { subresource: 'status' });
}

/** The kubelet reporting the pod's container exited (0: Succeeded, else Failed). */
export async function finishPod(h: ControllerHarness, name: string, exitCode = 0, conditions: { type: string; status: string }[] = []): Promise<void> {
  const phase = exitCode === 0 ? 'Succeeded' : 'Failed';
  await pods(h).patch(
    name,
    'merge',
    {
      status: {
        phase,
        conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: now(h) }, ...conditions],
        containerStatuses: [{ name: 'main', ready: false, restartCount: 0, state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', finishedAt: now(h) } } }],
      },
    },
    { subresource: 'status' },
  );
}

/** The kubelet finishing a graceful deletion: the containers are stopped, the pod deleted with grace 0. */
export async function completeDeletions(h: ControllerHarness): Promise<void> {
  for (const pod of allPods(h).filter((p) => p.metadata.deletionTimestamp && (p.metadata.deletionGracePeriodSeconds ?? 0) > 0)) {
    await pods(h).delete(pod.metadata.name!, { gracePeriodSeconds: 0 });
  }
}
