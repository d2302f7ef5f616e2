import { afterEach, describe, expect, it } from 'vitest';
import type { ControllerHarness } from '../../testing/harness.ts';
import { newRevision } from './revisions.ts';
import { PODS, type PersistentVolumeClaim, type Pod } from './types.ts';
import {
  claimNames,
  podIn,
  podNames,
  readyAll,
  revisionsIn,
  runUntil,
  setIn,
  setPodPhase,
  startController,
  statefulSet,
  updateSet,
} from './testing.ts';

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

async function start(...args: Parameters<typeof startController>): Promise<ControllerHarness> {
  harness = await startController(...args);
  return harness;
}

const imageOf = (pod: Pod | undefined): string | undefined => (pod?.spec?.containers as { image: string }[] | undefined)?.[0]?.image;

describe('statefulset-controller: OrderedReady', () => {
  it('creates web-0 with its claim first, and web-1 only once web-0 is Running and Ready', async () => {
    const h = await start(statefulSet('web'));
    await h.until(() => podNames(h).length === 1, 'web-0');
    await h.settle(2000);
    expect(podNames(h)).toEqual(['web-0']);
    expect(claimNames(h)).toEqual(['www-web-0']);

    const pod = podIn(h, 'web-0')!;
    const revision = revisionsIn(h)[0]!;
    expect(pod.metadata.labels).toEqual({
      app: 'web',
      'statefulset.kubernetes.io/pod-name': 'web-0',
      'apps.kubernetes.io/pod-index': '0',
      'controller-revision-hash': revision.metadata.name,
    });
    expect(pod.metadata.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: setIn(h, 'web').metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(pod.spec).toMatchObject({ hostname: 'web-0', subdomain: 'web', volumes: [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } }] });
    const claim = h.api.get<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', 'default', 'www-web-0')!;
    expect(claim.metadata.labels).toEqual({ app: 'web' });
    expect(claim.metadata.ownerReferences).toBeUndefined();
    expect(claim.spec).toMatchObject({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });

    await setPodPhase(h, 'web-0', 'Running', false);
    await h.settle(1000);
    expect(podNames(h)).toEqual(['web-0']);
    await setPodPhase(h, 'web-0', 'Running');
    await h.until(() => podNames(h).length === 2, 'web-1');
    await runUntil(h, () => setIn(h, 'web').status?.readyReplicas === 3, 'three ready replicas');

    expect(h.eventLines().filter((e) => e.includes('SuccessfulCreate'))).toEqual([
      'Normal SuccessfulCreate create Claim www-web-0 Pod web-0 in StatefulSet web success',
      'Normal SuccessfulCreate create Pod web-0 in StatefulSet web successful',
      'Normal SuccessfulCreate create Claim www-web-1 Pod web-1 in StatefulSet web success',
      'Normal SuccessfulCreate create Pod web-1 in StatefulSet web successful',
      'Normal SuccessfulCreate create Claim www-web-2 Pod web-2 in StatefulSet web success',
      'Normal SuccessfulCreate create Pod web-2 in StatefulSet web successful',
    ]);
    expect(h.eventLines().filter((e) => e.startsWith('Warning'))).toEqual([]);
    expect(setIn(h, 'web').status).toEqual({
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      currentRevision: revision.metadata.name,
      updateRevision: revision.metadata.name,
      collisionCount: 0,
      availableReplicas: 3,
    });
  });

  it('with minReadySeconds, waits for each pod to be available before the next', async () => {
    const h = await start(statefulSet('web', { replicas: 2, minReadySeconds: 10, volumeClaimTemplates: [] }));
    await h.until(() => podNames(h).length === 1, 'web-0');
    await setPodPhase(h, 'web-0', 'Running');
    await h.settle(5000);
    expect(podNames(h)).toEqual(['web-0']);
    expect(setIn(h, 'web').status).toMatchObject({ readyReplicas: 1 });
    expect(setIn(h, 'web').status?.availableReplicas).toBeUndefined();
    // Nothing changes in the API after this: the controller wakes itself when web-0 becomes available.
    await h.until(() => podNames(h).length === 2, 'web-1 after minReadySeconds', 10_000);
    expect(setIn(h, 'web').status?.availableReplicas).toBe(1);
  });

  it('starts at spec.ordinals.start', async () => {
    const h = await start(statefulSet('db', { replicas: 2, ordinals: { start: 5 }, volumeClaimTemplates: [] }));
    await runUntil(h, () => podNames(h).length === 2 && setIn(h, 'db').status?.readyReplicas === 2, 'two pods');
    expect(podNames(h)).toEqual(['db-5', 'db-6']);
  });

  it('scales down from the highest ordinal, one at a time, keeping the claims', async () => {
    const h = await start(statefulSet('web'));
    await runUntil(h, () => setIn(h, 'web').status?.readyReplicas === 3, 'three ready');
    h.api.clearActions();
    await updateSet(h, 'web', (s) => (s.spec!.replicas = 1));
    await runUntil(h, () => podNames(h).length === 1, 'one pod left');
    const deletions = h.api.writes().filter((w) => w.verb === 'delete' && w.resource === 'pods').map((w) => w.name);
    expect(deletions).toEqual(['web-2', 'web-1']);
    expect(podNames(h)).toEqual(['web-0']);
    expect(claimNames(h)).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
    expect(h.eventLines()).toContain('Normal SuccessfulDelete delete Pod web-2 in StatefulSet web successful');
    await h.until(() => setIn(h, 'web').status?.replicas === 1, 'status of one replica');
  });

  it('waits for an unhealthy pod before scaling down past it', async () => {
    const h = await start(statefulSet('web'));
    await runUntil(h, () => setIn(h, 'web').status?.readyReplicas === 3, 'three ready');
    await setPodPhase(h, 'web-0', 'Running', false);
    await updateSet(h, 'web', (s) => (s.spec!.replicas = 1));
    await h.settle(2000);
    // web-0 is not ready: OrderedReady blocks on it before touching the condemned pods.
    expect(podNames(h)).toEqual(['web-0', 'web-1', 'web-2']);
    await setPodPhase(h, 'web-0', 'Running');
    await h.until(() => podNames(h).length === 1, 'scaled down');
  });

  it('recreates a deleted pod with the same name and claim', async () => {
    const h = await start(statefulSet('web'));
    await runUntil(h, () => setIn(h, 'web').status?.readyReplicas === 3, 'three ready');
    const before = podIn(h, 'web-1')!.metadata.uid;
    await h.client.forKind<Pod>(PODS).namespace('default').delete('web-1');
    await h.until(() => !!podIn(h, 'web-1') && podIn(h, 'web-1')!.metadata.uid !== before, 'web-1 again');
    const again = podIn(h, 'web-1')!;
    expect(again.spec?.volumes).toEqual([{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } }]);
    expect(claimNames(h)).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
  });

  it('deletes a failed pod and creates it again', async () => {
    const h = await start(statefulSet('web', { replicas: 1 }));
    await runUntil(h, () => setIn(h, 'web').status?.readyReplicas === 1, 'one ready');
    const before = podIn(h, 'web-0')!.metadata.uid;
    await setPodPhase(h, 'web-0', 'Failed');
    await h.until(() => !!podIn(h, 'web-0') && podIn(h, 'web-0')!.metadata.uid !== before, 'web-0 again');
    expect(podIn(h, 'web-0')!.status?.phase).toBeUndefined();
    expect(h.eventLines()).toContain('Normal SuccessfulDelete delete Pod web-0 in StatefulSet web successful');
  });
});

