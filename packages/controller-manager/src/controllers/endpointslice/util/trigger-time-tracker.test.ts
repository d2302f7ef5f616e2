import { describe, expect, it } from 'vitest';
import { TriggerTimeTracker } from './trigger-time-tracker.ts';
import type { Pod, Service } from './types.ts';

const T0 = Date.UTC(2025, 0, 1) / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

const service: Service = { metadata: { name: 'web', namespace: 'ns', creationTimestamp: iso(T0) } };
function pod(name: string, readySince?: number): Pod {
  return {
    metadata: { name, namespace: 'ns' },
    status: readySince === undefined ? {} : { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(readySince) }] },
  };
}

describe('TriggerTimeTracker', () => {
  it('dates a new service from its creation, then from the earliest pod readiness change since the last sync', () => {
    const tracker = new TriggerTimeTracker();
    expect(tracker.compute(service, [pod('a', T0 + 5)])).toBe(T0);
    expect(tracker.compute(service, [pod('a', T0 + 5)])).toBeUndefined();
    expect(tracker.compute(service, [pod('a', T0 + 5), pod('b', T0 + 9), pod('c', T0 + 7)])).toBe(T0 + 7);
    expect(tracker.compute(service, [pod('a', T0 + 20), pod('b', T0 + 9), pod('c', T0 + 7)])).toBe(T0 + 20);
  });

  it('forgets a deleted service, so a recreated one is dated from its creation again', () => {
    const tracker = new TriggerTimeTracker();
    tracker.compute(service, []);
    tracker.deleteService('ns', 'web');
    expect(tracker.compute({ ...service, metadata: { ...service.metadata, creationTimestamp: iso(T0 + 60) } }, [])).toBe(T0 + 60);
  });
});
