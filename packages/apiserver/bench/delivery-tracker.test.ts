import { describe, expect, it } from 'vitest';
import { deliveryLatencies, DeliveryTracker } from './delivery-tracker.ts';

describe('DeliveryTracker', () => {
  it('completes a write once every watcher has it, counting arrivals that came first', async () => {
    const tracker = new DeliveryTracker(3);
    tracker.arrive(0, 5);
    tracker.arrive(0, 6);
    const delivered = tracker.delivered(0, 60_000);
    tracker.arrive(0, 9);
    expect(await delivered).toEqual({ arrivals: [5, 6, 9], complete: true });
  });

  it('gives up after the wait with what arrived, and drops stragglers of settled writes', async () => {
    const tracker = new DeliveryTracker(2);
    tracker.arrive(0, 1);
    expect(await tracker.delivered(0, 5)).toEqual({ arrivals: [1], complete: false });
    tracker.arrive(0, 50);
    tracker.arrive(1, 51);
    tracker.arrive(1, 52);
    expect(await tracker.delivered(1, 5)).toEqual({ arrivals: [51, 52], complete: true });
  });
});

describe('deliveryLatencies', () => {
  it('times each delivery from the acknowledgment, the last one as "to all"', () => {
    expect(deliveryLatencies(100, { arrivals: [102, 110, 104], complete: true })).toEqual({ toEachMs: [2, 10, 4], toAllMs: 10 });
  });

  it('counts a delivery that beat the acknowledgment as 0', () => {
    expect(deliveryLatencies(100, { arrivals: [98, 103], complete: true })).toEqual({ toEachMs: [0, 3], toAllMs: 3 });
  });

  it('has no "to all" time for a write some watcher never got', () => {
    expect(deliveryLatencies(100, { arrivals: [101], complete: false }).toAllMs).toBeUndefined();
  });
});