describe('statefulset-controller: Parallel', () => {
  it('creates and deletes all pods at once', async () => {
    const h = await start(statefulSet('web', { podManagementPolicy: 'Parallel' }));
    await h.until(() => podNames(h).length === 3, 'three pods');
    expect(podIn(h, 'web-2')!.status?.phase).toBeUndefined();
    await updateSet(h, 'web', (s) => (s.spec!.replicas = 0));
    await h.until(() => podNames(h).length === 0, 'no pods');
    expect(claimNames(h)).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
  });
});

describe('statefulset-controller: updates', () => {
  it('rolls out a new template from the highest ordinal down, then makes it current', async () => {
    const h = await start(statefulSet('web'));
    await runUntil(h, () => setIn(h, 'web').status?.readyReplicas === 3, 'three ready');
    const first = setIn(h, 'web').status!.currentRevision!;
    h.api.clearActions();
    await updateSet(h, 'web', (s) => (s.spec!.template!.spec!.containers = [{ name: 'nginx', image: 'nginx:1.28' }]));
    await h.until(() => revisionsIn(h).length === 2, 'a second revision');
    const second = revisionsIn(h).find((r) => r.metadata.name !== first)!;
    expect(second.revision).toBe(2);
    await runUntil(h, () => setIn(h, 'web').status?.currentRevision === second.metadata.name && setIn(h, 'web').status?.readyReplicas === 3, 'rolled out');
    const deletions = h.api.writes().filter((w) => w.verb === 'delete' && w.resource === 'pods').map((w) => w.name);
    expect(deletions).toEqual(['web-2', 'web-1', 'web-0']);
    expect(podNames(h).map((n) => imageOf(podIn(h, n)))).toEqual(['nginx:1.28', 'nginx:1.28', 'nginx:1.28']);
    expect(setIn(h, 'web').status).toMatchObject({ observedGeneration: 2, currentReplicas: 3, updatedReplicas: 3, updateRevision: second.metadata.name });
  });

  it('keeps pods below the partition at the current revision', async () => {
    const h = await start(statefulSet('web', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }));
    await runUntil(h, () => setIn(h, 'web').status?.readyReplicas === 3, 'three ready');
    await updateSet(h, 'web', (s) => (s.spec!.template!.spec!.containers = [{ name: 'nginx', image: 'nginx:1.28' }]));
    await runUntil(h, () => setIn(h, 'web').status?.updatedReplicas === 1 && setIn(h, 'web').status?.readyReplicas === 3, 'web-2 updated');
    await h.settle(2000);
    expect(podNames(h).map((n) => imageOf(podIn(h, n)))).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.28']);
    const status = setIn(h, 'web').status!;
    expect(status.currentRevision).not.toBe(status.updateRevision);
    expect(status).toMatchObject({ currentReplicas: 2, updatedReplicas: 1 });
  });

  it('OnDelete updates a pod only when the user deletes it', async () => {
    const h = await start(statefulSet('web', { updateStrategy: { type: 'OnDelete' } }));
    await runUntil(h, () => setIn(h, 'web').status?.readyReplicas === 3, 'three ready');
    await updateSet(h, 'web', (s) => (s.spec!.template!.spec!.containers = [{ name: 'nginx', image: 'nginx:1.28' }]));
    await h.settle(2000);
    expect(podNames(h).map((n) => imageOf(podIn(h, n)))).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
    await h.client.forKind<Pod>(PODS).namespace('default').delete('web-0');
    await runUntil(h, () => imageOf(podIn(h, 'web-0')) === 'nginx:1.28', 'web-0 updated');
    expect(imageOf(podIn(h, 'web-1'))).toBe('nginx:1.27');
  });

  it('rolls back to an earlier template by renumbering its revision', async () => {
    const h = await start(statefulSet('web', { replicas: 1 }));
    await runUntil(h, () => setIn(h, 'web').status?.readyReplicas === 1, 'one ready');
    const original = revisionsIn(h)[0]!;
    await updateSet(h, 'web', (s) => (s.spec!.template!.spec!.containers = [{ name: 'nginx', image: 'nginx:1.28' }]));
    await runUntil(h, () => imageOf(podIn(h, 'web-0')) === 'nginx:1.28' && setIn(h, 'web').status?.readyReplicas === 1, 'updated');
    await updateSet(h, 'web', (s) => (s.spec!.template!.spec!.containers = [{ name: 'nginx', image: 'nginx:1.27' }]));
    await runUntil(h, () => imageOf(podIn(h, 'web-0')) === 'nginx:1.27' && setIn(h, 'web').status?.readyReplicas === 1, 'rolled back');
    expect(revisionsIn(h).map((r) => [r.metadata.name, r.revision]).sort()).toEqual(
      [
        [original.metadata.name, 3],
        [revisionsIn(h).find((r) => r.metadata.name !== original.metadata.name)!.metadata.name, 2],
      ].sort(),
    );
    expect(setIn(h, 'web').status?.currentRevision).toBe(original.metadata.name);
  });

  it('keeps at most revisionHistoryLimit unused revisions', async () => {
    const h = await start(statefulSet('web', { replicas: 1, revisionHistoryLimit: 1 }));
    await runUntil(h, () => setIn(h, 'web').status?.readyReplicas === 1, 'one ready');
    for (const image of ['nginx:1', 'nginx:2', 'nginx:3']) {
      await updateSet(h, 'web', (s) => (s.spec!.template!.spec!.containers = [{ name: 'nginx', image }]));
      await runUntil(h, () => imageOf(podIn(h, 'web-0')) === image && setIn(h, 'web').status?.readyReplicas === 1, image);
    }
    await h.settle(1000);
    expect(revisionsIn(h).map((r) => r.revision).sort()).toEqual([3, 4]);
  });

  it('copies the set annotations onto its revisions (rollout history shows change-cause)', async () => {
    const set = statefulSet('web', { replicas: 1 });
    set.metadata.annotations = { 'kubernetes.io/change-cause': 'first' };
    const h = await start(set);
    await h.until(() => revisionsIn(h).length === 1, 'a revision');
    expect(revisionsIn(h)[0]!.metadata.annotations).toEqual({ 'kubernetes.io/change-cause': 'first' });
    expect(revisionsIn(h)[0]!.data).toEqual({ spec: { template: { ...set.spec!.template, $patch: 'replace' } } });
  });
});

