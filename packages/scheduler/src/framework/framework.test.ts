import { describe, expect, it } from 'vitest';
import { Framework } from './framework.ts';
import { NodeInfo, newSnapshot, type Snapshot } from './node-info.ts';
import { fixedRandom, makeNode, makePod } from './testing/fixtures.ts';
import type { Node, Pod, ScheduleResult } from './types.ts';

function snapshotOf(nodes: Node[], pods: Pod[] = []): Snapshot {
  const infos = nodes.map((n) => new NodeInfo(n));
  for (const pod of pods) infos.find((i) => i.name === pod.spec.nodeName)!.addPod(pod);
  return newSnapshot(infos);
}

const controlPlaneTaint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const };
const opts = { startIndex: 0, random: fixedRandom(0.99) };

function scheduled(result: ScheduleResult) {
  if (result.kind !== 'scheduled') throw new Error(`expected scheduled, got ${result.fitError.message()}`);
  return result;
}

describe('Framework.schedulePod — transcripts', () => {
  it('explains a pod that fits nowhere, then adds the preemption verdict to FailedScheduling', () => {
    const snapshot = snapshotOf(
      [makeNode('cp', { taints: [controlPlaneTaint] }), makeNode('w1', { cpu: '1' }), makeNode('w2', { cpu: '1' })],
      [makePod('busy-1', { cpu: '900m', nodeName: 'w1' }), makePod('busy-2', { cpu: '900m', nodeName: 'w2' })],
    );
    const fw = new Framework();
    const pod = makePod('web', { cpu: '500m' });
    const result = fw.schedulePod(pod, snapshot, opts);
    if (result.kind !== 'unschedulable') throw new Error('expected unschedulable');
    expect(result.fitError.message()).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.',
    );
    expect([...result.fitError.diagnosis.unschedulablePlugins].sort()).toEqual(['NodeResourcesFit', 'TaintToleration']);
    expect(result.explanation.nodes.map((n) => [n.node, n.rejectedBy?.plugin, n.rejectedBy?.reasons])).toEqual([
      ['cp', 'TaintToleration', ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }']],
      ['w1', 'NodeResourcesFit', ['Insufficient cpu']],
      ['w2', 'NodeResourcesFit', ['Insufficient cpu']],
    ]);

    const preemption = fw.preempt(pod, snapshot, result.fitError.diagnosis, []);
    expect(preemption.nominatedNodeName).toBeUndefined();
    result.fitError.diagnosis.postFilterMsg = preemption.message;
    expect(result.fitError.message()).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. ' +
        'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
  });

  it('scores the feasible nodes and picks the least allocated one', () => {
    const snapshot = snapshotOf(
      [makeNode('cp', { taints: [controlPlaneTaint] }), makeNode('w1'), makeNode('w2')],
      [makePod('busy', { cpu: '2', memory: '4Gi', nodeName: 'w1' })],
    );
    const result = scheduled(new Framework().schedulePod(makePod('web', { cpu: '1', memory: '1Gi' }), snapshot, opts));
    expect(result.suggestedHost).toBe('w2');
    expect(result.evaluatedNodes).toBe(3);
    expect(result.feasibleNodes).toBe(2);
    const w1 = result.explanation.nodes.find((n) => n.node === 'w1')!;
    const w2 = result.explanation.nodes.find((n) => n.node === 'w2')!;
    const fit = (n: typeof w1) => n.scores!.find((s) => s.plugin === 'NodeResourcesFit')!;
    // w1: cpu (4000-3000)/4000 → 25, memory (8-5)/8 → 37; w2: cpu 75, memory 87.
    expect(fit(w1).raw).toBe(31);
    expect(fit(w2).raw).toBe(81);
    expect(w2.totalScore).toBeGreaterThan(w1.totalScore!);
    expect(w2.totalScore).toBe(w2.scores!.reduce((sum, s) => sum + s.weighted, 0));
    expect(result.explanation.selectedNode).toBe('w2');
  });

  it('does not score when exactly one node is feasible', () => {
    const snapshot = snapshotOf([makeNode('cp', { taints: [controlPlaneTaint] }), makeNode('w1')]);
    const result = scheduled(new Framework().schedulePod(makePod('web'), snapshot, opts));
    expect(result.suggestedHost).toBe('w1');
    expect(result.explanation.nodes.find((n) => n.node === 'w1')!.scores).toBeUndefined();
  });

  it('says there are no nodes when the cluster has none', () => {
    const result = new Framework().schedulePod(makePod('web'), snapshotOf([]), opts);
    if (result.kind !== 'unschedulable') throw new Error('expected unschedulable');
    expect(result.fitError.message()).toBe('no nodes available to schedule pods');
  });
});

