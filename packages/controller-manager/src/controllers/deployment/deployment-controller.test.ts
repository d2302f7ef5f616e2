import { afterEach, describe, expect, it } from 'vitest';
import { computeHash } from '../../controller/controller-utils.ts';
import type { ControllerHarness } from '../../testing/harness.ts';
import { deployment, deploymentIn, eventsOf, replicaSetsOf, rolledOut, runUntil, startController } from './testing.ts';
import { DEPLOYMENTS, replicasOf, type Deployment, type ReplicaSet } from './types.ts';

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

async function start(...deployments: Deployment[]): Promise<ControllerHarness> {
  harness = await startController(...deployments);
  return harness;
}

/** What `kubectl set image` does: a new template (the fake apiserver bumps generation). */
async function setImage(h: ControllerHarness, name: string, image: string, annotations?: Record<string, string>): Promise<void> {
  const d = structuredClone(deploymentIn(h, name));
  (d.spec.template.spec!.containers as { image: string }[])[0]!.image = image;
  if (annotations) d.metadata.annotations = { ...d.metadata.annotations, ...annotations };
  await h.client.forKind<Deployment>(DEPLOYMENTS).namespace('default').update(d);
}

async function patchSpec(h: ControllerHarness, name: string, spec: Record<string, unknown>): Promise<void> {
  await h.client.forKind<Deployment>(DEPLOYMENTS).namespace('default').patch(name, 'merge', { spec });
}

const byImage = (h: ControllerHarness, image: string): ReplicaSet | undefined =>
  replicaSetsOf(h).find((rs) => (rs.spec?.template?.spec?.containers as { image: string }[])[0]!.image === image);

const condition = (h: ControllerHarness, name: string, type: string) => deploymentIn(h, name).status?.conditions?.find((c) => c.type === type);

