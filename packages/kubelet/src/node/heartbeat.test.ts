import { describe, expect, it } from 'vitest';
import { dueHeartbeats, type NodeBeat } from './heartbeat.ts';
import type { NodeConfig } from './node-object.ts';

function beat(name: string, nextLeaseAt: number, nextStatusAt: number, busy = false): NodeBeat {
  return {
    config: { nodeName: name } as NodeConfig,
    node: { apiVersion: 'v1', kind: 'Node', metadata: { name } },
    nextLeaseAt,
    nextStatusAt,
    lastReportAt: 0,
    busy,
  };
}

const names = (due: ReturnType<typeof dueHeartbeats>) => due.map(({ beat: b, write }) => `${b.config.nodeName}:${write}`);

describe('dueHeartbeats', () => {
  it('starts the most overdue Lease renewals first, whatever the node order', () => {
    const beats = [beat('node-0', 9_000, 99_000), beat('node-1', 1_000, 99_000), beat('node-2', 5_000, 99_000), beat('node-3', 20_000, 99_000)];
    expect(names(dueHeartbeats(beats, 10_000, 2))).toEqual(['node-1:lease', 'node-2:lease']);
    expect(names(dueHeartbeats(beats, 10_000, 10))).toEqual(['node-1:lease', 'node-2:lease', 'node-0:lease']);
  });

  it('puts every due Lease before any due status update', () => {
    const beats = [beat('node-0', 99_000, 1_000), beat('node-1', 8_000, 99_000), beat('node-2', 99_000, 2_000)];
    expect(names(dueHeartbeats(beats, 10_000, 3))).toEqual(['node-1:lease', 'node-0:status', 'node-2:status']);
    expect(names(dueHeartbeats(beats, 10_000, 1))).toEqual(['node-1:lease']);
  });

  it('skips nodes with a write in flight and starts nothing without a free slot', () => {
    const beats = [beat('node-0', 1_000, 99_000, true), beat('node-1', 2_000, 99_000)];
    expect(names(dueHeartbeats(beats, 10_000, 5))).toEqual(['node-1:lease']);
    expect(dueHeartbeats(beats, 10_000, 0)).toEqual([]);
  });
});
