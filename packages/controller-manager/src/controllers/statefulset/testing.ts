// Test support for the StatefulSet controller: StatefulSets as the apiserver would default
// them, the controller on a ControllerHarness, and stand-ins for the kubelet (a pod becomes
// Running and Ready, or fails) so the ordered start-up can proceed.
import type { KubeObject } from '@k8ts/api';
import { formatRfc3339 } from '@k8ts/api/protobuf/rfc3339.ts';
import { isConflict } from '@k8ts/client';
import { CONTROLLER_REVISION_KIND, type ControllerRevision } from '../../controller/history.ts';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { StatefulSetController } from './statefulset-controller.ts';
import { PERSISTENT_VOLUME_CLAIMS, PODS, STATEFUL_SETS, type PersistentVolumeClaim, type Pod, type StatefulSet, type StatefulSetSpec } from './types.ts';

export function statefulSet(name: string, spec: Partial<StatefulSetSpec> & { image?: string } = {}): StatefulSet {
  const { image = 'nginx:1.27', ...rest } = spec;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default', generation: 1 },
    spec: {
      replicas: 3,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image }] } },
      volumeClaimTemplates: [
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'www' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
        },
      ],
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      ...rest,
    },
  };
}

export async function startController(...objects: KubeObject[]): Promise<ControllerHarness> {
  const h = new ControllerHarness(namespace('default'), ...objects);
  const controller = new StatefulSetController({
    sets: h.informers.forKind<StatefulSet>(STATEFUL_SETS),
    pods: h.informers.forKind<Pod>(PODS),
    claims: h.informers.forKind<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS),
    revisions: h.informers.forKind<ControllerRevision>(CONTROLLER_REVISION_KIND),
    setClient: h.client.forKind<StatefulSet>(STATEFUL_SETS),
    podClient: h.client.forKind<Pod>(PODS),
    claimClient: h.client.forKind<PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIMS),
    revisionClient: h.client.forKind<ControllerRevision>(CONTROLLER_REVISION_KIND),
    recorder: h.recorder('statefulset-controller'),
    queue: h.newQueue('statefulset'),
    workers: 2,
    clock: h.clock,
    logger: h.logger,
  });
  await h.start(controller);
  return h;
}

export const podNames = (h: ControllerHarness): string[] => h.api.list<Pod>('v1', 'Pod').map((p) => p.metadata.name!).sort();
export const podIn = (h: ControllerHarness, name: string): Pod | undefined => h.api.get<Pod>('v1', 'Pod', 'default', name);
export const claimNames = (h: ControllerHarness): string[] => h.api.list('v1', 'PersistentVolumeClaim').map((c) => c.metadata.name!).sort();
export const setIn = (h: ControllerHarness, name: string): StatefulSet => h.api.get<StatefulSet>('apps/v1', 'StatefulSet', 'default', name)!;
export const revisionsIn = (h: ControllerHarness): ControllerRevision[] => h.api.list<ControllerRevision>('apps/v1', 'ControllerRevision');

/** The kubelet's report for a pod: its phase, and Ready when Running (since `now`). */
export async function setPodPhase(h: ControllerHarness, name: string, phase: 'Running' | 'Failed' | 'Succeeded', ready = phase === 'Running'): Promise<void> {
  const client = h.client.forKind<Pod>(PODS).namespace('default');
  const pod = await client.get(name);
  const since = formatRfc3339(Math.floor(h.clock.now() / 1000));
  await client.updateStatus({ ...pod, status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: since }] } });
}

/** Every pod that exists and is not Running yet becomes Running and Ready. */
export async function readyAll(h: ControllerHarness): Promise<void> {
  for (const pod of h.api.list<Pod>('v1', 'Pod')) {
    if (pod.status?.phase !== 'Running' && !pod.metadata.deletionTimestamp) await setPodPhase(h, pod.metadata.name!, 'Running');
  }
}

/** Runs the world until `done`: each step, new pods come up Running and Ready. */
export async function runUntil(h: ControllerHarness, done: () => boolean, what: string): Promise<void> {
  for (let step = 0; step < 200; step++) {
    if (done()) return;
    await readyAll(h);
    await h.settle(100);
  }
  await h.until(done, what, 0);
}

export async function updateSet(h: ControllerHarness, name: string, change: (set: StatefulSet) => void): Promise<void> {
  const client = h.client.forKind<StatefulSet>(STATEFUL_SETS).namespace('default');
  // The controller writes status concurrently: retry on conflict, as kubectl edit would.
  for (;;) {
    const set = await client.get(name);
    change(set);
    try {
      await client.update(set);
      return;
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }
}