describe('statefulset-controller: claim retention', () => {
  it('whenScaled Delete hands a scaled-away claim to its pod; whenDeleted Delete gives the others to the set', async () => {
    const h = await start(statefulSet('web', { replicas: 2, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } }));
    await runUntil(h, () => setIn(h, 'web').status?.readyReplicas === 2, 'two ready');
    const claim = (name: string) => h.api.get<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', 'default', name)!;
    const setUid = setIn(h, 'web').metadata.uid;
    await h.until(() => claim('www-web-1').metadata.ownerReferences?.[0]?.uid === setUid, 'claims owned by the set');
    expect(claim('www-web-0').metadata.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: setUid, controller: true, blockOwnerDeletion: true },
    ]);
    const web1 = podIn(h, 'web-1')!.metadata.uid;
    await updateSet(h, 'web', (s) => (s.spec!.replicas = 1));
    await runUntil(h, () => podNames(h).length === 1, 'scaled down');
    expect(claim('www-web-1').metadata.ownerReferences).toEqual([
      { apiVersion: 'v1', kind: 'Pod', name: 'web-1', uid: web1, controller: true, blockOwnerDeletion: true },
    ]);
  });

  it('leaves claims alone under the default Retain policy', async () => {
    const h = await start(statefulSet('web', { replicas: 2 }));
    await runUntil(h, () => setIn(h, 'web').status?.readyReplicas === 2, 'two ready');
    await readyAll(h);
    await h.settle(500);
    expect(h.api.writes().filter((w) => w.resource === 'persistentvolumeclaims' && w.verb !== 'create')).toEqual([]);
  });
});

