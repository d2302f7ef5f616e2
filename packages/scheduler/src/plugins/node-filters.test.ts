// NodeUnschedulable, NodeName, TaintToleration, NodeAffinity and NodePorts: the node-property filters.
import { describe, expect, it } from 'vitest';
import { makeNode, makePod } from '../framework/testing/fixtures.ts';
import { clusterOf, filterAll, scoreAll } from '../framework/testing/run-plugin.ts';
import { NodeAffinity } from './node-affinity.ts';
import { NodeName } from './node-name.ts';
import { NodePorts } from './node-ports.ts';
import { NodeUnschedulable } from './node-unschedulable.ts';
import { prioritySortLess } from './priority-sort.ts';
import { TaintToleration } from './taint-toleration.ts';

describe('NodeUnschedulable', () => {
  const cluster = clusterOf([makeNode('cordoned', { unschedulable: true }), makeNode('open')]);

  it('keeps pods off cordoned nodes', () => {
    expect(filterAll(new NodeUnschedulable(), makePod('p'), cluster)).toEqual({
      cordoned: 'UnschedulableAndUnresolvable: node(s) were unschedulable',
      open: 'fits',
    });
  });

  it('lets pods that tolerate the unschedulable taint in', () => {
    const pod = makePod('ds', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } });
    expect(filterAll(new NodeUnschedulable(), pod, cluster).cordoned).toBe('fits');
  });
});

describe('NodeName', () => {
  it('fits only the named node', () => {
    expect(filterAll(new NodeName(), makePod('p', { nodeName: 'b' }), clusterOf([makeNode('a'), makeNode('b')]))).toEqual({
      a: "UnschedulableAndUnresolvable: node(s) didn't match the requested node name",
      b: 'fits',
    });
  });
});

describe('TaintToleration', () => {
  const cluster = clusterOf([
    makeNode('gpu', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
    makeNode('soft', { taints: [{ key: 'spot', value: 'true', effect: 'PreferNoSchedule' }] }),
    makeNode('plain'),
  ]);

  it('rejects NoSchedule taints the pod does not tolerate, naming the taint', () => {
    expect(filterAll(new TaintToleration(), makePod('p'), cluster)).toEqual({
      gpu: 'UnschedulableAndUnresolvable: node(s) had untolerated taint {dedicated: gpu}',
      soft: 'fits',
      plain: 'fits',
    });
  });

  it('matches tolerations by key, value, operator and effect', () => {
    const equal = makePod('p', { spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] } });
    const wrongValue = makePod('p', { spec: { tolerations: [{ key: 'dedicated', value: 'cpu' }] } });
    const exists = makePod('p', { spec: { tolerations: [{ operator: 'Exists' }] } });
    expect(filterAll(new TaintToleration(), equal, cluster).gpu).toBe('fits');
    expect(filterAll(new TaintToleration(), wrongValue, cluster).gpu).toContain('untolerated');
    expect(filterAll(new TaintToleration(), exists, cluster).gpu).toBe('fits');
  });

  it('scores nodes with untolerated PreferNoSchedule taints lower', () => {
    expect(scoreAll(new TaintToleration(), makePod('p'), cluster)).toEqual({ gpu: [0, 100], soft: [1, 0], plain: [0, 100] });
  });
});

describe('NodeAffinity', () => {
  const cluster = clusterOf([
    makeNode('ssd-a', { labels: { disk: 'ssd', zone: 'a', cores: '16' } }),
    makeNode('hdd-b', { labels: { disk: 'hdd', zone: 'b', cores: '4' } }),
  ]);
  const reason = "UnschedulableAndUnresolvable: node(s) didn't match Pod's node affinity/selector";

  it('enforces nodeSelector', () => {
    expect(filterAll(new NodeAffinity(), makePod('p', { spec: { nodeSelector: { disk: 'ssd' } } }), cluster)).toEqual({
      'ssd-a': 'fits',
      'hdd-b': reason,
    });
  });

  it('ORs required terms and ANDs their expressions, including Gt', () => {
    const pod = makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }, { key: 'cores', operator: 'Gt', values: ['8'] }] },
                { matchExpressions: [{ key: 'disk', operator: 'NotIn', values: ['hdd'] }] },
              ],
            },
          },
        },
      },
    });
    expect(filterAll(new NodeAffinity(), pod, cluster)).toEqual({ 'ssd-a': 'fits', 'hdd-b': reason });
  });

  it('scores preferred terms by weight, scaled to 100', () => {
    const pod = makePod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] } },
              { weight: 30, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } },
            ],
          },
        },
      },
    });
    expect(scoreAll(new NodeAffinity(), pod, cluster)).toEqual({ 'ssd-a': [30, 75], 'hdd-b': [40, 100] });
    expect(scoreAll(new NodeAffinity(), makePod('q'), cluster)).toBe('skip');
  });
});

describe('NodePorts', () => {
  const withPort = (name: string, hostPort: number, extra: { hostIP?: string; protocol?: 'TCP' | 'UDP'; nodeName?: string } = {}) =>
    makePod(name, {
      nodeName: extra.nodeName,
      containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort, hostIP: extra.hostIP, protocol: extra.protocol }] }],
    });
  const cluster = clusterOf([makeNode('a'), makeNode('b'), makeNode('c')], [
    withPort('x', 8080, { nodeName: 'a' }),
    withPort('y', 8080, { nodeName: 'b', hostIP: '10.0.0.2' }),
    withPort('z', 8080, { nodeName: 'c', protocol: 'UDP' }),
  ]);
  const reason = "Unschedulable: node(s) didn't have free ports for the requested pod ports";

  it('rejects nodes where the host port is taken on the same or the wildcard IP', () => {
    expect(filterAll(new NodePorts(), withPort('p', 8080), cluster)).toEqual({ a: reason, b: reason, c: 'fits' });
    expect(filterAll(new NodePorts(), withPort('p', 8080, { hostIP: '10.0.0.3' }), cluster)).toEqual({ a: reason, b: 'fits', c: 'fits' });
  });
});

describe('PrioritySort', () => {
  it('orders by priority, then by queue time', () => {
    const high = { pod: makePod('h', { priority: 100 }), timestamp: 5 };
    const low = { pod: makePod('l', { priority: 1 }), timestamp: 1 };
    const lowLater = { pod: makePod('l2', { priority: 1 }), timestamp: 2 };
    expect(prioritySortLess(high, low)).toBe(true);
    expect(prioritySortLess(low, high)).toBe(false);
    expect(prioritySortLess(low, lowLater)).toBe(true);
  });
});
