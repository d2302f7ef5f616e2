import { describe, expect, it } from 'vitest';
import type { ClosedLoopResult } from './closed-loop.ts';
import { clusterAnomalies, clusterResultsTable, clusterTargetsTable, failoverTable } from './cluster-comparison.ts';
import type { ClusterResults } from './cluster-phases.ts';
import { summarizeFailovers, type Failover } from './failover.ts';

function load(perSecond: number, extra: Partial<ClosedLoopResult> = {}): ClosedLoopResult & { storeCpuMsPerPut: number } {
  return { perSecond, p50Ms: 1000 / perSecond, p99Ms: 4000 / perSecond, completed: 100, failed: 0, firstError: undefined, elapsedMs: 1000, timedOut: false, generatorCpuPercent: 50, storeCpuMsPerPut: 1000 / perSecond, ...extra };
}

function results(putsAt64: number, firstWritesMs: Array<number | undefined>, stoppedBy?: string): ClusterResults {
  const failovers: Failover[] = firstWritesMs.map((firstWriteMs, i) => ({ killed: `n${(i % 3) + 1}`, firstWriteMs, rejoinedMs: 2_000, lastError: firstWriteMs === undefined ? 'etcdserver: no leader' : undefined }));
  return {
    puts: new Map([[16, load(putsAt64 / 2)], [64, load(putsAt64)], [256, load(putsAt64 * 1.2)]]),
    linearizableRanges: load(3_000),
    serializableRanges: load(6_000),
    failover: summarizeFailovers(failovers, stoppedBy),
  };
}

const row = (table: { rows: string[][] }, label: string) => table.rows.find((r) => r[0] === label);

describe('cluster comparison', () => {
  it('passes the throughput target at half of etcd and misses it below', () => {
    const etcd = results(3_000, [1_100, 1_200]);
    expect(row(clusterTargetsTable(etcd, results(1_500, [1_000])), 'put throughput, 64 clients')).toEqual(['put throughput, 64 clients', '3000', '1500', '0.50×', '≥ 0.50×', 'PASS']);
    expect(row(clusterTargetsTable(etcd, results(1_080, [1_000])), 'put throughput, 64 clients')?.slice(3)).toEqual(['0.36×', '≥ 0.50×', 'MISS']);
  });

  it('judges failover by k8ts p99 against 3 s, and a kill without recovery misses it', () => {
    const etcd = results(3_000, [900, 1_000]);
    const failover = (k8ts: ClusterResults) => row(clusterTargetsTable(etcd, k8ts), 'failover p99 ms (kill → first write)')!;
    // With 20 kills the nearest-rank p99 is the slowest one.
    const fast = Array.from({ length: 20 }, (_, i) => 1_000 + i * 50);
    expect(failover(results(3_000, fast))).toEqual(['failover p99 ms (kill → first write)', '1000', '1950', '1.95×', 'k8ts ≤ 3000', 'PASS']);
    expect(failover(results(3_000, [...fast.slice(1), 3_400])).at(-1)).toBe('MISS');
    expect(failover(results(3_000, [...fast.slice(1), undefined])).at(-1)).toBe('MISS');
  });

  it('misses the failover target when the kills stopped early, whatever the kills before showed', () => {
    const k8ts = results(3_000, [1_000, 1_100], 'kill 2: k8ts exited (1) before serving:');
    k8ts.failover.failovers[1].rejoinedMs = undefined;
    expect(row(clusterTargetsTable(results(3_000, [1_000]), k8ts), 'failover p99 ms (kill → first write)')!.at(-1)).toBe('MISS');
    expect(clusterAnomalies(new Map([['k8ts', k8ts]]))).toEqual([
      'k8ts, failover: stopped after 2 kills, the cluster did not come back whole (kill 2: k8ts exited (1) before serving:).',
    ]);
    expect(failoverTable(new Map([['k8ts', k8ts]])).rows[1]).toEqual(['2', 'n2', '1100', 'never']);
  });

  it('lists every measurement with its ratio, reads next to puts', () => {
    const table = clusterResultsTable(new Map([['etcd', results(3_000, [1_000])], ['k8ts', results(1_500, [1_500])]]));
    expect(row(table, 'serializable range, 64 clients: ranges/s')).toEqual(['serializable range, 64 clients: ranges/s', '6000', '6000', '1.00×', 'higher']);
    expect(row(table, 'failover, leader kill → first write: p50 ms')).toEqual(['failover, leader kill → first write: p50 ms', '1000', '1500', '1.50×', 'lower']);
    expect(table.rows.map((r) => r[0])).toContain('put, 256 clients: p99 ms');
    expect(row(table, 'put, 64 clients: CPU ms per put, all members')).toEqual(['put, 64 clients: CPU ms per put, all members', '0.33', '0.67', '2.00×', 'lower']);
  });

  it('shows one target alone with dashes for the missing one', () => {
    const table = clusterResultsTable(new Map([['k8ts', results(1_500, [1_500])]]));
    expect(row(table, 'put, 64 clients: puts/s')).toEqual(['put, 64 clients: puts/s', '—', '1500', '—', 'higher']);
  });

  it('tables every kill and reports the ones not followed by a write', () => {
    const run = new Map([['etcd', results(3_000, [1_000, 1_100])], ['k8ts', results(1_500, [1_200, undefined])]] as const);
    expect(failoverTable(run).rows).toEqual([
      ['1', 'n1', '1000', '2000', 'n1', '1200', '2000'],
      ['2', 'n2', '1100', '2000', 'n2', 'none', '2000'],
    ]);
    expect(clusterAnomalies(run)).toEqual(['k8ts, failover: 1 of 2 kills were not followed by an acknowledged write in time.']);
  });

  it('reports failed requests and phases cut short', () => {
    const k8ts = results(1_500, [1_000]);
    k8ts.puts.set(64, load(1_500, { failed: 3, firstError: 'etcdserver: request timed out', timedOut: true, completed: 97 }));
    expect(clusterAnomalies(new Map([['k8ts', k8ts]]))).toEqual([
      'k8ts, put, 64 clients: 3 requests failed (first: etcdserver: request timed out).',
      'k8ts, put, 64 clients: hit the time limit after 97 requests.',
    ]);
  });
});