describe('deployment controller', () => {
  it('creates the new ReplicaSet named by the pod-template-hash, with revision and replica annotations', async () => {
    const h = await start(deployment('web', {}, { 'kubernetes.io/change-cause': 'first', 'kubectl.kubernetes.io/last-applied-configuration': '{}' }));
    await runUntil(h, () => rolledOut(h, 'web'), 'the first rollout');
    const d = deploymentIn(h, 'web');
    const hash = computeHash(d.spec.template);
    const [rs] = replicaSetsOf(h);
    expect(replicaSetsOf(h)).toHaveLength(1);
    expect(rs!.metadata.name).toBe(`web-${hash}`);
    expect(rs!.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs!.spec!.selector).toEqual({ matchLabels: { app: 'web', 'pod-template-hash': hash } });
    expect(rs!.spec!.template!.metadata!.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs!.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(rs!.metadata.annotations).toEqual({
      'kubernetes.io/change-cause': 'first',
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
    });
    expect(replicasOf(rs!)).toBe(3);
    // The revision rides on the status write, as deployments/status lets it.
    const statusWrites = h.api.writes().filter((w) => w.resource === 'deployments.apps' && w.subresource === 'status');
    expect(statusWrites.some((w) => (w.body as Deployment).metadata.annotations?.['deployment.kubernetes.io/revision'] === '1')).toBe(true);

    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(condition(h, 'web', 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    expect(condition(h, 'web', 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "web-${hash}" has successfully progressed.` });
    await h.settle();
    expect(eventsOf(h)).toEqual([`ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`]);
  });

  it('rolls out a new template within maxSurge and maxUnavailable at every step', async () => {
    const h = await start(deployment('web', { replicas: 4 }));
    await runUntil(h, () => rolledOut(h, 'web'), 'the first rollout');
    const desired = 4;
    const [surge, unavailable] = [1, 1]; // 25% of 4, rounded up and down
    let steps = 0;
    const violations: string[] = [];
    // Every ReplicaSet write is checked against the state it is about to create.
    h.api.prependReactor((action) => {
      if (action.resource !== 'replicasets.apps' || action.verb !== 'update' || action.subresource) return undefined;
      const written = action.body as ReplicaSet;
      const others = replicaSetsOf(h).filter((rs) => rs.metadata.name !== written.metadata.name);
      const stored = replicaSetsOf(h).find((rs) => rs.metadata.name === written.metadata.name)!;
      // A write from a stale cache is refused with a conflict: it changes nothing.
      if (written.metadata.resourceVersion !== stored.metadata.resourceVersion) return undefined;
      const total = others.reduce((n, rs) => n + replicasOf(rs), 0) + replicasOf(written);
      const available = others.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0) + Math.min(stored.status?.availableReplicas ?? 0, replicasOf(written));
      if (total > desired + surge) violations.push(`${total} pods wanted after resizing ${written.metadata.name}`);
      if (available < desired - unavailable) violations.push(`${available} pods available after resizing ${written.metadata.name}`);
      steps++;
      return undefined;
    });
    await h.clock.advance(2000);
    await setImage(h, 'web', 'nginx:1.28');
    await runUntil(h, () => rolledOut(h, 'web') && replicasOf(byImage(h, 'nginx:1.27')!) === 0, 'the second rollout');
    expect(violations).toEqual([]);
    expect(steps).toBeGreaterThan(2);
    const [oldRS, newRS] = [byImage(h, 'nginx:1.27')!, byImage(h, 'nginx:1.28')!];
    expect(newRS.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(oldRS.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(deploymentIn(h, 'web').status).toMatchObject({ replicas: 4, updatedReplicas: 4, availableReplicas: 4 });
    await h.settle();
    const events = eventsOf(h);
    expect(events).toContain(`ScalingReplicaSet: Scaled up replica set ${newRS.metadata.name} from 0 to 1`);
    expect(events).toContain(`ScalingReplicaSet: Scaled down replica set ${oldRS.metadata.name} from 4 to 3`);
    expect(events.at(-1)).toMatch(/^ScalingReplicaSet: Scaled down replica set .* from 1 to 0$/);
  });

  it('Recreate scales the old ReplicaSet to 0 and waits for its pods to be gone before creating the new one', async () => {
    const h = await start(deployment('web', { replicas: 2, strategy: { type: 'Recreate' } }));
    await runUntil(h, () => rolledOut(h, 'web'), 'the first rollout');
    const oldRS = replicaSetsOf(h)[0]!;
    const hash = oldRS.metadata.labels!['pod-template-hash']!;
    const pods = h.client.forKind({ group: '', version: 'v1', kind: 'Pod' }).namespace('default');
    for (const name of ['web-a', 'web-b']) {
      await pods.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, labels: { app: 'web', 'pod-template-hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: oldRS.metadata.name!, uid: oldRS.metadata.uid!, controller: true }] },
        status: { phase: 'Running' },
      });
    }
    await h.clock.advance(2000);
    await setImage(h, 'web', 'nginx:1.28');
    await runUntil(h, () => replicasOf(byImage(h, 'nginx:1.27')!) === 0 && byImage(h, 'nginx:1.27')!.status?.replicas === 0, 'the old ReplicaSet scaled down');
    await runUntil(h, () => false, 'nothing', { limitMs: 1000 }).catch(() => undefined);
    expect(byImage(h, 'nginx:1.28')).toBeUndefined();

    await pods.delete('web-a');
    await h.settle(500);
    expect(byImage(h, 'nginx:1.28')).toBeUndefined();
    await pods.delete('web-b');
    await runUntil(h, () => rolledOut(h, 'web'), 'the new ReplicaSet');
    expect(replicasOf(byImage(h, 'nginx:1.28')!)).toBe(2);
    const events = eventsOf(h);
    expect(events).toContain(`ScalingReplicaSet: Scaled down replica set ${oldRS.metadata.name} from 2 to 0`);
    expect(events).toContain(`ScalingReplicaSet: Scaled up replica set ${byImage(h, 'nginx:1.28')!.metadata.name} from 0 to 2`);
  });

  it('does not roll out while paused, but still scales; resuming continues the rollout', async () => {
    const h = await start(deployment('web'));
    await runUntil(h, () => rolledOut(h, 'web'), 'the first rollout');
    await patchSpec(h, 'web', { paused: true });
    await h.clock.advance(2000);
    await setImage(h, 'web', 'nginx:1.28');
    await patchSpec(h, 'web', { replicas: 5 });
    await runUntil(h, () => replicasOf(replicaSetsOf(h)[0]!) === 5 && deploymentIn(h, 'web').status?.availableReplicas === 5, 'scaled while paused');
    expect(byImage(h, 'nginx:1.28')).toBeUndefined();
    // Nothing runs the new template yet.
    expect(deploymentIn(h, 'web').status?.updatedReplicas).toBeUndefined();
    expect(condition(h, 'web', 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });

    await patchSpec(h, 'web', { paused: null });
    await runUntil(h, () => byImage(h, 'nginx:1.28') !== undefined, 'the rollout resumed');
    expect(h.api.writes().some((w) => w.subresource === 'status' && (w.body as Deployment).status?.conditions?.some((c) => c.reason === 'DeploymentResumed' && c.message === 'Deployment is resumed'))).toBe(true);
    await runUntil(h, () => rolledOut(h, 'web') && replicasOf(byImage(h, 'nginx:1.27')!) === 0, 'the rollout');
    expect(replicasOf(byImage(h, 'nginx:1.28')!)).toBe(5);
  });

  it('scales proportionally when resized mid-rollout', async () => {
    const h = await start(deployment('web', { replicas: 10, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
    await runUntil(h, () => rolledOut(h, 'web'), 'the first rollout');
    await h.clock.advance(2000);
    await setImage(h, 'web', 'nginx:bad');
    // The new pods never become ready: the rollout stalls at 8 old + 5 new.
    const stuck = (rs: ReplicaSet) => (rs.spec?.template?.spec?.containers as { image: string }[])[0]!.image === 'nginx:bad';
    await runUntil(h, () => replicasOf(byImage(h, 'nginx:1.27')!) === 8 && replicasOf(byImage(h, 'nginx:bad')!) === 5, 'the stalled rollout', { neverAvailable: stuck });
    await patchSpec(h, 'web', { replicas: 15 });
    await runUntil(h, () => replicasOf(byImage(h, 'nginx:1.27')!) === 11, 'proportional scaling', { neverAvailable: stuck });
    expect(replicasOf(byImage(h, 'nginx:bad')!)).toBe(7);
    expect(byImage(h, 'nginx:bad')!.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '15', 'deployment.kubernetes.io/max-replicas': '18' });
  });

  it('reports ProgressDeadlineExceeded when the new pods make no progress in time', async () => {
    const h = await start(deployment('web', { progressDeadlineSeconds: 30 }));
    await runUntil(h, () => rolledOut(h, 'web'), 'the first rollout');
    await h.clock.advance(2000);
    await setImage(h, 'web', 'nginx:bad');
    const stuck = (rs: ReplicaSet) => (rs.spec?.template?.spec?.containers as { image: string }[])[0]!.image === 'nginx:bad';
    await runUntil(h, () => condition(h, 'web', 'Progressing')?.reason === 'ProgressDeadlineExceeded', 'the deadline', { neverAvailable: stuck, stepMs: 500, limitMs: 120_000 });
    const newRS = byImage(h, 'nginx:bad')!;
    expect(condition(h, 'web', 'Progressing')).toMatchObject({ status: 'False', message: `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` });
    // Not before the deadline: the last progress was the new ReplicaSet's scale-up.
    const progressedAt = Date.parse(newRS.metadata.creationTimestamp!);
    expect(Date.parse(condition(h, 'web', 'Progressing')!.lastTransitionTime!)).toBeGreaterThan(progressedAt + 30_000);
  });

  it('keeps revisionHistoryLimit old ReplicaSets, deleting the oldest', async () => {
    const h = await start(deployment('web', { replicas: 2, revisionHistoryLimit: 1 }));
    await runUntil(h, () => rolledOut(h, 'web'), 'rollout 1');
    for (const image of ['nginx:2', 'nginx:3']) {
      await h.clock.advance(2000);
      await setImage(h, 'web', image);
      await runUntil(h, () => rolledOut(h, 'web') && replicaSetsOf(h).every((rs) => byImage(h, image) === rs || replicasOf(rs) === 0), `rollout to ${image}`);
    }
    await runUntil(h, () => replicaSetsOf(h).length === 2, 'history cleanup');
    expect(byImage(h, 'nginx:1.27')).toBeUndefined();
    expect(replicaSetsOf(h).map((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision']).sort()).toEqual(['2', '3']);
  });

  it('rolls back by reusing the old ReplicaSet, which takes the next revision and remembers its old one', async () => {
    const h = await start(deployment('web', { replicas: 2 }));
    await runUntil(h, () => rolledOut(h, 'web'), 'rollout 1');
    const first = replicaSetsOf(h)[0]!;
    await h.clock.advance(2000);
    await setImage(h, 'web', 'nginx:1.28', { 'kubernetes.io/change-cause': 'upgrade' });
    await runUntil(h, () => rolledOut(h, 'web') && replicasOf(byImage(h, 'nginx:1.27')!) === 0, 'rollout 2');
    expect(byImage(h, 'nginx:1.28')!.metadata.annotations?.['kubernetes.io/change-cause']).toBe('upgrade');

    // kubectl rollout undo: the old ReplicaSet's template, minus its hash label, replaces the
    // Deployment's (kubectl sends it as a JSON patch; the fake API takes the same change as a PUT).
    const template = structuredClone(first.spec!.template!);
    delete template.metadata!.labels!['pod-template-hash'];
    const undone = structuredClone(deploymentIn(h, 'web'));
    undone.spec.template = template;
    await h.client.forKind<Deployment>(DEPLOYMENTS).namespace('default').update(undone);
    await runUntil(h, () => rolledOut(h, 'web') && replicasOf(byImage(h, 'nginx:1.28')!) === 0, 'the rollback');
    expect(replicaSetsOf(h)).toHaveLength(2);
    const reused = h.api.get<ReplicaSet>('apps/v1', 'ReplicaSet', 'default', first.metadata.name!)!;
    expect(replicasOf(reused)).toBe(2);
    expect(reused.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
  });

  it('warns about an empty selector and does nothing else', async () => {
    const h = await start(deployment('all', { selector: {} }));
    await h.settle();
    expect(replicaSetsOf(h)).toEqual([]);
    expect(eventsOf(h)).toContain('SelectingAll: This deployment is selecting all pods. A non-empty selector is required.');
  });
});