describe('Framework.schedulePod — the filter pass', () => {
  const manyNodes = (n: number) => Array.from({ length: n }, (_, i) => makeNode(`n${String(i).padStart(4, '0')}`));

  it('stops after percentageOfNodesToScore of the nodes are feasible and continues round robin from there', () => {
    const snapshot = snapshotOf(manyNodes(400));
    const fw = new Framework({ percentageOfNodesToScore: 30 });
    const first = scheduled(fw.schedulePod(makePod('a'), snapshot, { startIndex: 0, random: fixedRandom(0) }));
    expect(first.feasibleNodes).toBe(120);
    expect(first.nextStartIndex).toBe(120);
    const second = scheduled(fw.schedulePod(makePod('b'), snapshot, { startIndex: first.nextStartIndex, random: fixedRandom(0) }));
    expect(second.explanation.nodes[0].node).toBe('n0120');
    expect(second.nextStartIndex).toBe(240);
    const wrap = scheduled(fw.schedulePod(makePod('c'), snapshot, { startIndex: 350, random: fixedRandom(0) }));
    expect(wrap.explanation.nodes.at(-1)!.node).toBe('n0069');
    expect(wrap.nextStartIndex).toBe(70);
  });

  it('counts rejected nodes as processed when advancing the start index', () => {
    const nodes = manyNodes(200).map((n, i) => (i < 10 ? makeNode(n.metadata.name!, { unschedulable: true }) : n));
    const result = scheduled(new Framework({ percentageOfNodesToScore: 50 }).schedulePod(makePod('a'), snapshotOf(nodes), opts));
    expect(result.feasibleNodes).toBe(100);
    expect(result.evaluatedNodes).toBe(110);
    expect(result.nextStartIndex).toBe(110);
  });

  it('filters every node of a small cluster', () => {
    const result = scheduled(new Framework({ percentageOfNodesToScore: 10 }).schedulePod(makePod('a'), snapshotOf(manyNodes(60)), opts));
    expect(result.feasibleNodes).toBe(60);
  });

  it('breaks ties between equally scored nodes with the injected randomness', () => {
    const snapshot = snapshotOf(manyNodes(3));
    const fw = new Framework();
    const picks = [0, 0.4, 0.99].map((r) => scheduled(fw.schedulePod(makePod('a'), snapshot, { startIndex: 0, random: () => r })).suggestedHost);
    // Reservoir sampling: random() = 0 always takes the newest tie, 0.99 keeps the first.
    expect(picks).toEqual(['n0002', 'n0001', 'n0000']);
  });

  it('narrows DaemonSet-style pods to the node their matchFields name', () => {
    const snapshot = snapshotOf(manyNodes(5));
    const pod = makePod('ds', {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n0003'] }] }],
            },
          },
        },
      },
    });
    const result = scheduled(new Framework().schedulePod(pod, snapshot, opts));
    expect(result.suggestedHost).toBe('n0003');
    expect(result.evaluatedNodes).toBe(1);
    expect(result.explanation.preFilterNodeNames).toEqual(['n0003']);

    const cordoned = snapshotOf([...manyNodes(2), makeNode('n0003', { unschedulable: true })]);
    const failed = new Framework().schedulePod(pod, cordoned, opts);
    if (failed.kind !== 'unschedulable') throw new Error('expected unschedulable');
    expect(failed.fitError.message()).toBe(
      "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].",
    );
  });

  it('reports a PreFilter rejection once, not per node', () => {
    const pod = makePod('ds', {
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchFields: [
                    { key: 'metadata.name', operator: 'In', values: ['a'] },
                    { key: 'metadata.name', operator: 'In', values: ['b'] },
                  ],
                },
              ],
            },
          },
        },
      },
    });
    const result = new Framework().schedulePod(pod, snapshotOf(manyNodes(3)), opts);
    if (result.kind !== 'unschedulable') throw new Error('expected unschedulable');
    expect(result.fitError.message()).toBe('0/3 nodes are available: pod affinity terms conflict.');
    expect(result.explanation.preFilterRejection).toEqual({ plugin: 'NodeAffinity', message: 'pod affinity terms conflict' });
  });

  it('tries a nominated node first', () => {
    const pod = makePod('a');
    pod.status = { nominatedNodeName: 'n0002' };
    const result = scheduled(new Framework().schedulePod(pod, snapshotOf(manyNodes(4)), opts));
    expect(result.suggestedHost).toBe('n0002');
    expect(result.evaluatedNodes).toBe(1);
  });
});
