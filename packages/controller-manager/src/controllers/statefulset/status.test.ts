import { describe, expect, it } from 'vitest';
import type { ControllerRevision } from '../../controller/history.ts';
import { completeRollingUpdate, countReplicas, inconsistentStatus, toWireStatus, type ComputedStatus } from './status.ts';
import { statefulSet } from './testing.ts';
import type { Pod } from './types.ts';

const NOW = Date.UTC(2025, 0, 1, 0, 1, 0);
const revision = (name: string): ControllerRevision => ({ metadata: { name }, revision: 1 });

function pod(name: string, revisionName: string, state: 'planned' | 'pending' | 'ready' | 'terminating', readySince = NOW - 60_000): Pod {
  const since = new Date(readySince).toISOString();
  return {
    metadata: {
      name,
      labels: { 'controller-revision-hash': revisionName },
      ...(state === 'planned' ? {} : { uid: `uid-${name}` }),
      ...(state === 'terminating' ? { deletionTimestamp: since } : {}),
    },
    ...(state === 'planned' ? {} : { status: state === 'pending' ? { phase: 'Pending' } : { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: since }] } }),
  };
}

describe('countReplicas', () => {
  it('counts created, ready, available, current and updated pods', () => {
    const pods = [
      pod('web-0', 'web-a', 'ready'),
      pod('web-1', 'web-a', 'ready', NOW - 5_000),
      pod('web-2', 'web-b', 'terminating'),
      pod('web-3', 'web-b', 'pending'),
      pod('web-4', 'web-b', 'planned'),
    ];
    expect(countReplicas(pods, 10, revision('web-a'), revision('web-b'), NOW)).toEqual({
      replicas: 4,
      readyReplicas: 3,
      availableReplicas: 2,
      currentReplicas: 2,
      updatedReplicas: 1,
    });
  });
});

describe('status writes', () => {
  const computed = (over: Partial<ComputedStatus> = {}): ComputedStatus => ({
    observedGeneration: 2,
    replicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
    currentReplicas: 0,
    updatedReplicas: 3,
    currentRevision: 'web-a',
    updateRevision: 'web-b',
    collisionCount: 0,
    ...over,
  });

  it('makes the update revision current once every replica is updated and ready', () => {
    const status = computed();
    completeRollingUpdate(statefulSet('web'), status);
    expect(status).toMatchObject({ currentRevision: 'web-b', currentReplicas: 3 });
    const partial = computed({ updatedReplicas: 2 });
    completeRollingUpdate(statefulSet('web'), partial);
    expect(partial.currentRevision).toBe('web-a');
    const onDelete = computed();
    completeRollingUpdate(statefulSet('web', { updateStrategy: { type: 'OnDelete' } }), onDelete);
    expect(onDelete.currentRevision).toBe('web-a');
  });

  it('writes only when something changed, omitting zero counters but not collisionCount', () => {
    const set = statefulSet('web');
    const status = computed({ readyReplicas: 0, availableReplicas: 0 });
    expect(inconsistentStatus(set, status)).toBe(true);
    set.status = toWireStatus(status);
    expect(set.status).toEqual({ observedGeneration: 2, replicas: 3, updatedReplicas: 3, currentRevision: 'web-a', updateRevision: 'web-b', collisionCount: 0 });
    expect(inconsistentStatus(set, status)).toBe(false);
  });
});
