import { describe, expect, it } from 'vitest';
import { checkNodeHealth, healthAfterStatusUpdate, type NodeHealth } from './node-health.ts';
import { healthyConditions, lease, node } from './node-fixtures.ts';

const T0 = Date.UTC(2025, 0, 1);
const GRACE = { monitorGraceMs: 40_000, startupGraceMs: 60_000 };

describe('checkNodeHealth', () => {
  it('counts a new Ready heartbeat as a sign of life even without a Lease', () => {
    let health: NodeHealth | undefined;
    for (let s = 0; s <= 120; s += 10) {
      const check = checkNodeHealth(node('n1', { conditions: healthyConditions(T0 + s * 1000) }), health, undefined, T0 + s * 1000, GRACE);
      expect(check.statusUpdate).toBeUndefined();
      health = check.health;
    }
  });

  it('judges by when the controller saw a change, not by the kubelet’s timestamps', () => {
    // The heartbeat is an hour old by the node's clock, but the controller has only just seen it.
    const skewed = node('n1', { conditions: healthyConditions(T0 - 3_600_000) });
    const first = checkNodeHealth(skewed, undefined, undefined, T0, GRACE);
    expect(first.statusUpdate).toBeUndefined();
    expect(checkNodeHealth(skewed, first.health, undefined, T0 + 40_000, GRACE).statusUpdate).toBeUndefined();
    const late = checkNodeHealth(skewed, first.health, undefined, T0 + 40_001, GRACE);
    expect(late.currentReady).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown' });
    expect(late.observedReady.status).toBe('True');
  });

  it('writes nothing more once Ready is already Unknown', () => {
    const silent = node('n1', { conditions: healthyConditions(T0) });
    const first = checkNodeHealth(silent, undefined, lease('n1', T0), T0, GRACE);
    const unknown = checkNodeHealth(silent, first.health, lease('n1', T0), T0 + 41_000, GRACE);
    expect(unknown.statusUpdate).toBeDefined();
    const again = checkNodeHealth(unknown.statusUpdate!, healthAfterStatusUpdate(unknown, T0 + 41_000), lease('n1', T0), T0 + 46_000, GRACE);
    expect(again.statusUpdate).toBeUndefined();
    expect(again.observedReady.status).toBe('Unknown');
  });

  it('gives a node that never posted status the startup grace period from its creation', () => {
    const fresh = node('n1', { createdAt: T0 });
    expect(checkNodeHealth(fresh, undefined, undefined, T0 + 60_000, GRACE).statusUpdate).toBeUndefined();
    const late = checkNodeHealth(fresh, undefined, undefined, T0 + 61_000, GRACE);
    expect(late.statusUpdate!.status!.conditions!.map((c) => `${c.type}=${c.status} ${c.reason}`)).toEqual([
      'Ready=Unknown NodeStatusNeverUpdated',
      'MemoryPressure=Unknown NodeStatusNeverUpdated',
      'DiskPressure=Unknown NodeStatusNeverUpdated',
      'PIDPressure=Unknown NodeStatusNeverUpdated',
    ]);
  });
});
