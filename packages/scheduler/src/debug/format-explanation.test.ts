import { describe, expect, it } from 'vitest';
import { formatExplanation } from './format-explanation.ts';

describe('formatExplanation', () => {
  it('shows the chosen node, the scores that chose it, and why other nodes were rejected', () => {
    const text = formatExplanation({
      namespace: 'default',
      pod: 'web',
      uid: 'u',
      time: '2025-01-01T00:00:00Z',
      attempt: 1,
      result: 'scheduled',
      node: 'n2',
      evaluatedNodes: 3,
      feasibleNodes: 2,
      explanation: {
        pod: 'default/web',
        numAllNodes: 3,
        numNodesToFind: 3,
        skippedScorePlugins: [],
        selectedNode: 'n2',
        nodes: [
          { node: 'n3', rejectedBy: { plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {dedicated: gpu}'] } },
          { node: 'n1', scores: [{ plugin: 'NodeResourcesFit', raw: 40, normalized: 40, weight: 1, weighted: 40 }], totalScore: 40 },
          { node: 'n2', scores: [{ plugin: 'NodeResourcesFit', raw: 90, normalized: 90, weight: 1, weighted: 90 }], totalScore: 90 },
        ],
      },
    });
    expect(text.split('\n')).toEqual([
      'Scheduled default/web on n2 (attempt 1; 2 feasible of 3 evaluated node(s))',
      '  n3: rejected by TaintToleration: node(s) had untolerated taint {dedicated: gpu}',
      '  n1: score 40: NodeResourcesFit=40x1',
      '  n2: score 90 (chosen): NodeResourcesFit=90x1',
    ]);
  });

  it('leads with the FailedScheduling message and the preemption outcome', () => {
    const text = formatExplanation({
      namespace: 'default',
      pod: 'big',
      uid: 'u',
      time: '2025-01-01T00:00:00Z',
      attempt: 2,
      result: 'unschedulable',
      message: '0/1 nodes are available: 1 Insufficient cpu.',
      preemption: { nominatedNodeName: 'n1', victims: ['default/low'] },
    });
    expect(text).toBe('Unable to schedule default/big (attempt 2): 0/1 nodes are available: 1 Insufficient cpu.\n  nominated node n1; victims: default/low');
  });
});
