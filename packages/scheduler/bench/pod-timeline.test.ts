import { describe, expect, it } from 'vitest';
import { PodTimeline, type ObservedPod } from './pod-timeline.ts';

const pending = (name: string): ObservedPod => ({ metadata: { name }, status: { phase: 'Pending' } });
const bound = (name: string): ObservedPod => ({ metadata: { name }, spec: { nodeName: 'hollow-1' }, status: { phase: 'Pending' } });
const running = (name: string, ready: 'True' | 'False'): ObservedPod => ({
  metadata: { name },
  spec: { nodeName: 'hollow-1' },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready }] },
});

describe('PodTimeline', () => {
  it('times each pod from its create being sent to the first event showing it bound, then Running and Ready', () => {
    const timeline = new PodTimeline();
    timeline.sent('a', 1_000);
    timeline.sent('b', 1_010);
    timeline.observe(pending('a'), 1_020);
    timeline.acknowledged('a', 1_030);
    timeline.acknowledged('b', 1_040);
    timeline.observe(bound('a'), 1_100);
    timeline.observe(bound('a'), 1_150); // a later event does not move the first sighting
    timeline.observe(running('a', 'False'), 1_200); // Running but not yet Ready
    timeline.observe(running('a', 'True'), 1_500);
    timeline.observe(bound('b'), 1_510);

    const summary = timeline.summary();
    expect(summary).toMatchObject({ sent: 2, created: 2, bound: 2, running: 1 });
    expect(summary.toBound).toEqual({ p50Ms: 100, p99Ms: 500 });
    expect(summary.toRunning).toEqual({ p50Ms: 500, p99Ms: 500 });
    // 2 pods bound between the first create sent (1,000) and the last bind seen (1,510).
    expect(summary.boundPerSecond).toBeCloseTo(2000 / 510);
    expect(summary.createdPerSecond).toBeCloseTo(2000 / 40);
  });

  it('ignores pods it did not create and forgets creates that failed', () => {
    const timeline = new PodTimeline();
    timeline.sent('mine', 0);
    timeline.sent('refused', 0);
    timeline.observe(bound('someone-elses'), 10);
    timeline.observe(bound('refused'), 10);
    timeline.failed('refused');
    timeline.observe(bound('mine'), 20);
    expect([timeline.bound, timeline.running]).toEqual([1, 0]);
    expect(timeline.summary()).toMatchObject({ sent: 1, created: 0, bound: 1, createdPerSecond: 0, boundPerSecond: 50 });
    // Stragglers are pods whose create was answered that never reached the milestone.
    expect(timeline.stragglers('running', 5)).toEqual([]);
    timeline.acknowledged('mine', 5);
    expect(timeline.stragglers('bound', 5)).toEqual([]);
    expect(timeline.stragglers('running', 5)).toEqual(['mine']);
  });

  it('reports no rates and no latencies when nothing happened', () => {
    const timeline = new PodTimeline();
    timeline.sent('a', 5);
    const summary = timeline.summary();
    expect(summary).toMatchObject({ bound: 0, boundPerSecond: 0 });
    expect(Number.isNaN(summary.toBound.p99Ms)).toBe(true);
  });
});
