import { describe, expect, it } from 'vitest';
import { Framework } from '../framework/framework.ts';
import { makeNode, makePod } from '../framework/testing/fixtures.ts';
import { clusterOf } from '../framework/testing/run-plugin.ts';
import type { Snapshot } from '../framework/node-info.ts';
import type { Pod, PodDisruptionBudget } from '../framework/types.ts';

const fw = new Framework();

function preemptFor(pod: Pod, cluster: Snapshot, pdbs: PodDisruptionBudget[] = []) {
  const result = fw.schedulePod(pod, cluster, { startIndex: 0, random: () => 0 });
  if (result.kind !== 'unschedulable') throw new Error(`expected unschedulable, got ${result.suggestedHost}`);
  return { fitError: result.fitError, preemption: fw.preempt(pod, cluster, result.fitError.diagnosis, pdbs) };
}

const names = (pods: Pod[]) => pods.map((p) => p.metadata.name);

describe('DefaultPreemption', () => {
  it('evicts the fewest lowest-priority pods, reprieving what still fits', () => {
    const cluster = clusterOf([makeNode('w1', { cpu: '1' }), makeNode('w2', { cpu: '1' })], [
      makePod('low', { cpu: '400m', priority: 0, nodeName: 'w1' }),
      makePod('mid', { cpu: '400m', priority: 5, nodeName: 'w1' }),
      makePod('high', { cpu: '800m', priority: 10, nodeName: 'w2' }),
    ]);
    const { preemption } = preemptFor(makePod('urgent', { cpu: '500m', priority: 100 }), cluster);
    // w1 needs only "low" gone (mid is reprieved); w2 would lose a priority-10 pod.
    expect(preemption).toEqual({ nominatedNodeName: 'w1', victims: [cluster.get('w1')!.pods[0].pod], message: '' });
    expect(names(preemption.victims)).toEqual(['low']);
  });

  it('prefers the node whose victims violate no PodDisruptionBudget', () => {
    const cluster = clusterOf([makeNode('w1', { cpu: '1' }), makeNode('w2', { cpu: '1' })], [
      makePod('guarded', { cpu: '800m', priority: 0, labels: { app: 'db' }, nodeName: 'w1' }),
      makePod('free', { cpu: '800m', priority: 5, nodeName: 'w2' }),
    ]);
    const pdb: PodDisruptionBudget = {
      metadata: { name: 'db', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'db' } } },
      status: { disruptionsAllowed: 0 },
    };
    expect(preemptFor(makePod('urgent', { cpu: '500m', priority: 100 }), cluster, [pdb]).preemption.nominatedNodeName).toBe('w2');
    expect(preemptFor(makePod('urgent', { cpu: '500m', priority: 100 }), cluster).preemption.nominatedNodeName).toBe('w1');
  });

  it('breaks priority ties by fewer victims, then by the most recently started victims', () => {
    const cluster = clusterOf([makeNode('w1', { cpu: '1' }), makeNode('w2', { cpu: '1' }), makeNode('w3', { cpu: '1' })], [
      makePod('a1', { cpu: '400m', nodeName: 'w1', startTime: '2024-01-01T00:00:00Z' }),
      makePod('a2', { cpu: '400m', nodeName: 'w1', startTime: '2024-01-01T00:00:00Z' }),
      makePod('b', { cpu: '800m', nodeName: 'w2', startTime: '2024-01-01T00:00:00Z' }),
      makePod('c', { cpu: '800m', nodeName: 'w3', startTime: '2024-06-01T00:00:00Z' }),
    ]);
    const { preemption } = preemptFor(makePod('urgent', { cpu: '900m', priority: 1 }), cluster);
    expect(preemption.nominatedNodeName).toBe('w3');
    expect(names(preemption.victims)).toEqual(['c']);
  });

  it('explains why preemption cannot help, node by node', () => {
    const cluster = clusterOf(
      [makeNode('tainted', { cpu: '1', taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] }), makeNode('w1', { cpu: '1' }), makeNode('w2', { cpu: '1' })],
      [makePod('peer', { cpu: '800m', priority: 50, nodeName: 'w1' }), makePod('low', { cpu: '100m', priority: 0, nodeName: 'w2' })],
    );
    // w2 is too small even when empty; w1 holds only an equal-priority pod.
    const { fitError, preemption } = preemptFor(makePod('p', { cpu: '1500m', priority: 50 }), cluster);
    expect(preemption.nominatedNodeName).toBeUndefined();
    fitError.diagnosis.postFilterMsg = preemption.message;
    expect(fitError.message()).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: x}, 2 Insufficient cpu. ' +
        'preemption: 0/3 nodes are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    );
  });

  it('refuses for pods with preemptionPolicy Never', () => {
    const cluster = clusterOf([makeNode('w1', { cpu: '1' })], [makePod('low', { cpu: '800m', nodeName: 'w1' })]);
    const pod = makePod('p', { cpu: '500m', priority: 100, spec: { preemptionPolicy: 'Never' } });
    expect(preemptFor(pod, cluster).preemption).toEqual({ victims: [], message: 'preemption: not eligible due to preemptionPolicy=Never.' });
  });

  it('accounts for anti-affinity the victims caused', () => {
    const cluster = clusterOf([makeNode('w1'), makeNode('w2')], [
      makePod('db-low', { labels: { app: 'db' }, priority: 0, nodeName: 'w1' }),
      makePod('db-high', { labels: { app: 'db' }, priority: 1000, nodeName: 'w2' }),
    ]);
    const pod = makePod('p', {
      priority: 100,
      spec: {
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }],
          },
        },
      },
    });
    const { preemption } = preemptFor(pod, cluster);
    expect(preemption.nominatedNodeName).toBe('w1');
    expect(names(preemption.victims)).toEqual(['db-low']);
  });
});
