import { describe, expect, it } from 'vitest';
import { makeNode, makePod } from '../framework/testing/fixtures.ts';
import { clusterOf, filterAll, scoreAll } from '../framework/testing/run-plugin.ts';
import type { Affinity } from '../framework/types.ts';
import { InterPodAffinity } from './inter-pod-affinity.ts';

const nodes = [
  makeNode('n1', { labels: { zone: 'a' } }),
  makeNode('n2', { labels: { zone: 'a' } }),
  makeNode('n3', { labels: { zone: 'b' } }),
  makeNode('n4'),
];
const term = (app: string, topologyKey: string) => ({ labelSelector: { matchLabels: { app } }, topologyKey });
const withAffinity = (name: string, affinity: Affinity, labels: Record<string, string> = { app: 'web' }, nodeName?: string) =>
  makePod(name, { labels, nodeName, spec: { affinity } });

describe('InterPodAffinity filter', () => {
  const cluster = clusterOf(nodes, [makePod('db', { labels: { app: 'db' }, nodeName: 'n1' })]);

  it('requires a matching pod in the same topology domain for affinity', () => {
    const pod = withAffinity('p', { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', 'zone')] } });
    expect(filterAll(new InterPodAffinity(), pod, cluster)).toEqual({
      n1: 'fits',
      n2: 'fits',
      n3: "UnschedulableAndUnresolvable: node(s) didn't match pod affinity rules",
      n4: "UnschedulableAndUnresolvable: node(s) didn't match pod affinity rules",
    });
  });

  it('lets the first pod of a self-affine group go anywhere the topology label exists', () => {
    const pod = withAffinity('p', { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', 'zone')] } });
    const result = filterAll(new InterPodAffinity(), pod, cluster);
    expect([result.n1, result.n3]).toEqual(['fits', 'fits']);
    expect(result.n4).toContain("didn't match pod affinity rules");
  });

  it('rejects domains holding a pod the anti-affinity selects', () => {
    const pod = withAffinity('p', { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', 'kubernetes.io/hostname')] } });
    expect(filterAll(new InterPodAffinity(), pod, cluster)).toEqual({
      n1: "Unschedulable: node(s) didn't match pod anti-affinity rules",
      n2: 'fits',
      n3: 'fits',
      n4: 'fits',
    });
  });

  it("honours existing pods' anti-affinity against the incoming pod", () => {
    const guarded = clusterOf(nodes, [
      withAffinity('loner', { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', 'zone')] } }, { app: 'loner' }, 'n1'),
    ]);
    expect(filterAll(new InterPodAffinity(), makePod('p', { labels: { app: 'web' } }), guarded)).toEqual({
      n1: "Unschedulable: node(s) didn't satisfy existing pods anti-affinity rules",
      n2: "Unschedulable: node(s) didn't satisfy existing pods anti-affinity rules",
      n3: 'fits',
      n4: 'fits',
    });
  });
});

describe('InterPodAffinity score', () => {
  it('adds preferred weights per topology domain and scales min..max to 0..100', () => {
    const cluster = clusterOf(nodes.slice(0, 3), [makePod('db', { labels: { app: 'db' }, nodeName: 'n1' })]);
    const pod = withAffinity('p', {
      podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: term('db', 'zone') }] },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 20, podAffinityTerm: term('db', 'kubernetes.io/hostname') }] },
    });
    // n1: +50 (zone a) −20 (same host) = 30; n2: 50; n3: 0.
    expect(scoreAll(new InterPodAffinity(), pod, cluster)).toEqual({ n1: [30, 60], n2: [50, 100], n3: [0, 0] });
  });

  it('skips pods when no affinity is involved', () => {
    expect(scoreAll(new InterPodAffinity(), makePod('p'), clusterOf(nodes))).toBe('skip');
  });
});
