import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { FakeClock } from './clock.ts';
import { silentLogger } from './logger.ts';
import { Reflector, type ReflectorOptions, type ReflectorStore } from './reflector.ts';
import { expired, expiredStatus, pod, podList, ScriptedListerWatcher } from './testing/scripted-lister-watcher.ts';

class RecordingStore implements ReflectorStore<KubeObject> {
  readonly log: string[] = [];
  add(obj: KubeObject): void {
    this.log.push(`add ${obj.metadata.name}@${obj.metadata.resourceVersion}`);
  }
  update(obj: KubeObject): void {
    this.log.push(`update ${obj.metadata.name}@${obj.metadata.resourceVersion}`);
  }
  delete(obj: KubeObject): void {
    this.log.push(`delete ${obj.metadata.name}`);
  }
  replace(items: KubeObject[], resourceVersion: string): void {
    this.log.push(`replace [${items.map((i) => i.metadata.name).join(',')}]@${resourceVersion}`);
  }
  resync(): void {
    this.log.push('resync');
  }
}

const stops: AbortController[] = [];
afterEach(() => {
  for (const c of stops.splice(0)) c.abort();
});

function start(lw: ScriptedListerWatcher, options: ReflectorOptions = {}) {
  const clock = new FakeClock(0);
  const store = new RecordingStore();
  const errors: string[] = [];
  // random() = 0: no jitter, shortest watch timeout (300 s).
  const reflector = new Reflector(lw, store, { clock, random: () => 0, logger: silentLogger, onWatchError: (e) => errors.push((e as Error).message), ...options });
  const stop = new AbortController();
  stops.push(stop);
  const done = reflector.run(stop.signal);
  return { clock, store, reflector, stop, done, errors };
}

describe('Reflector', () => {
  it('lists from the cache (RV 0) in pages of 500, then watches from the list RV with bookmarks', async () => {
    const lw = new ScriptedListerWatcher().replyList(podList('10', [pod('a', '3'), pod('b', '7')])).replyWatch('open');
    const { clock, store, reflector } = start(lw);
    await clock.flush();
    expect(lw.lists).toEqual([{ resourceVersion: '0', limit: 500 }]);
    expect(lw.watches).toEqual([{ resourceVersion: '10', timeoutSeconds: 300, allowWatchBookmarks: true }]);
    expect(store.log).toEqual(['replace [a,b]@10']);

    lw.currentWatch.add(pod('c', '11'));
    lw.currentWatch.modify(pod('a', '12'));
    lw.currentWatch.delete(pod('b', '13'));
    lw.currentWatch.bookmark('15');
    await clock.flush();
    expect(store.log.slice(1)).toEqual(['add c@11', 'update a@12', 'delete b']);
    expect(reflector.lastSyncResourceVersion()).toBe('15');
  });

  it('re-watches from the last RV when a watch ends normally', async () => {
    const lw = new ScriptedListerWatcher().replyList(podList('10', [])).replyWatch('open', 'open');
    const { clock } = start(lw);
    await clock.flush();
    await clock.advance(300_000);
    lw.currentWatch.add(pod('a', '20'));
    lw.currentWatch.stop(); // the server closed it (timeoutSeconds)
    await clock.flush();
    expect(lw.watches.map((w) => w.resourceVersion)).toEqual(['10', '20']);
    expect(lw.lists).toHaveLength(1);
  });

  it('relists at the last RV after 410, and at the latest when that is gone too', async () => {
    const lw = new ScriptedListerWatcher()
      .replyList(podList('10', [pod('a', '3')]), expired('too old resource version: 12 (40)'), podList('41', [pod('a', '30')]))
      .replyWatch('open', 'open');
    const { clock, store } = start(lw);
    await clock.flush();
    lw.currentWatch.modify(pod('a', '12'));
    lw.currentWatch.error(expiredStatus());
    await clock.flush();
    // A new round after the backoff (800 ms with no jitter).
    await clock.advance(800);
    expect(lw.lists).toEqual([
      { resourceVersion: '0', limit: 500 },
      // pinned to what we saw: no limit, so the apiserver's watch cache can answer
      { resourceVersion: '12' },
      // a consistent read of the latest state, still in one piece (same pager as the attempt before)
      { resourceVersion: '' },
    ]);
    expect(store.log).toEqual(['replace [a]@10', 'update a@12', 'replace [a]@41']);
    expect(lw.watches.map((w) => w.resourceVersion)).toEqual(['10', '41']);
  });

  it('follows continue tokens, dropping the RV after the first page', async () => {
    const lw = new ScriptedListerWatcher().replyList(podList('10', [pod('a', '1')], 'tok1'), podList('10', [pod('b', '2')], 'tok2'), podList('10', [pod('c', '3')]));
    const { clock, store } = start(lw);
    await clock.flush();
    expect(lw.lists).toEqual([
      { resourceVersion: '0', limit: 500 },
      { limit: 500, continue: 'tok1' },
      { limit: 500, continue: 'tok2' },
    ]);
    expect(store.log).toEqual(['replace [a,b,c]@10']);
  });

  it('backs off exponentially between failed rounds', async () => {
    const lw = new ScriptedListerWatcher().replyList(new Error('boom'), new Error('boom'), new Error('boom'));
    const { clock, errors } = start(lw);
    await clock.flush();
    expect(errors).toEqual(['failed to list objects: boom']);
    await clock.advance(799);
    expect(lw.lists).toHaveLength(1);
    await clock.advance(1);
    expect(lw.lists).toHaveLength(2);
    await clock.advance(1600);
    expect(lw.lists).toHaveLength(3);
  });

  it('retries a refused watch without relisting', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const lw = new ScriptedListerWatcher().replyList(podList('10', [])).replyWatch(refused, 'open');
    const { clock } = start(lw);
    await clock.flush();
    expect(lw.watches).toHaveLength(1);
    await clock.advance(800);
    expect(lw.watches.map((w) => w.resourceVersion)).toEqual(['10', '10']);
    expect(lw.lists).toHaveLength(1);
  });

  it('treats a watch that closes at once with nothing in it as a failure and relists', async () => {
    const lw = new ScriptedListerWatcher().replyList(podList('10', []), podList('10', [])).replyWatch('open');
    const { clock } = start(lw);
    await clock.flush();
    lw.currentWatch.stop();
    await clock.advance(800);
    expect(lw.lists.map((l) => l.resourceVersion)).toEqual(['0', '10']);
  });

  it('resyncs on its period while watching, if asked to', async () => {
    let due = true;
    const lw = new ScriptedListerWatcher().replyList(podList('1', [])).replyWatch('open');
    const { clock, store } = start(lw, { resyncPeriodMs: 30_000, shouldResync: () => due });
    await clock.advance(60_000);
    due = false;
    await clock.advance(30_000);
    expect(store.log.filter((l) => l === 'resync')).toHaveLength(2);
  });

  it('stops cleanly, closing its watch', async () => {
    const lw = new ScriptedListerWatcher().replyList(podList('1', [])).replyWatch('open');
    const { clock, stop, done } = start(lw);
    await clock.flush();
    stop.abort();
    await done;
    expect(lw.currentWatch.isStopped).toBe(true);
    expect(clock.pendingTimers()).toBe(0);
  });
});
