import { describe, expect, it } from 'vitest';
import { computeHash } from '../../controller/controller-utils.ts';
import { currentRevisionNumber, daemonSetPatch, matchesRevision, newDaemonSetRevision, revisionsToPrune, revisionToKeep, splitRevisions } from './revisions.ts';
import { daemonPod, daemonSet } from './testing.ts';
import type { ControllerRevision } from './types.ts';

describe('DaemonSet revisions', () => {
  it('store the patch that restores the template, as kubectl rollout undo applies it', () => {
    const ds = daemonSet('redis');
    expect(daemonSetPatch(ds)).toEqual({
      spec: { template: { $patch: 'replace', metadata: { labels: { app: 'redis' } }, spec: { containers: [{ name: 'main', image: 'redis:7' }] } } },
    });
  });

  it('are named after the template hash, labelled like the pods, and owned by the DaemonSet', () => {
    const ds = daemonSet('redis');
    ds.metadata.annotations = { ...ds.metadata.annotations, 'kubernetes.io/change-cause': 'first' };
    const hash = computeHash(ds.spec!.template!);
    const revision = newDaemonSetRevision(ds, 3);
    expect(revision.metadata).toEqual({
      name: `redis-${hash}`,
      namespace: 'default',
      labels: { app: 'redis', 'controller-revision-hash': hash },
      annotations: ds.metadata.annotations,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'redis', uid: 'uid-redis', controller: true, blockOwnerDeletion: true }],
    });
    expect(revision.revision).toBe(3);
    expect(matchesRevision(ds, revision)).toBe(true);
    // A collision count changes the name, not the content.
    ds.status = { collisionCount: 1 };
    expect(newDaemonSetRevision(ds, 3).metadata.name).not.toBe(revision.metadata.name);
  });

  it('tell the current template from old ones and number the current one last', () => {
    const v1 = daemonSet('redis', { image: 'redis:6' });
    const v2 = daemonSet('redis', { image: 'redis:7' });
    const revisions = [newDaemonSetRevision(v1, 1), newDaemonSetRevision(v2, 2)];
    const { current, old } = splitRevisions(v1, revisions);
    expect(current.map((r) => r.revision)).toEqual([1]);
    expect(currentRevisionNumber(old)).toBe(3);
    expect(currentRevisionNumber([])).toBe(1);
  });

  it('keep the highest-numbered duplicate', () => {
    const ds = daemonSet('redis');
    const a = { ...newDaemonSetRevision(ds, 4), metadata: { name: 'a' } } as ControllerRevision;
    const b = { ...newDaemonSetRevision(ds, 2), metadata: { name: 'b' } } as ControllerRevision;
    expect(revisionToKeep([b, a]).metadata.name).toBe('a');
  });

  it('prune the oldest revisions beyond the limit, sparing any a pod still runs', () => {
    const ds = daemonSet('redis', { revisionHistoryLimit: 2 });
    const old = [1, 2, 3, 4].map((n) => {
      const r = newDaemonSetRevision(daemonSet('redis', { image: `redis:${n}` }), n);
      return { ...r, metadata: { ...r.metadata, labels: { 'controller-revision-hash': `h${n}` } } };
    });
    const pods = [daemonPod(ds, 'p', 'n1', { hash: 'h1' })];
    expect(revisionsToPrune(ds, old, pods).map((r) => r.revision)).toEqual([2, 3]);
    expect(revisionsToPrune(daemonSet('redis'), old, [])).toEqual([]);
  });
});
