import { describe, expect, it } from 'vitest';
import type { Pod } from '../../controller/workload-types.ts';
import { rawResourceReplicas, resourceReplicas, type ReplicaCalculatorConfig } from './replica-calculator.ts';
import { pod } from './testing.ts';
import type { PodMetricsInfo } from './types.ts';

const NOW = Date.UTC(2025, 0, 1);
const CONFIG: ReplicaCalculatorConfig = { tolerance: 0.1, cpuInitializationPeriodMs: 300_000, initialReadinessDelayMs: 30_000 };

/** Samples taken now over a 15 s window, in millicores. */
function usage(values: Record<string, number>): PodMetricsInfo {
  return new Map(Object.entries(values).map(([name, value]) => [name, { timestamp: NOW, windowMs: 15_000, value }]));
}

function utilization(pods: Pod[], metrics: Record<string, number>, targetUtilization: number, currentReplicas = pods.length, resource = 'cpu') {
  return resourceReplicas({ currentReplicas, targetUtilization, resource, container: '', pods, metrics: usage(metrics), now: NOW }, CONFIG);
}

const ready = (name: string, cpuRequest = '1000m') => pod(name, { cpuRequest });

describe('replica calculator: utilization targets', () => {
  it.each([
    // name, pods' usage (of 1000m requests), target %, expected replicas, measured %, average usage
    ['scales up by the usage ratio', { a: 300, b: 500, c: 700 }, 30, 5, 50, 500],
    ['scales down by the usage ratio', { a: 100, b: 300, c: 500, d: 250, e: 250 }, 50, 3, 28, 280],
    ['stays within the tolerance (102% of a 100% target)', { a: 1010, b: 1030, c: 1020 }, 100, 3, 102, 1020],
    ['scales just outside the tolerance (112% of 100%)', { a: 1120, b: 1120, c: 1120 }, 100, 4, 112, 1120],
  ])('%s', (_name, metrics, target, replicas, percent, raw) => {
    const pods = Object.keys(metrics).map((n) => ready(n));
    expect(utilization(pods, metrics, target)).toEqual({ replicas, utilization: percent, rawUtilization: raw });
  });

  it('weighs pods by their requests: usage over the sum of requests', () => {
    const pods = [ready('a', '500m'), ready('b', '1500m')];
    // 1000m used of 2000m requested: 50%, against 25% → twice the pods.
    expect(utilization(pods, { a: 500, b: 500 }, 25)).toEqual({ replicas: 4, utilization: 50, rawUtilization: 500 });
  });

  it('counts a pending pod as using nothing when scaling up', () => {
    const pods = [ready('a'), ready('b'), pod('c', { cpuRequest: '1000m', phase: 'Pending' })];
    // Ready pods at 90% of a 30% target would ask for 3 × 2; with c at 0%, 60% → 2 × 3 = 6.
    expect(utilization(pods, { a: 900, b: 900 }, 30).replicas).toBe(6);
  });

  it('assumes a pod without a sample uses its whole request when scaling down', () => {
    const pods = [ready('a'), ready('b'), ready('c')];
    // Without c: 10% of 50% → 1 replica; with c at 100%: 40% → ceil(0.8 × 3) = 3, no change.
    expect(utilization(pods, { a: 100, b: 100 }, 50).replicas).toBe(3);
  });

  it('assumes a pod without a sample uses nothing when scaling up', () => {
    const pods = [ready('a'), ready('b'), ready('c')];
    // 90% of 50% → with c at 0%: 60% → ceil(1.2 × 3) = 4.
    expect(utilization(pods, { a: 900, b: 900 }, 50).replicas).toBe(4);
  });

  it('keeps the count when the assumptions reverse the direction', () => {
    const pods = [ready('a'), ready('b'), pod('c', { cpuRequest: '1000m', phase: 'Pending' })];
    // 40% of 30% is a scale-up, but with c at 0% it is 26%: a scale-down. Neither happens.
    expect(utilization(pods, { a: 300, b: 500 }, 30).replicas).toBe(3);
  });

  it("ignores cpu samples taken before a young pod's window covered its readiness", () => {
    const young = pod('b', { cpuRequest: '1000m', startedAt: NOW - 60_000, readySince: NOW - 5_000 });
    // a alone is 90% of 50%; b counts as 0% → 45%: within tolerance of 50%.
    expect(utilization([ready('a'), young], { a: 900, b: 900 }, 50, 2).replicas).toBe(2);
    // Once a full window has passed since it became ready, its sample counts.
    const settled = pod('b', { cpuRequest: '1000m', startedAt: NOW - 60_000, readySince: NOW - 20_000 });
    expect(utilization([ready('a'), settled], { a: 900, b: 900 }, 50, 2).replicas).toBe(4);
  });

  it('treats an old pod that never became ready within the readiness delay as unready', () => {
    const neverReady = pod('b', { cpuRequest: '1000m', startedAt: NOW - 600_000, readySince: NOW - 590_000, ready: false });
    expect(utilization([ready('a'), neverReady], { a: 900, b: 900 }, 50, 2).replicas).toBe(2);
    // A pod that was ready and later failed its probe still counts.
    const wasReady = pod('b', { cpuRequest: '1000m', startedAt: NOW - 600_000, readySince: NOW - 60_000, ready: false });
    expect(utilization([ready('a'), wasReady], { a: 900, b: 900 }, 50, 2).replicas).toBe(4);
  });

  it('does not apply readiness rules to memory', () => {
    const pods = [pod('a', { cpuRequest: '1000m', ready: false, startedAt: NOW - 1000 })];
    (pods[0]!.spec as { containers: { resources: { requests: Record<string, string> } }[] }).containers[0]!.resources.requests = { memory: '1000' };
    // An unready pod's memory counts: all of its 1000 bytes used, against a 50% target.
    const metrics = usage({ a: 1_000_000 });
    expect(resourceReplicas({ currentReplicas: 1, targetUtilization: 50, resource: 'memory', container: '', pods, metrics, now: NOW }, CONFIG).replicas).toBe(2);
  });

  it('ignores failed and deleted pods', () => {
    const failed = pod('b', { cpuRequest: '1000m', phase: 'Failed' });
    const deleted = { ...ready('c'), metadata: { ...ready('c').metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } };
    expect(utilization([ready('a'), failed, deleted], { a: 900, b: 0, c: 0 }, 50, 3).replicas).toBe(2);
  });

  it('fails as Kubernetes does when it cannot compute', () => {
    expect(() => utilization([], { a: 1 }, 50, 1)).toThrow('no pods returned by selector while calculating replica count');
    expect(() => utilization([pod('a', { phase: 'Pending' })], { a: 1 }, 50)).toThrow('did not receive metrics for targeted pods (pods might be unready)');
    const noRequest = ready('a');
    (noRequest.spec as { containers: { resources?: unknown }[] }).containers[0]!.resources = {};
    expect(() => utilization([noRequest], { a: 1 }, 50)).toThrow('missing request for cpu in container app of Pod a');
  });
});

describe('replica calculator: average value targets', () => {
  it('divides the average usage by the target', () => {
    const pods = [ready('a'), ready('b')];
    const result = rawResourceReplicas({ currentReplicas: 2, targetUsage: 250, resource: 'cpu', pods, metrics: usage({ a: 400, b: 600 }), now: NOW }, CONFIG);
    expect(result).toEqual({ replicas: 4, usage: 500 });
  });

  it('assumes a missing pod uses exactly the target when scaling down', () => {
    const pods = [ready('a'), ready('b'), ready('c')];
    // a, b at 100 of 500 → with c at 500: 233 → ceil(0.47 × 3) = 2.
    const result = rawResourceReplicas({ currentReplicas: 3, targetUsage: 500, resource: 'cpu', pods, metrics: usage({ a: 100, b: 100 }), now: NOW }, CONFIG);
    expect(result).toEqual({ replicas: 2, usage: 100 });
  });
});
