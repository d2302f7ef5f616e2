import type { KubeObject } from '@k8ts/api';
import { afterEach, describe, expect, it } from 'vitest';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { eventsAbout, node } from '../nodelifecycle/node-fixtures.ts';
import { NODE, type Node } from '../nodelifecycle/node-types.ts';
import { RangeAllocator } from './range-allocator.ts';
import { clusterCidrsFrom } from './starter.ts';

let harness: ControllerHarness;
afterEach(() => harness?.shutdown());

async function start(clusterCidr: string, objects: KubeObject[], serviceCidrs: string[] = []): Promise<ControllerHarness> {
  harness = new ControllerHarness(namespace('default'), ...objects);
  const h = harness;
  await h.start(
    new RangeAllocator({
      nodes: h.informers.forKind<Node>(NODE),
      nodeClient: h.client.forKind<Node>(NODE),
      recorder: h.recorder('cidrAllocator'),
      clusterCidrs: clusterCidrsFrom({ clusterCidr, nodeCidrMaskSize: 24 }),
      serviceCidrs,
      queue: h.newQueue('cidrallocator_node'),
      clock: h.clock,
      logger: h.logger,
    }),
  );
  return h;
}

const podCidrsOf = (h: ControllerHarness, name: string) => {
  const spec = h.api.get<Node>('v1', 'Node', undefined, name)?.spec;
  return spec?.podCIDRs ? { podCIDR: spec.podCIDR, podCIDRs: spec.podCIDRs } : undefined;
};

describe('node IPAM range allocator', () => {
  it('gives each node a /24 from the cluster CIDR, skipping subnets nodes already have', async () => {
    const h = await start('10.244.0.0/16', [node('old', { podCIDR: '10.244.0.0/24' }), node('a'), node('b')]);
    await h.until(() => podCidrsOf(h, 'a') !== undefined && podCidrsOf(h, 'b') !== undefined, 'both nodes allocated');
    const given = [podCidrsOf(h, 'a')!.podCIDR, podCidrsOf(h, 'b')!.podCIDR].sort();
    expect(given).toEqual(['10.244.1.0/24', '10.244.2.0/24']);
    expect(podCidrsOf(h, 'a')!.podCIDRs).toEqual([podCidrsOf(h, 'a')!.podCIDR]);
    expect(podCidrsOf(h, 'old')).toEqual({ podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] });
    expect(h.api.writes().filter((w) => w.resource === 'nodes').map((w) => w.verb)).toEqual(['patch', 'patch']);
  });

  it('returns a deleted node’s subnet to the pool, and says CIDRNotAvailable when the range is full', async () => {
    const h = await start('10.244.0.0/23', [node('a'), node('b')]);
    await h.until(() => podCidrsOf(h, 'a') !== undefined && podCidrsOf(h, 'b') !== undefined, 'both nodes allocated');
    await h.client.forKind<Node>(NODE).create(node('c'));
    await h.until(() => eventsAbout(h, 'Node').length > 0, 'CIDRNotAvailable event');
    expect(eventsAbout(h, 'Node')[0]).toBe('CIDRNotAvailable: Node c status is now: CIDRNotAvailable');
    expect(podCidrsOf(h, 'c')).toBeUndefined();
    expect(h.logs.some((l) => l.includes('failed to allocate cidr from cluster cidr at idx:0: CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range'))).toBe(true);

    const freed = podCidrsOf(h, 'a')!.podCIDR;
    await h.client.forKind<Node>(NODE).delete('a');
    // The failed node is retried with backoff and gets the freed subnet.
    await h.until(() => podCidrsOf(h, 'c') !== undefined, 'c allocated after a was deleted', 120_000);
    expect(podCidrsOf(h, 'c')!.podCIDR).toBe(freed);
  });

  it('never hands out the service range, and allocates one subnet per family when dual-stack', async () => {
    const h = await start('10.0.0.0/22,fd00:10:244::/56', [node('a')], ['10.0.0.0/23']);
    await h.until(() => podCidrsOf(h, 'a') !== undefined, 'a allocated');
    expect(podCidrsOf(h, 'a')).toEqual({ podCIDR: '10.0.2.0/24', podCIDRs: ['10.0.2.0/24', 'fd00:10:244::/64'] });
  });
});

describe('node IPAM range allocator on a cache that lags behind its own patch', () => {
  it('does not give a node a second subnet when a stale event requeues it', async () => {
    // The node as the informer still has it: no podCIDRs, though the patch has been made.
    let cached: Node = node('a');
    const patches: unknown[] = [];
    const allocator = new RangeAllocator({
      nodes: {
        lister: () => ({ get: () => cached, list: () => [cached] }),
        addEventHandler: () => undefined,
        hasSynced: () => true,
      } as never,
      nodeClient: { patch: async (_name: string, _type: string, patch: unknown) => void patches.push(patch) } as never,
      recorder: { event: () => undefined } as never,
      clusterCidrs: clusterCidrsFrom({ clusterCidr: '10.244.0.0/16', nodeCidrMaskSize: 24 }),
      serviceCidrs: [],
      queue: {} as never,
      clock: { now: () => 0 } as never,
      logger: { info: () => undefined, warn: () => undefined },
    });
    await allocator.syncNode('a');
    await allocator.syncNode('a');
    expect(patches).toEqual([{ spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] } }]);

    // Once the cache shows the subnet, the node is settled; a new node gets the next subnet.
    cached = node('a', { podCIDR: '10.244.0.0/24' });
    await allocator.syncNode('a');
    cached = node('b');
    await allocator.syncNode('b');
    expect(patches).toEqual([
      { spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] } },
      { spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] } },
    ]);
  });
});

describe('clusterCidrsFrom', () => {
  it('checks --cluster-cidr as Kubernetes does', () => {
    expect(() => clusterCidrsFrom({ clusterCidr: '', nodeCidrMaskSize: 24 })).toThrow('Controller: Must specify --cluster-cidr if --allocate-node-cidrs is set');
    expect(() => clusterCidrsFrom({ clusterCidr: '10.0.0.0/16,10.1.0.0/16', nodeCidrMaskSize: 24 })).toThrow(
      'len of ClusterCIDRs==2 and they are not configured as dual stack (at least one from each IPFamily',
    );
    expect(() => clusterCidrsFrom({ clusterCidr: '10.0.0.0/25', nodeCidrMaskSize: 24 })).toThrow(
      'Controller: Invalid --cluster-cidr, mask size of cluster CIDR must be less than or equal to --node-cidr-mask-size configured for CIDR family',
    );
    expect(clusterCidrsFrom({ clusterCidr: '10.244.0.0/16', nodeCidrMaskSize: 24 })).toEqual([{ cidr: '10.244.0.0/16', nodeMaskSize: 24 }]);
  });
});
