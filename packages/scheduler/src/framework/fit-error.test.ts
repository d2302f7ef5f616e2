import { describe, expect, it } from 'vitest';
import { FitError } from './fit-error.ts';
import { makePod } from './testing/fixtures.ts';
import { PluginStatus, type Diagnosis } from './types.ts';

function diagnosisOf(statuses: [string, string[]][], extra: Partial<Diagnosis> = {}): Diagnosis {
  return {
    nodeToStatus: new Map(statuses.map(([node, reasons]) => [node, new PluginStatus('Unschedulable', reasons, 'X')])),
    unschedulablePlugins: new Set(['X']),
    pendingPlugins: new Set(),
    ...extra,
  };
}

describe('FitError.message', () => {
  it('counts each reason once per node and sorts the entries as strings', () => {
    const statuses: [string, string[]][] = Array.from({ length: 10 }, (_, i) => [`n${i}`, ['Insufficient memory']]);
    statuses.push(['a', ['Insufficient cpu', 'Insufficient memory']], ['b', ['Insufficient cpu']]);
    // "11 Insufficient memory" sorts before "2 Insufficient cpu", as Go's sort.Strings does.
    expect(new FitError(makePod('p'), 12, diagnosisOf(statuses)).message()).toBe(
      '0/12 nodes are available: 11 Insufficient memory, 2 Insufficient cpu.',
    );
  });

  it('uses the PreFilter message instead of per-node reasons', () => {
    const rejection = new PluginStatus('UnschedulableAndUnresolvable', ['pod affinity terms conflict'], 'NodeAffinity');
    const diagnosis = diagnosisOf([], { preFilterMsg: 'pod affinity terms conflict', absentNodesStatus: rejection });
    expect(new FitError(makePod('p'), 5, diagnosis).message()).toBe('0/5 nodes are available: pod affinity terms conflict.');
  });

  it('counts nodes missing from the map with the absent-nodes status', () => {
    const absent = new PluginStatus('UnschedulableAndUnresolvable', ["node(s) didn't satisfy plugin(s) [NodeAffinity]"]);
    const diagnosis = diagnosisOf([['n1', ['node(s) were unschedulable']]], { absentNodesStatus: absent });
    expect(new FitError(makePod('p'), 4, diagnosis).message()).toBe(
      "0/4 nodes are available: 1 node(s) were unschedulable, 3 node(s) didn't satisfy plugin(s) [NodeAffinity].",
    );
  });
});
