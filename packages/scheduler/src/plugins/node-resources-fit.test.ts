import { describe, expect, it } from 'vitest';
import { newPodInfo } from '../framework/node-info.ts';
import { makeNode, makePod } from '../framework/testing/fixtures.ts';
import { clusterOf, filterAll, scoreAll } from '../framework/testing/run-plugin.ts';
import { BalancedAllocation } from './balanced-allocation.ts';
import { NodeResourcesFit } from './node-resources-fit.ts';

describe('pod requests', () => {
  it('takes the larger of the app containers and the biggest init container, plus overhead', () => {
    const pod = makePod('p', {
      containers: [
        { name: 'a', resources: { requests: { cpu: '200m', memory: '100Mi' } } },
        { name: 'b', resources: { requests: { cpu: '300m' } } },
      ],
      spec: {
        initContainers: [{ name: 'init', resources: { requests: { cpu: '1', memory: '50Mi' } } }],
        overhead: { cpu: '50m', memory: '10Mi' },
      },
    });
    const info = newPodInfo(pod);
    expect(info.requests.milliCpu).toBe(1050);
    expect(info.requests.memory).toBe(110 * 1024 * 1024);
    // Non-zero requests: container b names no memory, so it counts 200Mi.
    expect(info.nonZeroRequests.memory).toBe((300 + 10) * 1024 * 1024);
  });

  it('counts sidecars (restartable init containers) beside the app and beside later init containers', () => {
    const pod = makePod('p', {
      containers: [{ name: 'app', resources: { requests: { cpu: '500m' } } }],
      spec: {
        initContainers: [
          { name: 'proxy', restartPolicy: 'Always', resources: { requests: { cpu: '200m' } } },
          { name: 'migrate', resources: { requests: { cpu: '600m' } } },
        ],
      },
    });
    // app + sidecar = 700m; init phase peak = migrate 600m + sidecar 200m = 800m.
    expect(newPodInfo(pod).requests.milliCpu).toBe(800);
  });
});

describe('NodeResourcesFit filter', () => {
  it('lists every shortfall with kube-scheduler reasons', () => {
    const cluster = clusterOf(
      [makeNode('small', { cpu: '1', memory: '1Gi', pods: 1 }), makeNode('big', { cpu: '8', memory: '16Gi' })],
      [makePod('x', { cpu: '500m', memory: '512Mi', nodeName: 'small' })],
    );
    expect(filterAll(new NodeResourcesFit(), makePod('p', { cpu: '1', memory: '1Gi' }), cluster)).toEqual({
      small: 'Unschedulable: Too many pods, Insufficient cpu, Insufficient memory',
      big: 'fits',
    });
  });

  it('checks extended resources by name', () => {
    const node = makeNode('gpu');
    node.status!.allocatable!['nvidia.com/gpu'] = '1';
    const pod = makePod('p', { containers: [{ name: 'c', resources: { requests: { 'nvidia.com/gpu': '2' } } }] });
    expect(filterAll(new NodeResourcesFit(), pod, clusterOf([node, makeNode('plain')]))).toEqual({
      gpu: 'Unschedulable: Insufficient nvidia.com/gpu',
      plain: 'Unschedulable: Insufficient nvidia.com/gpu',
    });
  });
});

describe('NodeResourcesFit score (LeastAllocated)', () => {
  it('scores the free share of cpu and memory after placing the pod, with defaults for unset requests', () => {
    const cluster = clusterOf([makeNode('a', { cpu: '4', memory: '8Gi' }), makeNode('b', { cpu: '4', memory: '8Gi' })], [
      makePod('x', { cpu: '3', memory: '6Gi', nodeName: 'a' }),
    ]);
    // A pod without requests counts 100m / 200Mi: a: cpu (4000-3100)/4000 = 22, mem (8192-6344)/8192 = 22.
    // b: cpu 97, memory 97.
    expect(scoreAll(new NodeResourcesFit(), makePod('p'), cluster)).toEqual({ a: [22, 22], b: [97, 97] });
  });
});

describe('NodeResourcesBalancedAllocation', () => {
  it('prefers the node whose cpu and memory shares stay equal', () => {
    const cluster = clusterOf([makeNode('a', { cpu: '4', memory: '4Gi' }), makeNode('b', { cpu: '4', memory: '4Gi' })], [
      makePod('x', { cpu: '2', nodeName: 'a' }),
    ]);
    // a: cpu 3/4, memory 1/4 → std 0.25 → 75; b: 1/4 and 1/4 → 100.
    expect(scoreAll(new BalancedAllocation(), makePod('p', { cpu: '1', memory: '1Gi' }), cluster)).toEqual({ a: [75, 75], b: [100, 100] });
  });

  it('skips pods that request nothing', () => {
    expect(scoreAll(new BalancedAllocation(), makePod('p'), clusterOf([makeNode('a')]))).toBe('skip');
  });
});