describe('statefulset-controller: ownership and repair', () => {
  it('adopts the orphaned revision and pods a set left behind (delete --cascade=orphan, then recreate)', async () => {
    const set = statefulSet('web', { replicas: 1, volumeClaimTemplates: [] });
    set.metadata.uid = 'new-set-uid';
    const orphanRevision = newRevision(set, 1, 0);
    delete orphanRevision.metadata.ownerReferences;
    const orphanPod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'web-0',
        namespace: 'default',
        labels: { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-0', 'controller-revision-hash': orphanRevision.metadata.name! },
      },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }], hostname: 'web-0', subdomain: 'web' },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    };
    const h = await start(set, orphanRevision, orphanPod);
    await h.until(() => setIn(h, 'web').status?.readyReplicas === 1, 'the adopted pod counted');
    const owner = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'new-set-uid', controller: true, blockOwnerDeletion: true };
    expect(revisionsIn(h).map((r) => [r.metadata.name, r.metadata.ownerReferences])).toEqual([[orphanRevision.metadata.name, [owner]]]);
    expect(podIn(h, 'web-0')!.metadata.ownerReferences).toEqual([owner]);
    expect(h.api.writes().filter((w) => w.resource === 'pods' && (w.verb === 'create' || w.verb === 'delete'))).toEqual([]);
    expect(setIn(h, 'web').status).toMatchObject({ currentReplicas: 1, updatedReplicas: 1, currentRevision: orphanRevision.metadata.name });
  });

  it('restores the pod-name label a user removed', async () => {
    const h = await start(statefulSet('web', { replicas: 1 }));
    await runUntil(h, () => setIn(h, 'web').status?.readyReplicas === 1, 'one ready');
    const pods = h.client.forKind<Pod>(PODS).namespace('default');
    const pod = await pods.get('web-0');
    delete pod.metadata.labels!['statefulset.kubernetes.io/pod-name'];
    await pods.update(pod);
    await h.until(() => podIn(h, 'web-0')!.metadata.labels?.['statefulset.kubernetes.io/pod-name'] === 'web-0', 'label restored');
    await h.until(() => h.eventLines().includes('Normal SuccessfulUpdate update Pod web-0 in StatefulSet web successful'), 'the update event');
  });
});
