import type { KubeObject } from '@k8ts/api';
import { afterEach, describe, expect, it } from 'vitest';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { healthyConditions, node, pod } from '../nodelifecycle/node-fixtures.ts';
import { NODE, POD, type Node, type Pod } from '../nodelifecycle/node-types.ts';
import { POD_GC_DEFAULTS, PodGcController, type PodGcOptions } from './pod-gc-controller.ts';

let harness: ControllerHarness;
afterEach(() => harness?.shutdown());

const T0 = Date.UTC(2025, 0, 1);

async function start(objects: KubeObject[], options: Partial<PodGcOptions> = {}): Promise<ControllerHarness> {
  harness = new ControllerHarness(namespace('default'), ...objects);
  const h = harness;
  await h.start(
    new PodGcController({
      pods: h.informers.forKind<Pod>(POD),
      nodes: h.informers.forKind<Node>(NODE),
      podClient: h.client.forKind<Pod>(POD),
      nodeClient: h.client.forKind<Node>(NODE),
      options: { ...POD_GC_DEFAULTS, ...options },
      clock: h.clock,
      logger: h.logger,
    }),
  );
  return h;
}

const exists = (h: ControllerHarness, name: string) => h.api.get<Pod>('v1', 'Pod', 'default', name) !== undefined;
const podWrites = (h: ControllerHarness) =>
  h.api
    .writes()
    .filter((w) => w.resource === 'pods')
    .map((w) => `${w.verb} ${w.name}${w.subresource ? `/${w.subresource}` : ''}`);

async function runFor(h: ControllerHarness, seconds: number): Promise<void> {
  for (let s = 0; s < seconds; s++) await h.clock.advance(1000);
}

describe('pod garbage collector', () => {
  it('deletes finished pods beyond the threshold, evicted first, then oldest', async () => {
    const h = await start(
      [
        node('n1', { conditions: healthyConditions(T0) }),
        pod('default', 'done-1', { nodeName: 'n1', phase: 'Succeeded', createdAt: T0 - 5000 }),
        pod('default', 'done-2', { nodeName: 'n1', phase: 'Failed', createdAt: T0 - 4000 }),
        pod('default', 'done-3', { nodeName: 'n1', phase: 'Succeeded', createdAt: T0 - 3000 }),
        pod('default', 'done-4', { nodeName: 'n1', phase: 'Succeeded', createdAt: T0 - 2000 }),
        pod('default', 'evicted', { nodeName: 'n1', phase: 'Failed', reason: 'Evicted', createdAt: T0 - 1000 }),
        pod('default', 'running', { nodeName: 'n1', createdAt: T0 - 9000 }),
      ],
      { terminatedPodThreshold: 2 },
    );
    await h.settle();
    expect(['done-1', 'done-2', 'done-3', 'done-4', 'evicted', 'running'].filter((n) => exists(h, n))).toEqual(['done-3', 'done-4', 'running']);
    expect(podWrites(h).sort()).toEqual(['delete done-1', 'delete done-2', 'delete evicted']);
    expect(h.api.writes().every((w) => (w.body as { gracePeriodSeconds?: number }).gracePeriodSeconds === 0)).toBe(true);
  });

  it('deletes pods of a vanished node only after the 40 s quarantine, marking them Failed with DisruptionTarget', async () => {
    const h = await start([node('n1', { conditions: healthyConditions(T0) }), pod('default', 'orphan', { nodeName: 'gone' }), pod('default', 'fine', { nodeName: 'n1' }), pod('default', 'early', { nodeName: 'late' })]);
    await runFor(h, 30);
    expect(exists(h, 'orphan')).toBe(true);
    // A node the cache had not seen yet shows up within the quarantine: its pod stays.
    await h.client.forKind<Node>(NODE).create(node('late'));
    await runFor(h, 15);
    expect(exists(h, 'orphan')).toBe(false);
    expect([exists(h, 'fine'), exists(h, 'early')]).toEqual([true, true]);
    expect(podWrites(h)).toEqual(['patch orphan/status', 'delete orphan']);
    const statusPatch = h.api.writes().find((w) => w.subresource === 'status')!;
    expect(statusPatch.body).toMatchObject({
      status: { phase: 'Failed', conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' }] },
    });
    expect(h.api.actions.filter((a) => a.verb === 'get' && a.resource === 'nodes').map((a) => a.name)).toEqual(['gone']);
  });

  it('force-deletes terminating pods that were never scheduled', async () => {
    const h = await start([{ ...pod('default', 'stuck', { deleting: true }), status: { phase: 'Pending' } } as Pod]);
    await h.settle();
    expect(exists(h, 'stuck')).toBe(false);
    expect(podWrites(h)).toEqual(['patch stuck/status', 'delete stuck']);
  });

  it('force-deletes terminating pods on a NotReady node with the out-of-service taint, and only there', async () => {
    const notReady = healthyConditions(T0).map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown' as const } : c));
    const h = await start([
      node('dead', { conditions: notReady, taints: [{ key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }] }),
      node('unreachable', { conditions: notReady }),
      node('healthy', { conditions: healthyConditions(T0), taints: [{ key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }] }),
      pod('default', 'on-dead', { nodeName: 'dead', deleting: true }),
      pod('default', 'on-unreachable', { nodeName: 'unreachable', deleting: true }),
      pod('default', 'on-healthy', { nodeName: 'healthy', deleting: true }),
    ]);
    await h.settle();
    expect(['on-dead', 'on-unreachable', 'on-healthy'].filter((n) => exists(h, n))).toEqual(['on-unreachable', 'on-healthy']);
  });
});
