import { describe, expect, it } from 'vitest';
import type { ControllerRevision } from '../../controller/history.ts';
import { applyRevision, newRevision, revisionsOf, revisionsToTruncate } from './revisions.ts';
import { statefulSet } from './testing.ts';
import type { Pod } from './types.ts';

const set = { ...statefulSet('web', { revisionHistoryLimit: 2 }), metadata: { name: 'web', namespace: 'default', uid: 'set-uid' } };
const rev = (name: string, revision: number, owner?: string): ControllerRevision => ({
  metadata: { name, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: owner, controller: true }] } : {}) },
  revision,
});
const podAt = (revision: string): Pod => ({ metadata: { name: 'web-0', labels: { 'controller-revision-hash': revision } } });

describe('StatefulSet revisions', () => {
  it('snapshot the template as a replacing patch, and restore it', () => {
    const revision = newRevision(set, 1, 0);
    expect(revision.data).toEqual({ spec: { template: { ...set.spec!.template, $patch: 'replace' } } });
    const changed = structuredClone(set);
    changed.spec!.template!.spec!.containers = [{ name: 'nginx', image: 'nginx:2' }];
    expect(applyRevision(changed, revision).spec?.template).toEqual(set.spec!.template);
    expect(applyRevision(changed, revision).spec?.replicas).toBe(3);
  });

  it('are the ones the set controls, and orphans, in revision order', () => {
    const listed = [rev('web-c', 3, 'set-uid'), rev('web-a', 1), rev('web-x', 2, 'other-uid')];
    expect(revisionsOf(set, listed).map((r) => r.metadata.name)).toEqual(['web-a', 'web-c']);
  });

  it('beyond revisionHistoryLimit, the oldest unused ones go', () => {
    const revisions = [rev('web-1', 1), rev('web-2', 2), rev('web-3', 3), rev('web-4', 4), rev('web-5', 5), rev('web-6', 6)];
    // web-6 is current and update, a pod still runs web-2: of the other four, two may stay.
    const truncated = revisionsToTruncate(set, [podAt('web-2')], revisions, revisions[5], revisions[5]);
    expect(truncated.map((r) => r.metadata.name)).toEqual(['web-1', 'web-3']);
    expect(revisionsToTruncate(set, [], revisions.slice(3), revisions[5], revisions[5])).toEqual([]);
  });
});
