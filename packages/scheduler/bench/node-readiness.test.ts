import { describe, expect, it } from 'vitest';
import { NodeReadiness, type ObservedNode } from './node-readiness.ts';

function node(name: string, changes: { ready?: string; podCIDR?: string; taint?: string; unschedulable?: boolean } = {}): ObservedNode {
  return {
    metadata: { name },
    spec: {
      podCIDR: changes.podCIDR ?? '10.128.0.0/24',
      taints: changes.taint ? [{ key: changes.taint, effect: 'NoSchedule' }] : [],
      unschedulable: changes.unschedulable ?? false,
    },
    status: { conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: changes.ready ?? 'True' }] },
  };
}

describe('NodeReadiness', () => {
  it('counts a node once it is Ready, has a podCIDR and no node.kubernetes.io taint', () => {
    const nodes = new NodeReadiness();
    nodes.observe(node('a', { taint: 'node.kubernetes.io/not-ready' }), 'ADDED');
    nodes.observe(node('b', { podCIDR: '' }), 'ADDED');
    nodes.observe(node('c', { ready: 'Unknown' }), 'ADDED');
    nodes.observe(node('d', { unschedulable: true }), 'ADDED');
    nodes.observe(node('e', { taint: 'example.com/gpu' }), 'ADDED');
    expect([nodes.registered, nodes.ready]).toEqual([5, 1]);

    nodes.observe(node('a'), 'MODIFIED');
    nodes.observe(node('b'), 'MODIFIED');
    expect(nodes.ready).toBe(3);
    nodes.observe(node('a', { ready: 'False' }), 'MODIFIED');
    nodes.observe(node('b'), 'DELETED');
    expect([nodes.registered, nodes.ready]).toEqual([4, 1]);
  });
});
