// Smoke test of `npm run bench:apiserver -- --quick --profile`: every phase runs end to end on
// every installed backend and yields numbers. No timing is asserted: speed is the bench's
// business, measured on a quiet machine; here only what it counts must add up.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backends } from '../../../test/support/control-plane.ts';
import { textTable } from '../../store/bench/tables.ts';
import { resultsTable, targetsTable } from './comparison.ts';
import { LIST_SPECS } from './read-phase.ts';
import { runBench } from './run.ts';
import { QUICK_SIZES as sizes } from './sizes.ts';

const profileDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'k8ts-bench-smoke-'));
afterAll(() => fs.rmSync(profileDirectory, { recursive: true, force: true }));

describe('bench:apiserver --quick', () => {
  it('measures every phase on every backend, with numbers', { timeout: 240_000 }, async () => {
    const log: string[] = [];
    const { results, profiles } = await runBench({ backends: backends(), sizes, profileDirectory, log: (line) => log.push(line) });

    expect([...results.keys()]).toEqual(backends());
    for (const [backend, result] of results) {
      const context = `${backend}:\n${log.join('\n')}`;
      for (const load of [result.creates.apiserver, result.creates.direct, result.gets.apiserver, result.gets.direct]) {
        expect(load.failed, context).toBe(0);
        expect(load.perSecond, context).toBeGreaterThan(0);
        expect(Number.isFinite(load.p99Ms), context).toBe(true);
      }
      expect(result.creates.apiserver.completed).toBe(sizes.pods - sizes.warmupCreates);
      expect(result.gets.apiserver.completed).toBe(sizes.gets);
      expect(result.pods).toBe(sizes.pods);
      for (const spec of LIST_SPECS) {
        const { apiserver, direct } = result.lists.get(spec.kind)!;
        const expected = spec.everyPod ? sizes.pods : sizes.pods / sizes.namespaces;
        expect([apiserver.items, direct.items], `${spec.label}, ${context}`).toEqual([expected, expected]);
        expect(apiserver.timing.completed).toBe(sizes.listRepeats);
        expect(apiserver.timing.p50Ms).toBeGreaterThan(0);
      }
      for (const fanout of [result.fanout.apiserver, result.fanout.direct]) {
        expect(fanout.missed, context).toBe(0);
        expect(fanout.events, context).toBe(sizes.watchEvents);
        expect(Number.isFinite(fanout.toAll.p99Ms), context).toBe(true);
      }
      // Every phase made the apiserver work (its CPU from /proc, and its profile cut by phase).
      const phaseNames = ['create pods', 'get a pod', ...LIST_SPECS.map((spec) => spec.label), 'watch fan-out'];
      expect(result.spans.map((span) => span.phase)).toEqual(phaseNames);
      // (/proc counts in 10 ms ticks: a short phase may show none.)
      if (process.platform === 'linux') expect(result.spans.find((span) => span.phase === 'create pods')!.cpuMs!.apiserver).toBeGreaterThan(0);
      const phases = profiles.get(backend)!;
      expect(phases.map((phase) => phase.phase)).toEqual(phaseNames);
      for (const phase of phases) {
        expect(phase.summary.sampledMs - phase.summary.idleMs, phase.phase).toBeGreaterThan(0);
        expect(phase.summary.self.length, phase.phase).toBeGreaterThan(0);
      }
    }
    expect(textTable(resultsTable(results))).not.toMatch(/NaN/);
    expect(textTable(targetsTable(results))).toMatch(/pod creates\/s, 32 clients\s+≥ 1000\s+\d+\s+(PASS|MISS)/);
  });
});
