import type { KubeObject, OwnerReference } from '@k8ts/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../controller/workload-types.ts';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { DisruptionController } from './disruption-controller.ts';
import { workloadFinders } from './finders.ts';
import {
  DEPLOYMENT_KIND,
  PDB_KIND,
  REPLICASET_KIND,
  REPLICATION_CONTROLLER_KIND,
  STATEFULSET_KIND,
  type PodDisruptionBudget,
  type ScaledWorkload,
} from './types.ts';

// The harness clock starts at 2025-01-01T00:00:00Z.
const T0 = Date.UTC(2025, 0, 1);
const PODS = { group: '', version: 'v1', kind: 'Pod' };

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

function ref(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

function workload(apiVersion: string, kind: string, name: string, replicas: number, owner?: KubeObject): ScaledWorkload {
  return {
    apiVersion,
    kind,
    metadata: { name, namespace: 'default', uid: `uid-${kind}-${name}`, ...(owner ? { ownerReferences: [ref(owner)] } : {}) },
    spec: { replicas },
  };
}

function pod(name: string, shape: { owner?: KubeObject; ready?: boolean; labels?: Record<string, string> } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: shape.labels ?? { app: 'web' }, ...(shape.owner ? { ownerReferences: [ref(shape.owner)] } : {}) },
    spec: { nodeName: 'node-1' },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: shape.ready === false ? 'False' : 'True' }] },
  };
}

function pdb(name: string, spec: PodDisruptionBudget['spec'], status?: PodDisruptionBudget['status']): PodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: 'default', generation: 1 },
    spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
    ...(status ? { status } : {}),
  };
}

async function start(...objects: KubeObject[]): Promise<ControllerHarness> {
  const h = (harness = new ControllerHarness(namespace('default'), ...objects));
  const informers = {
    replicationControllers: h.informers.forKind<ScaledWorkload>(REPLICATION_CONTROLLER_KIND),
    deployments: h.informers.forKind<ScaledWorkload>(DEPLOYMENT_KIND),
    replicaSets: h.informers.forKind<ScaledWorkload>(REPLICASET_KIND),
    statefulSets: h.informers.forKind<ScaledWorkload>(STATEFULSET_KIND),
  };
  const controller = new DisruptionController({
    pdbs: h.informers.forKind<PodDisruptionBudget>(PDB_KIND),
    pods: h.informers.forKind<Pod>(PODS),
    pdbClient: h.client.forKind<PodDisruptionBudget>(PDB_KIND),
    finders: workloadFinders(
      {
        replicationControllers: informers.replicationControllers.lister(),
        deployments: informers.deployments.lister(),
        replicaSets: informers.replicaSets.lister(),
        statefulSets: informers.statefulSets.lister(),
      },
      h.client,
    ),
    finderSynced: Object.values(informers).map((i) => () => i.hasSynced()),
    recorder: h.recorder('controllermanager'),
    queue: h.newQueue('disruption'),
    clock: h.clock,
    logger: h.logger,
  });
  await h.start(controller);
  return h;
}

const pdbNamed = (h: ControllerHarness, name: string) => h.api.get<PodDisruptionBudget>('policy/v1', 'PodDisruptionBudget', 'default', name)!;

async function statusOf(h: ControllerHarness, name: string): Promise<PodDisruptionBudget['status']> {
  await h.until(() => pdbNamed(h, name).status?.observedGeneration === 1, `${name}'s status`);
  return pdbNamed(h, name).status;
}

