import { describe, expect, it } from 'vitest';
import { frameLabel, summarizeProfile, type CpuProfile, type ProfileNode } from './cpu-profile.ts';

const ROOT = '/repo';
const node = (id: number, functionName: string, url: string, children: number[] = [], lineNumber = 0): ProfileNode => ({
  id,
  callFrame: { functionName, url, lineNumber },
  children,
});

// (root) → handleList (ours) → decodeStored (ours); (root) → onEnd (fastify) → handleList;
// plus idle and GC. Samples every 1000 µs starting at t = 10 000 µs.
const PROFILE: CpuProfile = {
  nodes: [
    node(1, '(root)', '', [2, 5, 6, 7]),
    node(2, 'handleList', `file://${ROOT}/packages/apiserver/src/handlers/read.ts`, [3]),
    node(3, 'decodeStored', `file://${ROOT}/packages/apiserver/src/storage/object-storage.ts`),
    node(4, 'handleList', `file://${ROOT}/packages/apiserver/src/handlers/read.ts`),
    node(5, 'onEnd', `file://${ROOT}/node_modules/fastify/lib/reply.js`, [4], 294),
    node(6, '(idle)', ''),
    node(7, '(garbage collector)', ''),
  ],
  startTime: 9_000,
  endTime: 17_000,
  //        t=10k 11k 12k 13k 14k 15k 16k
  samples: [3, 3, 4, 2, 6, 7, 6],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

const everything = { startUs: 0, endUs: Number.MAX_SAFE_INTEGER };

describe('summarizeProfile', () => {
  it('splits sampled time into idle, GC and functions, self and inclusive', () => {
    const summary = summarizeProfile(PROFILE, everything, { top: 10, sourceRoot: ROOT });
    expect(summary.sampledMs).toBe(7);
    expect(summary.idleMs).toBe(2);
    expect(summary.gcMs).toBe(1);
    // Busy: 5 ms. decodeStored on top twice; handleList on top twice (two nodes, one function).
    expect(summary.self).toEqual([
      { name: 'decodeStored packages/apiserver/src/storage/object-storage.ts', ms: 2, percent: 40 },
      { name: 'handleList packages/apiserver/src/handlers/read.ts', ms: 2, percent: 40 },
      { name: '(garbage collector)', ms: 1, percent: 20 },
    ]);
    // Inclusive ranks our functions only: handleList is under four samples (once via fastify).
    expect(summary.inclusive).toEqual([
      { name: 'handleList packages/apiserver/src/handlers/read.ts', ms: 4, percent: 80 },
      { name: 'decodeStored packages/apiserver/src/storage/object-storage.ts', ms: 2, percent: 40 },
    ]);
  });

  it('counts only the samples inside the window', () => {
    const summary = summarizeProfile(PROFILE, { startUs: 12_000, endUs: 14_000 }, { top: 10, sourceRoot: ROOT });
    expect(summary.sampledMs).toBe(2);
    expect(summary.self.map((cost) => cost.name)).toEqual(['handleList packages/apiserver/src/handlers/read.ts']);
  });

  it('keeps the top entries only', () => {
    expect(summarizeProfile(PROFILE, everything, { top: 1, sourceRoot: ROOT }).self).toHaveLength(1);
  });
});

describe('frameLabel', () => {
  it('names dependencies by package path with their line, our tsx-compiled files without', () => {
    expect(frameLabel(node(1, 'onEnd', `file://${ROOT}/node_modules/fastify/lib/reply.js`, [], 294), ROOT)).toBe('onEnd fastify/lib/reply.js:295');
    expect(frameLabel(node(1, '', `file://${ROOT}/packages/api/src/x.ts`), ROOT)).toBe('(anonymous) packages/api/src/x.ts');
    expect(frameLabel(node(1, 'writev', ''), ROOT)).toBe('writev');
  });
});
