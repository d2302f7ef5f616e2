import type { KubeObject, Status } from '@k8ts/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pod, ReplicaSet } from '../../controller/workload-types.ts';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { REPLICASET_CONTROLLER, ReplicaSetController } from './replicaset-controller.ts';

const RS = { group: 'apps', version: 'v1', kind: 'ReplicaSet' };
const PODS = { group: '', version: 'v1', kind: 'Pod' };

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

interface RsShape {
  minReadySeconds?: number;
  templateLabels?: Record<string, string>;
  metadata?: Partial<KubeObject['metadata']>;
}

function replicaSet(name: string, replicas: number, shape: RsShape = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', uid: `rs-uid-${name}`, generation: 1, ...shape.metadata },
    spec: {
      replicas,
      ...(shape.minReadySeconds ? { minReadySeconds: shape.minReadySeconds } : {}),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: shape.templateLabels ?? { app: name } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
      },
    },
  };
}

/** A pod as if created earlier: optionally owned by a ReplicaSet, bound, running and ready. */
function pod(name: string, labels: Record<string, string>, shape: { owner?: ReplicaSet; node?: string; ready?: boolean } = {}): Pod {
  const owner = shape.owner;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      labels,
      ...(owner
        ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true }] }
        : {}),
    },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...(shape.node ? { nodeName: shape.node } : {}) },
    status: {
      phase: shape.node ? 'Running' : 'Pending',
      conditions: [{ type: 'Ready', status: shape.ready ? 'True' : 'False', lastTransitionTime: '2025-01-01T00:00:00Z' }],
    },
  };
}

async function start(...objects: KubeObject[]): Promise<{ h: ControllerHarness; controller: ReplicaSetController }> {
  return startWith({}, ...objects);
}

async function startWith(overrides: { burstReplicas?: number }, ...objects: KubeObject[]): Promise<{ h: ControllerHarness; controller: ReplicaSetController }> {
  const h = (harness = new ControllerHarness(namespace('default'), ...objects));
  const controller = new ReplicaSetController({
    replicaSets: h.informers.forKind<ReplicaSet>(RS),
    pods: h.informers.forKind<Pod>(PODS),
    replicaSetClient: h.client.forKind<ReplicaSet>(RS),
    podClient: h.client.forKind<Pod>(PODS),
    recorder: h.recorder(REPLICASET_CONTROLLER),
    queue: h.newQueue('replicaset'),
    workers: 5,
    ...overrides,
    clock: h.clock,
    logger: h.logger,
  });
  await h.start(controller);
  return { h, controller };
}

const podsOf = (h: ControllerHarness) => h.api.list<Pod>('v1', 'Pod');
const livePods = (h: ControllerHarness) => podsOf(h).filter((p) => !p.metadata.deletionTimestamp);
const rsNamed = (h: ControllerHarness, name: string) => h.api.get<ReplicaSet>('apps/v1', 'ReplicaSet', 'default', name)!;
const podWrites = (h: ControllerHarness, verb: string) => h.api.writes().filter((w) => w.resource === 'pods' && w.verb === verb && !w.subresource);

function forbidden(message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Forbidden', code: 403 };
}

/** Marks a pod bound, Running and Ready since `now` (what the scheduler and kubelet would do). */
async function makeReady(h: ControllerHarness, name: string, node = 'node-1'): Promise<void> {
  const client = h.client.forKind<Pod>(PODS).namespace('default');
  await client.patch(name, 'merge', { spec: { nodeName: node } });
  const since = new Date(h.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  await client.patch(name, 'merge', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] } }, { subresource: 'status' });
}

