import { describe, expect, it } from 'vitest';
import { anchorPodDone, deploymentDone, DoneTracker, jobDone, statefulSetDone } from './churn-progress.ts';

const meta = (name: string, generation = 1) => ({ name, generation });

describe('churn completion', () => {
  it('counts a Deployment done once the current generation is observed, updated and available', () => {
    const d = { metadata: meta('a', 2), spec: { replicas: 3 }, status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 } };
    expect(deploymentDone(d)).toBe(true);
    expect(deploymentDone({ ...d, status: { ...d.status, observedGeneration: 1 } })).toBe(false);
    expect(deploymentDone({ ...d, status: { ...d.status, availableReplicas: 2 } })).toBe(false);
    expect(deploymentDone({ ...d, status: { ...d.status, replicas: 4 } })).toBe(false);
  });

  it('counts a StatefulSet done when every replica is ready, a Job when Complete, an anchor pod when Ready or Succeeded', () => {
    expect(statefulSetDone({ metadata: meta('s'), spec: { replicas: 3 }, status: { observedGeneration: 1, replicas: 3, readyReplicas: 3 } })).toBe(true);
    expect(statefulSetDone({ metadata: meta('s'), spec: { replicas: 3 }, status: { observedGeneration: 1, replicas: 3, readyReplicas: 2 } })).toBe(false);
    expect(jobDone({ metadata: meta('j'), status: { conditions: [{ type: 'Complete', status: 'True' }] } })).toBe(true);
    expect(jobDone({ metadata: meta('j'), status: { conditions: [{ type: 'Failed', status: 'True' }] } })).toBe(false);
    expect(anchorPodDone({ metadata: meta('p'), status: { phase: 'Succeeded' } })).toBe(true);
    expect(anchorPodDone({ metadata: meta('p'), status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] } })).toBe(false);
  });

  it('keeps the first time each object was done and finishes at the last one', () => {
    const tracker = new DoneTracker(2, jobDone);
    const complete = (name: string) => ({ metadata: meta(name), status: { conditions: [{ type: 'Complete', status: 'True' }] } });
    tracker.observe([complete('a'), { metadata: meta('b') }], 1_000);
    expect([tracker.done, tracker.complete, tracker.finishedAtMs]).toEqual([1, false, undefined]);
    tracker.observe([complete('a'), complete('b')], 3_000);
    expect([tracker.done, tracker.finishedAtMs]).toEqual([2, 3_000]);
  });
});
