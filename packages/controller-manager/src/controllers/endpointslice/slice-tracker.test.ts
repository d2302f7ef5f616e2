import { describe, expect, it } from 'vitest';
import { EndpointSliceTracker } from './slice-tracker.ts';
import { service } from './util/test-fixtures.ts';
import type { EndpointSlice } from './util/types.ts';

const svc = service('ns', 'web');
function slice(uid: string, generation: number): EndpointSlice {
  return {
    metadata: { name: `web-${uid}`, namespace: 'ns', uid, generation, labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [],
    ports: [],
  };
}

describe('EndpointSliceTracker', () => {
  it('ignores echoes of its own writes and syncs on newer generations or unknown slices', () => {
    const tracker = new EndpointSliceTracker();
    expect(tracker.shouldSync(slice('a', 1))).toBe(true);
    tracker.update(slice('a', 2));
    expect(tracker.shouldSync(slice('a', 2))).toBe(false);
    expect(tracker.shouldSync(slice('a', 3))).toBe(true);
    expect(tracker.shouldSync(slice('b', 1))).toBe(true);
  });

  it('calls the cache stale while it lags behind a write, a create or a delete', () => {
    const tracker = new EndpointSliceTracker();
    expect(tracker.staleSlices(svc, [])).toBe(false);
    tracker.update(slice('a', 2));
    expect(tracker.staleSlices(svc, [])).toBe(true); // created, not listed yet
    expect(tracker.staleSlices(svc, [slice('a', 1)])).toBe(true); // older than written
    expect(tracker.staleSlices(svc, [slice('a', 2)])).toBe(false);
    tracker.expectDeletion(slice('a', 2));
    expect(tracker.staleSlices(svc, [slice('a', 2)])).toBe(true); // deleted, still listed
    expect(tracker.staleSlices(svc, [])).toBe(false);
  });

  it('tells its own deletions from someone else’s', () => {
    const tracker = new EndpointSliceTracker();
    tracker.update(slice('a', 1));
    tracker.update(slice('b', 1));
    tracker.expectDeletion(slice('a', 1));
    expect(tracker.handleDeletion(slice('a', 1))).toBe(true);
    expect(tracker.handleDeletion(slice('b', 1))).toBe(false);
    expect(tracker.has(slice('b', 1))).toBe(false);
  });
});
