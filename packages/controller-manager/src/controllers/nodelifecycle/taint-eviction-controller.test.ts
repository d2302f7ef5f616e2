import type { KubeObject } from '@k8ts/api';
import { afterEach, describe, expect, it } from 'vitest';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { eventsAbout, node, pod } from './node-fixtures.ts';
import { NODE, POD, type Node, type Pod, type Taint, type Toleration } from './node-types.ts';
import { TaintEvictionController } from './taint-eviction-controller.ts';

let harness: ControllerHarness;
afterEach(() => harness?.shutdown());

const UNREACHABLE: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2025-01-01T00:00:00Z' };
/** What the DefaultTolerationSeconds admission plugin gives every pod. */
const DEFAULT_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

async function start(...objects: KubeObject[]): Promise<ControllerHarness> {
  harness = new ControllerHarness(namespace('default'), ...objects);
  const h = harness;
  await h.start(
    new TaintEvictionController({
      pods: h.informers.forKind<Pod>(POD),
      nodes: h.informers.forKind<Node>(NODE),
      podClient: h.client.forKind<Pod>(POD),
      recorder: h.recorder('taint-eviction-controller'),
      nodeQueue: h.newQueue('noexec_taint_node'),
      podQueue: h.newQueue('noexec_taint_pod'),
      clock: h.clock,
      logger: h.logger,
    }),
  );
  return h;
}

/** Still there and not being deleted (a bound pod's graceful deletion waits for its kubelet). */
const exists = (h: ControllerHarness, name: string) => {
  const stored = h.api.get<Pod>('v1', 'Pod', 'default', name);
  return stored !== undefined && !stored.metadata.deletionTimestamp;
};

async function runFor(h: ControllerHarness, seconds: number): Promise<void> {
  for (let s = 0; s < seconds; s++) await h.clock.advance(1000);
}

describe('taint eviction controller', () => {
  it('deletes pods that do not tolerate a NoExecute taint at once, marking them DisruptionTarget first', async () => {
    const h = await start(node('n1', { taints: [UNREACHABLE] }), node('n2'), pod('default', 'bare', { nodeName: 'n1' }), pod('default', 'elsewhere', { nodeName: 'n2' }));
    await h.until(() => !exists(h, 'bare'), 'bare pod deleted', 1000);
    const writes = h.api.writes().filter((w) => w.resource === 'pods');
    expect(writes.map((w) => `${w.verb} ${w.name}${w.subresource ? `/${w.subresource}` : ''}`)).toEqual(['patch bare/status', 'delete bare']);
    expect(writes[0]!.body).toMatchObject({
      status: { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }] },
    });
    expect(eventsAbout(h, 'Pod')).toEqual(['TaintManagerEviction: Marking for deletion Pod default/bare']);
    expect(exists(h, 'elsewhere')).toBe(true);
  });

  it('deletes pods after their tolerationSeconds, not before, and keeps pods that tolerate forever', async () => {
    const forever: Toleration = { operator: 'Exists' };
    const h = await start(
      node('n1', { taints: [UNREACHABLE] }),
      pod('default', 'defaulted', { nodeName: 'n1', tolerations: DEFAULT_TOLERATIONS }),
      pod('default', 'quick', { nodeName: 'n1', tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }] }),
      pod('default', 'daemon', { nodeName: 'n1', tolerations: [forever] }),
    );
    await runFor(h, 29);
    expect([exists(h, 'defaulted'), exists(h, 'quick')]).toEqual([true, true]);
    await runFor(h, 2);
    expect(exists(h, 'quick')).toBe(false);
    await runFor(h, 260);
    expect(exists(h, 'defaulted')).toBe(true);
    await runFor(h, 10);
    expect(exists(h, 'defaulted')).toBe(false);
    await runFor(h, 600);
    expect(exists(h, 'daemon')).toBe(true);
  });

  it('cancels a pending eviction when the taint goes away, and evicts when a taint arrives later', async () => {
    const h = await start(node('n1', { taints: [UNREACHABLE] }), node('n2'), pod('default', 'web', { nodeName: 'n1', tolerations: DEFAULT_TOLERATIONS }), pod('default', 'db', { nodeName: 'n2' }));
    await runFor(h, 100);
    const n1 = structuredClone(h.api.get<Node>('v1', 'Node', undefined, 'n1')!);
    n1.spec!.taints = [];
    await h.client.forKind<Node>(NODE).update(n1);
    await runFor(h, 400);
    expect(exists(h, 'web')).toBe(true);
    expect(eventsAbout(h, 'Pod')).toEqual(['TaintManagerEviction: Cancelling deletion of Pod default/web']);

    const n2 = structuredClone(h.api.get<Node>('v1', 'Node', undefined, 'n2')!);
    n2.spec!.taints = [{ key: 'maintenance', effect: 'NoExecute' }];
    await h.client.forKind<Node>(NODE).update(n2);
    await h.until(() => !exists(h, 'db'), 'db evicted from the newly tainted node', 1000);
  });

  it('evicts a pod bound to an already tainted node', async () => {
    const h = await start(node('n1', { taints: [UNREACHABLE] }));
    await h.client.forKind<Pod>(POD).namespace('default').create(pod('default', 'late', { nodeName: 'n1' }));
    await h.until(() => !exists(h, 'late'), 'late pod evicted', 1000);
  });
});