describe('disruption controller', () => {
  const deployment = workload('apps/v1', 'Deployment', 'web', 3);
  const rs = workload('apps/v1', 'ReplicaSet', 'web-abc', 3, deployment);
  const deploymentPods = [pod('web-1', { owner: rs }), pod('web-2', { owner: rs }), pod('web-3', { owner: rs })];

  it('allows the disruptions a minAvailable count leaves room for', async () => {
    const h = await start(deployment, rs, ...deploymentPods, pdb('web', { minAvailable: 2 }));
    expect(await statusOf(h, 'web')).toEqual({
      observedGeneration: 1,
      disruptionsAllowed: 1,
      currentHealthy: 3,
      desiredHealthy: 2,
      expectedPods: 3,
      conditions: [{ type: 'DisruptionAllowed', status: 'True', observedGeneration: 1, lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'SufficientPods', message: '' }],
    });
  });

  it('takes percentages of the controller\'s scale, not of the pods that exist', async () => {
    // The Deployment wants 4; 3 exist, one of them not ready.
    const d4 = { ...deployment, spec: { replicas: 4 } };
    const pods = [pod('web-1', { owner: rs }), pod('web-2', { owner: rs }), pod('web-3', { owner: rs, ready: false })];
    const h = await start(d4, rs, ...pods, pdb('web', { maxUnavailable: '50%' }), pdb('other', { minAvailable: '50%', selector: { matchLabels: { app: 'db' } } }));
    expect(await statusOf(h, 'web')).toMatchObject({ expectedPods: 4, desiredHealthy: 2, currentHealthy: 2, disruptionsAllowed: 0 });
    expect(pdbNamed(h, 'web').status?.conditions?.[0]).toMatchObject({ status: 'False', reason: 'InsufficientPods' });
  });

  it('counts a StatefulSet and a bare ReplicaSet by their replicas', async () => {
    const sts = workload('apps/v1', 'StatefulSet', 'db', 3);
    const bare = workload('apps/v1', 'ReplicaSet', 'cache', 2);
    const pods = [pod('db-0', { owner: sts }), pod('db-1', { owner: sts }), pod('cache-1', { owner: bare })];
    const h = await start(sts, bare, ...pods, pdb('all', { maxUnavailable: 1 }));
    expect(await statusOf(h, 'all')).toMatchObject({ expectedPods: 5, desiredHealthy: 4, currentHealthy: 3, disruptionsAllowed: 0 });
  });

  it('follows pods becoming unready and going away', async () => {
    const h = await start(deployment, rs, ...deploymentPods, pdb('web', { minAvailable: 1 }));
    expect(await statusOf(h, 'web')).toMatchObject({ disruptionsAllowed: 2 });
    await h.client.forKind<Pod>(PODS).namespace('default').patch('web-1', 'merge', { status: { conditions: [{ type: 'Ready', status: 'False' }] } }, { subresource: 'status' });
    await h.until(() => pdbNamed(h, 'web').status?.disruptionsAllowed === 1, 'one disruption allowed');
    await h.client.forKind<Pod>(PODS).namespace('default').delete('web-2', { gracePeriodSeconds: 0 });
    await h.until(() => pdbNamed(h, 'web').status?.disruptionsAllowed === 0, 'no disruption allowed');
    expect(pdbNamed(h, 'web').status).toMatchObject({ currentHealthy: 1, desiredHealthy: 1, expectedPods: 2 });
    expect(pdbNamed(h, 'web').status?.conditions).toEqual([
      { type: 'DisruptionAllowed', status: 'False', observedGeneration: 1, lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'InsufficientPods', message: '' },
    ]);
  });

  it('does not count a recently evicted pod, and forgets it after two minutes with a warning', async () => {
    const disruptedAt = new Date(T0 - 30_000).toISOString().replace('.000', '');
    const budget = pdb('web', { minAvailable: 2 }, { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 3, disruptedPods: { 'web-1': disruptedAt } });
    const h = await start(deployment, rs, ...deploymentPods, budget);
    expect(await statusOf(h, 'web')).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 0, disruptedPods: { 'web-1': disruptedAt } });
    // Its entry expires 90 s from now, unless the pod is deleted first.
    await h.until(() => pdbNamed(h, 'web').status?.currentHealthy === 3, 'the pod counted again', 100_000);
    expect(h.clock.now()).toBeGreaterThanOrEqual(T0 + 90_000);
    expect(pdbNamed(h, 'web').status?.disruptedPods).toBeUndefined();
    expect(h.eventLines()).toContain("Warning NotDeleted Pod was expected by PDB default/web to be deleted but it wasn't");
  });

  it('warns about pods without a controller when it needs a scale', async () => {
    const h = await start(pod('loose-1'), pod('loose-2'), pdb('web', { minAvailable: '50%' }));
    expect(await statusOf(h, 'web')).toMatchObject({ expectedPods: 0, desiredHealthy: 0, currentHealthy: 2, disruptionsAllowed: 0 });
    expect(h.eventLines()).toContain(
      'Warning UnmanagedPods Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
    );
  });

  it('fails safe when a pod\'s controller has no scale', async () => {
    const job = workload('batch/v1', 'Job', 'once', 1);
    const h = await start(job, pod('once-abc', { owner: job }), pdb('web', { maxUnavailable: 1 }, { disruptionsAllowed: 1, currentHealthy: 1, desiredHealthy: 0, expectedPods: 1 }));
    await h.until(() => pdbNamed(h, 'web').status?.conditions !== undefined, 'a condition');
    expect(pdbNamed(h, 'web').status).toEqual({
      disruptionsAllowed: 0,
      currentHealthy: 1,
      desiredHealthy: 0,
      expectedPods: 1,
      conditions: [{ type: 'DisruptionAllowed', status: 'False', lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'SyncFailed', message: 'jobs.batch does not implement the scale subresource' }],
    });
    expect(h.eventLines()).toContain('Warning CalculateExpectedPodCountFailed Failed to calculate the number of expected pods: jobs.batch does not implement the scale subresource');
  });

  it('says when the selector matches nothing', async () => {
    const h = await start(pdb('empty', { minAvailable: 1, selector: { matchLabels: { app: 'none' } } }));
    expect(await statusOf(h, 'empty')).toMatchObject({ expectedPods: 0, currentHealthy: 0, desiredHealthy: 1, disruptionsAllowed: 0 });
    expect(h.eventLines()).toContain('Normal NoPods No matching pods found');
  });
});
