import { describe, expect, it } from 'vitest';
import { healthyConditions, node } from './node-fixtures.ts';
import type { Taint, Toleration } from './node-types.ts';
import { toleratesTaint } from '@k8ts/api/tolerations.ts';
import { matchingTolerations, minTolerationMs, reconcileNoScheduleTaints, swapTaints, UNREACHABLE_NO_EXECUTE, NOT_READY_NO_EXECUTE } from './taints.ts';

const taint = (key: string, effect: Taint['effect'], value?: string): Taint => ({ key, effect, ...(value !== undefined ? { value } : {}) });

describe('toleratesTaint', () => {
  it('matches as Kubernetes does: Equal compares values, Exists ignores them, empty key or effect matches all', () => {
    const gpu = taint('dedicated', 'NoSchedule', 'gpu');
    expect(toleratesTaint({ key: 'dedicated', value: 'gpu' }, gpu)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'cpu' }, gpu)).toBe(false);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, gpu)).toBe(true);
    expect(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, gpu)).toBe(false);
    expect(toleratesTaint({ operator: 'Exists' }, gpu)).toBe(true);
    expect(toleratesTaint({ key: 'other', operator: 'Exists' }, gpu)).toBe(false);
  });
});

describe('matchingTolerations and minTolerationMs', () => {
  const tolerations: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
    { key: 'forever', operator: 'Exists' },
  ];

  it('needs every taint tolerated, and takes the smallest tolerationSeconds of those used', () => {
    const both = matchingTolerations([NOT_READY_NO_EXECUTE, UNREACHABLE_NO_EXECUTE], tolerations);
    expect(both.allTolerated).toBe(true);
    expect(minTolerationMs(both.used)).toBe(60_000);
    expect(matchingTolerations([taint('other', 'NoExecute')], tolerations).allTolerated).toBe(false);
  });

  it('is -1 (forever) when no used toleration has tolerationSeconds, and 0 for a non-positive one', () => {
    expect(minTolerationMs(matchingTolerations([taint('forever', 'NoExecute')], tolerations).used)).toBe(-1);
    expect(minTolerationMs([{ operator: 'Exists', tolerationSeconds: 0 }])).toBe(0);
    expect(minTolerationMs([{ operator: 'Exists', tolerationSeconds: -5 }, { operator: 'Exists' }])).toBe(0);
  });
});

describe('reconcileNoScheduleTaints', () => {
  it('adds the taints for conditions and unschedulable, keeps foreign taints, and removes stale ones', () => {
    const conditions = healthyConditions(0).map((c) => (c.type === 'DiskPressure' ? { ...c, status: 'True' as const } : c));
    const foreign = taint('dedicated', 'NoSchedule', 'gpu');
    const stale = taint('node.kubernetes.io/pid-pressure', 'NoSchedule');
    const n = node('n1', { conditions, unschedulable: true, taints: [foreign, stale, UNREACHABLE_NO_EXECUTE] });
    expect(reconcileNoScheduleTaints(n)).toEqual([
      foreign,
      UNREACHABLE_NO_EXECUTE,
      taint('node.kubernetes.io/disk-pressure', 'NoSchedule'),
      taint('node.kubernetes.io/unschedulable', 'NoSchedule'),
    ]);
    expect(reconcileNoScheduleTaints(node('n2', { conditions: healthyConditions(0) }))).toBeUndefined();
  });

  it('maps Ready False and Unknown to not-ready and unreachable', () => {
    const withReady = (status: 'False' | 'Unknown') => node('n', { conditions: healthyConditions(0).map((c) => (c.type === 'Ready' ? { ...c, status } : c)) });
    expect(reconcileNoScheduleTaints(withReady('False'))).toEqual([taint('node.kubernetes.io/not-ready', 'NoSchedule')]);
    expect(reconcileNoScheduleTaints(withReady('Unknown'))).toEqual([taint('node.kubernetes.io/unreachable', 'NoSchedule')]);
  });
});

describe('swapTaints', () => {
  it('replaces one controller taint by the other, stamping timeAdded, and reports no change when done', () => {
    const now = Date.UTC(2025, 0, 1, 0, 1, 0);
    const swapped = swapTaints([taint('dedicated', 'NoSchedule'), NOT_READY_NO_EXECUTE], [UNREACHABLE_NO_EXECUTE], [NOT_READY_NO_EXECUTE], now);
    expect(swapped).toEqual([taint('dedicated', 'NoSchedule'), { ...UNREACHABLE_NO_EXECUTE, timeAdded: '2025-01-01T00:01:00Z' }]);
    expect(swapTaints(swapped, [UNREACHABLE_NO_EXECUTE], [NOT_READY_NO_EXECUTE], now + 5000)).toBeUndefined();
  });
});