describe('ReplicaSet controller', () => {
  it('creates the missing pods from the template, owned by the ReplicaSet, and reports them', async () => {
    const { h } = await start(replicaSet('web', 3));
    await h.until(() => podsOf(h).length === 3 && rsNamed(h, 'web').status?.replicas === 3, '3 pods and status.replicas 3');
    for (const p of podsOf(h)) {
      expect(p.metadata.generateName).toBe('web-');
      expect(p.metadata.labels).toEqual({ app: 'web' });
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid-web', controller: true, blockOwnerDeletion: true }]);
      expect(p.spec).toEqual({ containers: [{ name: 'app', image: 'nginx:1.27' }] });
    }
    await h.until(() => h.eventLines().length === 3, 'three events');
    expect(h.eventLines().sort()).toEqual(podsOf(h).map((p) => `Normal SuccessfulCreate Created pod: ${p.metadata.name}`).sort());
    const events = h.api.list<KubeObject & { source?: { component?: string }; involvedObject?: { kind?: string; name?: string } }>('v1', 'Event');
    expect(events.every((e) => e.source?.component === 'replicaset-controller' && e.involvedObject?.kind === 'ReplicaSet' && e.involvedObject.name === 'web')).toBe(true);
    const rs = rsNamed(h, 'web');
    expect(rs.status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    // status is written through the status subresource, and not again while nothing changes
    const statusWrites = () => h.api.writes().filter((w) => w.resource === 'replicasets.apps' && w.subresource === 'status').length;
    const before = statusWrites();
    expect(before).toBeGreaterThan(0);
    await h.settle();
    expect(statusWrites()).toBe(before);
    expect(podWrites(h, 'create')).toHaveLength(3);
  });

  it('scales down by deleting unassigned and not-ready pods before ready ones', async () => {
    const rs = replicaSet('web', 3);
    const { h } = await start(
      rs,
      pod('web-ready', { app: 'web' }, { owner: rs, node: 'node-1', ready: true }),
      pod('web-notready', { app: 'web' }, { owner: rs, node: 'node-1' }),
      pod('web-pending', { app: 'web' }, { owner: rs }),
    );
    await h.until(() => rsNamed(h, 'web').status?.replicas === 3, 'initial status');
    expect(podWrites(h, 'create')).toHaveLength(0);
    await h.client.forKind<ReplicaSet>(RS).namespace('default').patch('web', 'merge', { spec: { replicas: 1 } });
    await h.until(() => rsNamed(h, 'web').status?.replicas === 1, 'status.replicas 1');
    expect(podWrites(h, 'delete').map((w) => w.name).sort()).toEqual(['web-notready', 'web-pending']);
    // pods on a node are deleted gracefully: still there, but terminating and not counted
    expect(livePods(h).map((p) => p.metadata.name)).toEqual(['web-ready']);
    expect(rsNamed(h, 'web').status).toMatchObject({ replicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 2 });
    await h.until(() => h.eventLines().length === 2, 'delete events');
    expect(h.eventLines().sort()).toEqual(['Normal SuccessfulDelete Deleted pod: web-notready', 'Normal SuccessfulDelete Deleted pod: web-pending']);
    await h.settle();
    expect(podWrites(h, 'create')).toHaveLength(0);
  });

  it('replaces a pod that is deleted, and one that is being deleted gracefully', async () => {
    const { h } = await start(replicaSet('web', 2));
    await h.until(() => podsOf(h).length === 2, '2 pods');
    const [first, second] = podsOf(h).map((p) => p.metadata.name!);
    const pods = h.client.forKind<Pod>(PODS).namespace('default');
    await pods.delete(first!);
    await h.until(() => livePods(h).length === 2 && !livePods(h).some((p) => p.metadata.name === first), 'a replacement');

    await makeReady(h, second!);
    await pods.delete(second!); // bound: it lingers with a deletionTimestamp until its kubelet is done
    await h.until(() => livePods(h).length === 2 && podsOf(h).length === 3, 'a replacement for the terminating pod');
    expect(podsOf(h).find((p) => p.metadata.name === second)?.metadata.deletionTimestamp).toBeTruthy();
    await h.settle();
    expect(podWrites(h, 'create')).toHaveLength(4);
  });

  it('adopts matching orphans with a uid-keyed patch and releases owned pods that stopped matching', async () => {
    const rs = replicaSet('web', 2);
    const { h } = await start(rs, pod('orphan', { app: 'web' }), pod('stray', { app: 'other' }, { owner: rs }), pod('unrelated', { app: 'db' }));
    await h.until(() => rsNamed(h, 'web').status?.replicas === 2, 'status.replicas 2');
    const orphan = podsOf(h).find((p) => p.metadata.name === 'orphan')!;
    const stray = podsOf(h).find((p) => p.metadata.name === 'stray')!;
    expect(orphan.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid-web', controller: true, blockOwnerDeletion: true }]);
    expect(stray.metadata.ownerReferences).toEqual([]);
    const patches = h.api.writes().filter((w) => w.resource === 'pods' && w.verb === 'patch');
    expect(patches.find((w) => w.name === 'orphan')?.body).toEqual({
      metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid-web', controller: true, blockOwnerDeletion: true }], uid: orphan.metadata.uid },
    });
    expect(patches.find((w) => w.name === 'stray')?.body).toEqual({ metadata: { ownerReferences: [{ $patch: 'delete', uid: 'rs-uid-web' }], uid: stray.metadata.uid } });
    expect(patches.some((w) => w.name === 'unrelated')).toBe(false);
    // one adopted + one new pod
    expect(podWrites(h, 'create')).toHaveLength(1);
    // the uncached re-read of the ReplicaSet before adopting
    expect(h.api.actions.some((a) => a.verb === 'get' && a.resource === 'replicasets.apps' && a.name === 'web')).toBe(true);
  });

  it('does not adopt for a ReplicaSet that the apiserver says is being deleted', async () => {
    const { h } = await start();
    h.api.prependReactor((action) => {
      if (action.verb !== 'get' || action.resource !== 'replicasets.apps') return undefined;
      const live = rsNamed(h, 'web');
      return { ...live, metadata: { ...live.metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } };
    });
    await h.client.forKind<Pod>(PODS).create(pod('orphan', { app: 'web' }));
    await h.client.forKind<ReplicaSet>(RS).create(replicaSet('web', 1));
    await h.until(() => h.logs.some((l) => l.includes("can't adopt Pod default/orphan")), 'the refused adoption');
    expect(h.logs.find((l) => l.includes("can't adopt"))).toContain('default/web has just been deleted at 2025-01-01T00:00:00Z');
    expect(h.api.writes().some((w) => w.resource === 'pods' && w.verb === 'patch')).toBe(false);
    // a sync whose claim failed creates nothing either
    await h.settle();
    expect(podsOf(h).map((p) => p.metadata.name)).toEqual(['orphan']);
  });

  it('leaves a ReplicaSet that is being deleted alone but for its status', async () => {
    const rs = replicaSet('web', 3, { metadata: { deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] } });
    const { h } = await start(rs, pod('orphan', { app: 'web' }), pod('web-1', { app: 'web' }, { owner: rs }));
    await h.until(() => rsNamed(h, 'web').status?.replicas === 1, 'status.replicas 1');
    expect(podWrites(h, 'create')).toHaveLength(0);
    expect(h.api.writes().some((w) => w.resource === 'pods' && w.verb === 'patch')).toBe(false);
  });

  it('does not create twice while the informer has not seen its pods, until expectations expire after 5 minutes', async () => {
    const { h, controller } = await start();
    // Creates succeed but the pods never show up in the watch (a slow informer).
    let made = 0;
    h.api.prependReactor((action) => {
      if (action.verb !== 'create' || action.resource !== 'pods') return undefined;
      made++;
      return { ...(action.body as Pod), metadata: { ...(action.body as Pod).metadata, name: `ghost-${made}`, namespace: 'default' } };
    });
    await h.client.forKind<ReplicaSet>(RS).create(replicaSet('web', 2));
    await h.until(() => made === 2, 'two creates');
    expect(controller.expectations.satisfiedExpectations('default/web')).toBe(false);
    await h.client.forKind<ReplicaSet>(RS).namespace('default').patch('web', 'merge', { metadata: { annotations: { poke: '1' } } });
    await h.settle();
    expect(made).toBe(2);

    await h.clock.advance(5 * 60 * 1000 + 1);
    expect(controller.expectations.satisfiedExpectations('default/web')).toBe(true);
    await h.client.forKind<ReplicaSet>(RS).namespace('default').patch('web', 'merge', { metadata: { annotations: { poke: '2' } } });
    await h.until(() => made === 4, 'creates again after the expectations expired');
  });

  it('counts ready, available (after minReadySeconds) and fully labeled replicas', async () => {
    const rs = replicaSet('web', 2, { minReadySeconds: 10, templateLabels: { app: 'web', tier: 'fe' } });
    const { h } = await start(rs, pod('orphan', { app: 'web' }));
    await h.until(() => rsNamed(h, 'web').status?.replicas === 2, '2 replicas');
    expect(rsNamed(h, 'web').status).toEqual({ replicas: 2, fullyLabeledReplicas: 1, observedGeneration: 1 });
    // Ready conditions carry whole seconds.
    const readySince = Math.floor(h.clock.now() / 1000) * 1000;
    for (const p of podsOf(h)) await makeReady(h, p.metadata.name!);
    await h.until(() => rsNamed(h, 'web').status?.readyReplicas === 2, '2 ready');
    expect(rsNamed(h, 'web').status?.availableReplicas).toBeUndefined();
    // Nothing else happens: the controller comes back by itself once minReadySeconds have passed.
    await h.until(() => rsNamed(h, 'web').status?.availableReplicas === 2, '2 available', 15_000);
    expect(h.clock.now() - readySince).toBeGreaterThan(10_000);
    expect(rsNamed(h, 'web').status).toEqual({ replicas: 2, fullyLabeledReplicas: 1, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });
  });

  it('creates in slow-start batches, reports FailedCreate, and clears ReplicaFailure once creates succeed', async () => {
    const { h } = await start();
    let quota = 3;
    h.api.prependReactor((action) => {
      if (action.verb !== 'create' || action.resource !== 'pods') return undefined;
      if (quota > 0) {
        quota--;
        return undefined;
      }
      return forbidden('pods "web-abcde" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=3, limited: pods=3');
    });
    await h.client.forKind<ReplicaSet>(RS).create(replicaSet('web', 10));
    await h.until(() => (rsNamed(h, 'web').status?.conditions ?? []).length > 0, 'the ReplicaFailure condition');
    const condition = rsNamed(h, 'web').status!.conditions![0]!;
    expect(condition).toMatchObject({
      type: 'ReplicaFailure',
      status: 'True',
      reason: 'FailedCreate',
      message: 'pods "web-abcde" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=3, limited: pods=3',
    });
    await h.settle(200);
    // The first sync tried batches of 1, 2 and 4 (the third failing); every retry tries one pod.
    const failedSyncs = h.logs.filter((l) => l.startsWith('W replicaset-controller: syncing "default/web" failed')).length;
    expect(failedSyncs).toBeGreaterThan(1);
    expect(podWrites(h, 'create')).toHaveLength(7 + (failedSyncs - 1));
    expect(podsOf(h)).toHaveLength(3);
    await h.until(() => h.eventLines().some((l) => l.startsWith('Warning FailedCreate')), 'a FailedCreate event');
    expect(h.eventLines().find((l) => l.startsWith('Warning FailedCreate'))).toBe(
      'Warning FailedCreate Error creating: pods "web-abcde" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=3, limited: pods=3',
    );

    quota = 100;
    await h.until(() => podsOf(h).length === 10 && rsNamed(h, 'web').status?.replicas === 10, '10 pods', 120_000);
    await h.until(() => rsNamed(h, 'web').status?.conditions === undefined, 'ReplicaFailure cleared');
  });

  it('spreads deletions away from nodes crowded with pods of the same Deployment', async () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'deploy-uid', controller: true, blockOwnerDeletion: true };
    const current = replicaSet('web-new', 2, { metadata: { ownerReferences: [deployment] } });
    const old = replicaSet('web-old', 1, { metadata: { ownerReferences: [deployment] } });
    const { h } = await start(
      current,
      old,
      pod('new-crowded', { app: 'web-new' }, { owner: current, node: 'node-1', ready: true }),
      pod('new-alone', { app: 'web-new' }, { owner: current, node: 'node-2', ready: true }),
      pod('old-1', { app: 'web-old' }, { owner: old, node: 'node-1', ready: true }),
    );
    await h.until(() => rsNamed(h, 'web-new').status?.replicas === 2, 'initial status');
    await h.client.forKind<ReplicaSet>(RS).namespace('default').patch('web-new', 'merge', { spec: { replicas: 1 } });
    await h.until(() => podWrites(h, 'delete').length === 1, 'one deletion');
    expect(podWrites(h, 'delete')[0]!.name).toBe('new-crowded');
  });

  it('releases a running pod relabelled out of the selector and replaces it', async () => {
    const { h } = await start(replicaSet('web', 1));
    await h.until(() => podsOf(h).length === 1, 'one pod');
    const name = podsOf(h)[0]!.metadata.name!;
    await h.client.forKind<Pod>(PODS).namespace('default').patch(name, 'merge', { metadata: { labels: { app: 'debug' } } });
    await h.until(() => podsOf(h).length === 2 && rsNamed(h, 'web').status?.replicas === 1, 'a replacement');
    const released = podsOf(h).find((p) => p.metadata.name === name)!;
    expect(released.metadata.ownerReferences).toEqual([]);
    expect(released.metadata.labels).toEqual({ app: 'debug' });
  });

  it('creates at most burstReplicas pods per sync', async () => {
    const { h } = await startWith({ burstReplicas: 2 }, replicaSet('web', 5));
    await h.until(() => podsOf(h).length === 5, 'five pods');
    expect(h.logs.filter((l) => l.startsWith('I Too few replicas'))).toEqual([
      'I Too few replicas for ReplicaSet default/web, need 5, creating 2',
      'I Too few replicas for ReplicaSet default/web, need 5, creating 2',
      'I Too few replicas for ReplicaSet default/web, need 5, creating 1',
    ]);
  });
});
