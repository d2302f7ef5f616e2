// Test support for the deployment controller: Deployments as the apiserver would default them,
// the controller on a ControllerHarness, and a stand-in for the ReplicaSet controller and the
// kubelets that makes each ReplicaSet's pods exist at once and become available one step later.
import type { KubeObject } from '@k8ts/api';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { DeploymentController } from './deployment-controller.ts';
import { DEPLOYMENTS, PODS, REPLICA_SETS, replicasOf, type Deployment, type DeploymentSpec, type Pod, type ReplicaSet } from './types.ts';

export function deployment(name: string, spec: Partial<DeploymentSpec> & { image?: string } = {}, annotations?: Record<string, string>): Deployment {
  const { image = 'nginx:1.27', ...rest } = spec;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', generation: 1, ...(annotations ? { annotations } : {}) },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      ...rest,
    },
  };
}

export async function startController(...objects: KubeObject[]): Promise<ControllerHarness> {
  const h = new ControllerHarness(namespace('default'), ...objects);
  const controller = new DeploymentController({
    deployments: h.informers.forKind<Deployment>(DEPLOYMENTS),
    replicaSets: h.informers.forKind<ReplicaSet>(REPLICA_SETS),
    pods: h.informers.forKind<Pod>(PODS),
    deploymentClient: h.client.forKind<Deployment>(DEPLOYMENTS),
    replicaSetClient: h.client.forKind<ReplicaSet>(REPLICA_SETS),
    recorder: h.recorder('deployment-controller'),
    queue: h.newQueue('deployment'),
    workers: 2,
    clock: h.clock,
    logger: h.logger,
  });
  await h.start(controller);
  return h;
}

export const replicaSetsOf = (h: ControllerHarness): ReplicaSet[] => h.api.list<ReplicaSet>('apps/v1', 'ReplicaSet');
export const deploymentIn = (h: ControllerHarness, name: string): Deployment => h.api.get<Deployment>('apps/v1', 'Deployment', 'default', name)!;

/**
 * One step of the world: every ReplicaSet has as many pods as it asks for; the pods that already
 * existed last step are available now (unless `neverAvailable` says the ReplicaSet's pods never
 * become ready), and pods scaled away take their availability with them.
 */
export async function simulatePods(h: ControllerHarness, neverAvailable: (rs: ReplicaSet) => boolean = () => false): Promise<void> {
  const client = h.client.forKind<ReplicaSet>(REPLICA_SETS).namespace('default');
  for (const rs of replicaSetsOf(h)) {
    const want = replicasOf(rs);
    const had = rs.status?.replicas ?? 0;
    const available = neverAvailable(rs) ? 0 : Math.min(want, had);
    const status = { replicas: want, readyReplicas: available, availableReplicas: available, observedGeneration: rs.metadata.generation ?? 0 };
    const current = rs.status ?? { replicas: 0 };
    if (current.replicas === status.replicas && (current.availableReplicas ?? 0) === available && (current.observedGeneration ?? 0) === status.observedGeneration) continue;
    await client.updateStatus({ ...rs, status });
  }
}

/** Runs the world and the controller until `done` holds (at most `limitMs` of simulated time). */
export async function runUntil(h: ControllerHarness, done: () => boolean, what: string, options: { stepMs?: number; limitMs?: number; neverAvailable?: (rs: ReplicaSet) => boolean } = {}): Promise<void> {
  const { stepMs = 50, limitMs = 60_000, neverAvailable } = options;
  for (let waited = 0; waited <= limitMs; waited += stepMs) {
    if (done()) return;
    await simulatePods(h, neverAvailable);
    await h.clock.advance(stepMs);
  }
  throw new Error(`timed out waiting for ${what}\nlogs:\n${h.logs.join('\n')}`);
}

/** The events the controller reported, as "reason: message". */
export function eventsOf(h: ControllerHarness): string[] {
  return h.api.list<KubeObject & { reason?: string; message?: string }>('v1', 'Event').map((e) => `${e.reason}: ${e.message}`);
}

/** A rollout is done: one ReplicaSet with every replica available, the others empty. */
export function rolledOut(h: ControllerHarness, name: string): boolean {
  const d = deploymentIn(h, name);
  const s = d.status ?? {};
  return (
    (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    (s.updatedReplicas ?? 0) === replicasOf(d) &&
    (s.replicas ?? 0) === replicasOf(d) &&
    (s.availableReplicas ?? 0) === replicasOf(d)
  );
}
