import { describe, expect, it } from 'vitest';
import type { JsonValue, KubeObject } from '@k8ts/api';
import { FakeApi } from '../testing/fake-api.ts';
import { namespace } from '../testing/fixtures.ts';
import {
  controllerRevisionName,
  CONTROLLER_REVISION_KIND,
  equalRevision,
  hashControllerRevision,
  newControllerRevision,
  nextRevision,
  REVISION_HASH_LABEL,
  RevisionHistory,
  sortRevisions,
  type ControllerRevision,
} from './history.ts';

const STS = { group: 'apps', version: 'v1', kind: 'StatefulSet' };
const parent: KubeObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default', uid: 'uid-web' } };

function templatePatch(image: string): JsonValue {
  return { spec: { template: { $patch: 'replace', metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image }] } } } };
}

function revision(name: string, number: number, created = '2025-01-01T00:00:00Z'): ControllerRevision {
  return { metadata: { name, creationTimestamp: created }, revision: number, data: null };
}

describe('hashControllerRevision', () => {
  it('depends on the data and the collision count, not on key order', () => {
    const a = hashControllerRevision({ metadata: {}, revision: 1, data: { x: 1, y: [1, 2] } });
    const b = hashControllerRevision({ metadata: {}, revision: 7, data: { y: [1, 2], x: 1 } });
    expect(a).toBe(b);
    expect(hashControllerRevision({ metadata: {}, revision: 1, data: { x: 2, y: [1, 2] } })).not.toBe(a);
    expect(hashControllerRevision({ metadata: {}, revision: 1, data: { x: 1, y: [1, 2] } }, 1)).not.toBe(a);
    expect(a).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });

  it('is FNV-1 over the bytes of the data (Go fnv.New32), safe-encoded', () => {
    // FNV-1 of the empty JSON object "{}": offset*prime ^ '{', *prime ^ '}'.
    let h = 0x811c9dc5;
    for (const byte of Buffer.from('{}')) h = (Math.imul(h, 0x01000193) ^ byte) >>> 0;
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    const expected = [...String(h)].map((d) => alphabet[d.charCodeAt(0) % alphabet.length]).join('');
    expect(hashControllerRevision({ metadata: {}, revision: 1, data: {} })).toBe(expected);
  });
});

describe('controllerRevisionName', () => {
  it('is prefix-hash, the prefix cut to leave room for the hash in 253 characters', () => {
    expect(controllerRevisionName('web', 'abc12')).toBe('web-abc12');
    expect(controllerRevisionName('x'.repeat(300), 'h')).toBe(`${'x'.repeat(223)}-h`);
  });
});

describe('newControllerRevision', () => {
  it('labels the revision with the template labels and its hash, named after the parent, controlled by it', () => {
    const cr = newControllerRevision(parent, STS, { app: 'web' }, templatePatch('nginx:1'), 3);
    const hash = hashControllerRevision(cr);
    expect(cr.metadata).toEqual({
      name: `web-${hash}`,
      namespace: 'default',
      labels: { app: 'web', [REVISION_HASH_LABEL]: hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }],
    });
    expect(cr.revision).toBe(3);
    expect(newControllerRevision(parent, STS, { app: 'web' }, templatePatch('nginx:1'), 3, 1).metadata.name).not.toBe(cr.metadata.name);
  });
});

describe('equalRevision', () => {
  it('compares the data', () => {
    const a = newControllerRevision(parent, STS, {}, templatePatch('nginx:1'), 1);
    const b = newControllerRevision(parent, STS, {}, templatePatch('nginx:1'), 2);
    const c = newControllerRevision(parent, STS, {}, templatePatch('nginx:2'), 1);
    expect(equalRevision(a, b)).toBe(true);
    expect(equalRevision(a, c)).toBe(false);
  });

  it('finds the same template in a revision made under another collision count', () => {
    const a = newControllerRevision(parent, STS, {}, templatePatch('nginx:1'), 1, 0);
    const b = newControllerRevision(parent, STS, {}, templatePatch('nginx:1'), 2, 1);
    expect(a.metadata.labels?.[REVISION_HASH_LABEL]).not.toBe(b.metadata.labels?.[REVISION_HASH_LABEL]);
    expect(equalRevision(a, b)).toBe(true);
  });
});

describe('sortRevisions and nextRevision', () => {
  it('orders by revision, then creation time, then name', () => {
    const sorted = sortRevisions([
      revision('c', 2),
      revision('b', 1, '2025-01-01T00:00:05Z'),
      revision('z', 1),
      revision('a', 1, '2025-01-01T00:00:05Z'),
    ]);
    expect(sorted.map((r) => r.metadata.name)).toEqual(['z', 'a', 'b', 'c']);
  });

  it('numbers the next revision after the highest, starting at 1', () => {
    expect(nextRevision([])).toBe(1);
    expect(nextRevision([revision('a', 4), revision('b', 2)])).toBe(5);
  });
});

describe('RevisionHistory', () => {
  function history() {
    const api = new FakeApi();
    api.seed(namespace('default'));
    return { api, history: new RevisionHistory(api.client().forKind<ControllerRevision>(CONTROLLER_REVISION_KIND)) };
  }

  it('creates a revision, and returns the existing one when the same data is already stored', async () => {
    const { api, history: h } = history();
    const cr = newControllerRevision(parent, STS, { app: 'web' }, templatePatch('nginx:1'), 1);
    const count = { value: 0 };
    const created = await h.create(parent, cr, count);
    expect(created.metadata.uid).toBeTruthy();
    const again = await h.create(parent, { ...cr, revision: 2 }, count);
    expect(again.metadata.uid).toBe(created.metadata.uid);
    expect(count.value).toBe(0);
    expect(api.list('apps/v1', 'ControllerRevision')).toHaveLength(1);
  });

  it('on a name collision with other data, counts the collision and takes the next name', async () => {
    const { api, history: h } = history();
    // Owners always pass their status.collisionCount (0 at first) to both calls.
    const cr = newControllerRevision(parent, STS, {}, templatePatch('nginx:1'), 1, 0);
    // Another revision squats on the name the new one hashes to.
    api.seed({ ...cr, data: templatePatch('other') } as KubeObject);
    const count = { value: 0 };
    const created = await h.create(parent, cr, count);
    expect(count.value).toBe(1);
    expect(created.metadata.name).toBe(controllerRevisionName('web', hashControllerRevision(cr, 1)));
    expect(created.data).toEqual(templatePatch('nginx:1'));
  });

  it('renumbers a revision again after a conflicting write', async () => {
    const { api, history: h } = history();
    const created = await h.create(parent, newControllerRevision(parent, STS, {}, templatePatch('nginx:1'), 1, 0), { value: 0 });
    api.failNext('update', 'controllerrevisions.apps', {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      reason: 'Conflict',
      message: 'the object has been modified',
      code: 409,
    });
    expect((await h.updateRevisionNumber(created, 2)).revision).toBe(2);
    expect(api.writes().filter((w) => w.verb === 'update')).toHaveLength(2);
  });

  it('renumbers and deletes revisions', async () => {
    const { api, history: h } = history();
    const created = await h.create(parent, newControllerRevision(parent, STS, {}, templatePatch('nginx:1'), 1), { value: 0 });
    const renumbered = await h.updateRevisionNumber(created, 4);
    expect(renumbered.revision).toBe(4);
    expect(api.get<ControllerRevision>('apps/v1', 'ControllerRevision', 'default', created.metadata.name!)?.revision).toBe(4);
    await h.delete(renumbered);
    expect(api.list('apps/v1', 'ControllerRevision')).toHaveLength(0);
  });
});
