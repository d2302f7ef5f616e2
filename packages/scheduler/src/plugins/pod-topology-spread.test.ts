import { describe, expect, it } from 'vitest';
import { makeNode, makePod } from '../framework/testing/fixtures.ts';
import { clusterOf, filterAll, scoreAll } from '../framework/testing/run-plugin.ts';
import { PodTopologySpread } from './pod-topology-spread.ts';
import type { TopologySpreadConstraint } from '../framework/types.ts';

const web = (name: string, nodeName?: string) => makePod(name, { labels: { app: 'web' }, nodeName });
const spread = (c: Partial<TopologySpreadConstraint>) =>
  makePod('incoming', {
    labels: { app: 'web' },
    spec: {
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...c },
      ],
    },
  });

describe('PodTopologySpread filter', () => {
  const cluster = clusterOf(
    [
      makeNode('a1', { labels: { zone: 'a' } }),
      makeNode('a2', { labels: { zone: 'a' } }),
      makeNode('b1', { labels: { zone: 'b' } }),
      makeNode('nolabel'),
    ],
    [web('w1', 'a1'), web('w2', 'a2'), web('w3', 'b1'), web('w4', 'a1')],
  );

  it('rejects domains that would exceed maxSkew over the emptiest domain', () => {
    // zone a holds 3, zone b 1: a → 3 + 1 − 1 = 3 > 1; b → 1 + 1 − 1 = 1.
    expect(filterAll(new PodTopologySpread(), spread({}), cluster)).toEqual({
      a1: "Unschedulable: node(s) didn't match pod topology spread constraints",
      a2: "Unschedulable: node(s) didn't match pod topology spread constraints",
      b1: 'fits',
      nolabel: "UnschedulableAndUnresolvable: node(s) didn't match pod topology spread constraints (missing required label)",
    });
  });

  it('treats the global minimum as 0 while there are fewer domains than minDomains', () => {
    // min taken as 0: b → 1 + 1 − 0 = 2 > 1 too.
    expect(filterAll(new PodTopologySpread(), spread({ minDomains: 3 }), cluster).b1).toContain('Unschedulable');
  });

  it('counts only pods of the pod\'s namespace that match the selector', () => {
    const other = clusterOf([makeNode('a1', { labels: { zone: 'a' } }), makeNode('b1', { labels: { zone: 'b' } })], [
      makePod('x', { labels: { app: 'web' }, namespace: 'other', nodeName: 'a1' }),
      makePod('y', { labels: { app: 'db' }, nodeName: 'a1' }),
    ]);
    expect(filterAll(new PodTopologySpread(), spread({}), other)).toEqual({ a1: 'fits', b1: 'fits' });
  });
});

describe('PodTopologySpread score', () => {
  const nodes = [makeNode('n1'), makeNode('n2'), makeNode('n3')];
  const cluster = clusterOf(nodes, [web('w1', 'n1'), web('w2', 'n1'), web('w3', 'n2')]);

  it('favours hostnames with fewer matching pods', () => {
    const pod = spread({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' });
    // weight ln(3 + 2): raw round(2 × 1.609) = 3, round(1.609) = 2, 0; then 100 × (max + min − s) / max.
    expect(scoreAll(new PodTopologySpread(), pod, cluster)).toEqual({ n1: [3, 0], n2: [2, 33], n3: [0, 100] });
  });

  it('applies the system default constraints to pods selected by a workload', () => {
    const plugin = new PodTopologySpread({ defaultSelector: () => [{ key: 'app', operator: 'Equals', values: ['web'] }] });
    // hostname maxSkew 3: raw = count × ln 5 + 2; the zone default is skipped on nodes without zone labels.
    expect(scoreAll(plugin, web('incoming'), cluster)).toEqual({ n1: [5, 40], n2: [4, 60], n3: [2, 100] });
    expect(scoreAll(new PodTopologySpread(), web('incoming'), cluster)).toBe('skip');
  });
});
