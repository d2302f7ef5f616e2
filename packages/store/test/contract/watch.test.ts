// Watch contract: the guarantees of etcd's watch API on one multiplexed stream.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prefixEnd, str, WatchStream } from '../../src/client/etcd-client.ts';
import { availableTargets } from '../harness.ts';
import { revisionOf, uniquePrefix } from '../support/kv-helpers.ts';
import { useMember } from '../support/member-fixture.ts';
import { describeEvent, nextEvents, responsesWithEvents } from '../support/watch-helpers.ts';

describe.each(availableTargets())('Watch against %s', (target) => {
  const store = useMember(target);
  let stream: WatchStream;
  beforeEach(() => {
    stream = store.client.watch();
  });
  afterEach(() => stream.close());

  it('confirms creation with the current revision and delivers puts and deletes', async () => {
    const key = `${uniquePrefix('basic')}k`;
    const current = revisionOf(await store.client.range({ key }));
    const watcher = await stream.create({ key });
    expect(watcher.createdResponse).toMatchObject({ created: true, canceled: false, events: [] });
    expect(revisionOf(watcher.createdResponse)).toBe(current);

    const putRev = revisionOf(await store.client.put({ key, value: 'v' }));
    const delRev = revisionOf(await store.client.deleteRange({ key }));
    const events = await nextEvents(watcher, 2);
    expect(events.map(describeEvent)).toEqual([`PUT ${key}=v@${putRev}`, `DELETE ${key}@${delRev}`]);
    expect(events[0].kv).toMatchObject({ create_revision: String(putRev), version: '1' });
    // A delete event carries the key and the deleting revision, nothing else.
    expect(events[1].kv).toMatchObject({ create_revision: '0', version: '0', lease: '0' });
    expect(str(events[1].kv.value)).toBe('');
  });

  it('delivers every revision under a prefix exactly once, in order', async () => {
    const prefix = uniquePrefix('ordered');
    const watcher = await stream.create({ key: prefix, range_end: prefixEnd(prefix) });
    const writes: number[] = [];
    for (let i = 0; i < 60; i++) {
      const key = `${prefix}${i % 7}`;
      const response = i % 5 === 4 ? await store.client.deleteRange({ key }) : await store.client.put({ key, value: `${i}` });
      if (!('deleted' in response) || response.deleted !== '0') writes.push(revisionOf(response));
    }
    const events = await nextEvents(watcher, writes.length);
    expect(events.map((event) => Number(event.kv.mod_revision))).toEqual(writes);
  });

  it('delivers a txn’s changes together in one response at one revision', async () => {
    const prefix = uniquePrefix('txn');
    const watcher = await stream.create({ key: prefix, range_end: prefixEnd(prefix) });
    const txn = await store.client.txn({
      success: ['a', 'b', 'c'].map((name) => ({ request_put: { key: `${prefix}${name}`, value: name } })),
    });
    const [response] = await responsesWithEvents(watcher, 3);
    expect(response.events.map(describeEvent)).toEqual(
      ['a', 'b', 'c'].map((name) => `PUT ${prefix}${name}=${name}@${txn.header.revision}`),
    );
  });

  it('replays history from start_revision, then continues live', async () => {
    const key = `${uniquePrefix('resume')}k`;
    await store.client.put({ key, value: '1' });
    const r2 = revisionOf(await store.client.put({ key, value: '2' }));
    const r3 = revisionOf(await store.client.deleteRange({ key }));
    const watcher = await stream.create({ key, start_revision: r2 });
    const r4 = revisionOf(await store.client.put({ key, value: '4' }));
    const events = await nextEvents(watcher, 3);
    expect(events.map(describeEvent)).toEqual([`PUT ${key}=2@${r2}`, `DELETE ${key}@${r3}`, `PUT ${key}=4@${r4}`]);
  });

  it('attaches the previous key-value when asked', async () => {
    const key = `${uniquePrefix('prevkv')}k`;
    await store.client.put({ key, value: 'old' });
    const watcher = await stream.create({ key, prev_kv: true });
    await store.client.put({ key, value: 'new' });
    await store.client.deleteRange({ key });
    const [put, del] = await nextEvents(watcher, 2);
    expect(str(put.prev_kv!.value)).toBe('old');
    expect(str(del.prev_kv!.value)).toBe('new');
    expect(del.prev_kv!.version).toBe('2');
  });

  it('omits prev_kv when not asked', async () => {
    const key = `${uniquePrefix('no-prevkv')}k`;
    await store.client.put({ key, value: 'old' });
    const watcher = await stream.create({ key });
    await store.client.put({ key, value: 'new' });
    const [event] = await nextEvents(watcher, 1);
    expect(event.prev_kv).toBeNull();
  });

  it('filters out puts with NOPUT and deletes with NODELETE', async () => {
    const key = `${uniquePrefix('filters')}k`;
    const deletesOnly = await stream.create({ key, filters: ['NOPUT'] });
    const putsOnly = await stream.create({ key, filters: ['NODELETE'] });
    const p1 = revisionOf(await store.client.put({ key, value: '1' }));
    const d1 = revisionOf(await store.client.deleteRange({ key }));
    const p2 = revisionOf(await store.client.put({ key, value: '2' }));
    const d2 = revisionOf(await store.client.deleteRange({ key }));
    expect((await nextEvents(deletesOnly, 2)).map(describeEvent)).toEqual([`DELETE ${key}@${d1}`, `DELETE ${key}@${d2}`]);
    expect((await nextEvents(putsOnly, 2)).map(describeEvent)).toEqual([`PUT ${key}=1@${p1}`, `PUT ${key}=2@${p2}`]);
  });

  it('multiplexes watches on one stream with distinct ids', async () => {
    const prefix = uniquePrefix('multiplex');
    const watchers = await Promise.all(['a', 'b', 'c'].map((name) => stream.create({ key: `${prefix}${name}` })));
    expect(new Set(watchers.map((w) => w.id)).size).toBe(3);
    for (const name of ['c', 'a', 'b']) await store.client.put({ key: `${prefix}${name}`, value: name });
    for (const [i, name] of ['a', 'b', 'c'].entries()) {
      const [event] = await nextEvents(watchers[i], 1);
      expect(str(event.kv.key)).toBe(`${prefix}${name}`);
    }
  });

  it('watches a key range given by range_end', async () => {
    const prefix = uniquePrefix('range');
    const watcher = await stream.create({ key: `${prefix}b`, range_end: `${prefix}d` });
    for (const name of ['a', 'b', 'c', 'd', 'e', 'c']) await store.client.put({ key: `${prefix}${name}`, value: name });
    const events = await nextEvents(watcher, 3);
    expect(events.map((event) => str(event.kv.key))).toEqual([`${prefix}b`, `${prefix}c`, `${prefix}c`]);
  });

  it('cancels a watch with a canceled response, after which it gets no events', async () => {
    const key = `${uniquePrefix('cancel')}k`;
    const canceled = await stream.create({ key });
    const control = await stream.create({ key });
    const response = await stream.cancel(canceled.id);
    expect(response).toMatchObject({ watch_id: canceled.id, canceled: true });
    await store.client.put({ key, value: 'v' });
    await nextEvents(control, 1);
    // The canceled watch ended with its canceled response; nothing else arrived for it.
    const rest = [];
    for await (const late of canceled) rest.push(late);
    expect(rest.map((r) => r.canceled)).toEqual([true]);
  });

  it('answers a progress request with an empty response at the current revision', async () => {
    const key = `${uniquePrefix('progress')}k`;
    await stream.create({ key });
    const current = revisionOf(await store.client.put({ key: `${key}-other`, value: 'v' }));
    const progress = await stream.requestProgress();
    // etcd 3.4 sends it with watch_id -1: it belongs to no single watch.
    expect(progress).toMatchObject({ watch_id: '-1', created: false, canceled: false, events: [] });
    expect(revisionOf(progress)).toBe(current);
  });

  it('refuses a duplicate client-chosen watch id', async () => {
    const key = `${uniquePrefix('watch-id')}k`;
    const chosen = await stream.create({ key, watch_id: 4242 });
    expect(chosen.id).toBe('4242');
    await expect(stream.create({ key, watch_id: 4242 })).rejects.toMatchObject({
      response: { created: true, canceled: true, cancel_reason: 'mvcc: duplicate watch ID provided on the WatchStream' },
    });
  });
});

describe.each(availableTargets())('Watch after compaction against %s', (target) => {
  const store = useMember(target);

  it('cancels a watch that starts below the compacted revision, naming the compact revision', async () => {
    const key = `${uniquePrefix('compacted')}k`;
    const old = revisionOf(await store.client.put({ key, value: '1' }));
    const compactedAt = revisionOf(await store.client.put({ key, value: '2' }));
    await store.client.compact({ revision: compactedAt });
    const stream = store.client.watch();
    try {
      // etcd 3.4 first confirms creation, then sends the compaction notice as a canceled response.
      const watcher = await stream.create({ key, start_revision: old });
      const notice = await watcher.next();
      expect(notice).toMatchObject({ canceled: true, compact_revision: String(compactedAt), events: [] });
    } finally {
      stream.close();
    }
  });
});
