import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { FakeClock } from './clock.ts';
import { SharedIndexInformer, waitForCacheSync, type ResourceEventHandler } from './informer.ts';
import { SharedInformerFactory } from './informer-factory.ts';
import { silentLogger, type Logger } from './logger.ts';
import { RestClient } from './rest-client.ts';
import { DeletedFinalStateUnknown } from './store.ts';
import { expiredStatus, pod, podList, ScriptedListerWatcher } from './testing/scripted-lister-watcher.ts';
import { hang, jsonReply, ScriptedTransport } from './testing/scripted-transport.ts';

const stops: AbortController[] = [];
afterEach(() => {
  for (const c of stops.splice(0)) c.abort();
});

function recorder(log: string[], label = ''): ResourceEventHandler<KubeObject> {
  const name = (o: KubeObject) => `${o.metadata.name}@${o.metadata.resourceVersion}`;
  return {
    onAdd: (obj, initial) => log.push(`${label}add ${name(obj)}${initial ? ' (initial)' : ''}`),
    onUpdate: (old, obj) => log.push(`${label}update ${name(old)} -> ${name(obj)}`),
    onDelete: (obj) => log.push(obj instanceof DeletedFinalStateUnknown ? `${label}delete ${obj.key} (tombstone)` : `${label}delete ${name(obj)}`),
  };
}

function run(informer: SharedIndexInformer) {
  const stop = new AbortController();
  stops.push(stop);
  return { stop, done: informer.run(stop.signal) };
}

describe('SharedIndexInformer', () => {
  it('fills its cache from the list, then keeps it current from the watch', async () => {
    const clock = new FakeClock();
    const lw = new ScriptedListerWatcher().replyList(podList('10', [pod('a', '3'), pod('b', '4')])).replyWatch('open');
    const informer = new SharedIndexInformer(lw, { clock, random: () => 0, logger: silentLogger });
    const log: string[] = [];
    const registration = informer.addEventHandler(recorder(log));
    expect(registration.hasSynced()).toBe(false);
    run(informer);
    await clock.flush();
    expect(informer.hasSynced() && registration.hasSynced()).toBe(true);
    lw.currentWatch.modify(pod('a', '11'));
    lw.currentWatch.add(pod('c', '12'));
    lw.currentWatch.delete(pod('b', '13'));
    await clock.flush();
    expect(log).toEqual(['add a@3 (initial)', 'add b@4 (initial)', 'update a@3 -> a@11', 'add c@12', 'delete b@13']);
    expect(informer.lister().list().map((p) => p.metadata.name).sort()).toEqual(['a', 'c']);
    expect(informer.lister().byNamespace('default').get('a')?.metadata.resourceVersion).toBe('11');
    expect(informer.lastSyncResourceVersion()).toBe('13');
  });

  it('reconciles a relist: updates what is still there, tombstones what vanished unseen', async () => {
    const clock = new FakeClock();
    const lw = new ScriptedListerWatcher()
      .replyList(podList('10', [pod('a', '3'), pod('b', '4')]), podList('30', [pod('a', '20'), pod('d', '25')]))
      .replyWatch('open', 'open');
    const informer = new SharedIndexInformer(lw, { clock, random: () => 0, logger: silentLogger });
    const log: string[] = [];
    informer.addEventHandler(recorder(log));
    run(informer);
    await clock.flush();
    log.length = 0;
    lw.currentWatch.error(expiredStatus());
    await clock.advance(800);
    expect(log).toEqual(['update a@3 -> a@20', 'add d@25', 'delete default/b (tombstone)']);
    expect(informer.getIndexer().listKeys().sort()).toEqual(['default/a', 'default/d']);
  });

  it('tells a late handler about everything already cached', async () => {
    const clock = new FakeClock();
    const lw = new ScriptedListerWatcher().replyList(podList('10', [pod('a', '3')])).replyWatch('open');
    const informer = new SharedIndexInformer(lw, { clock, logger: silentLogger });
    run(informer);
    await clock.flush();
    const log: string[] = [];
    const late = informer.addEventHandler(recorder(log));
    expect(log).toEqual(['add a@3 (initial)']);
    expect(late.hasSynced()).toBe(true);
  });

  it('resyncs each handler on its own period, by re-sending every object as an update', async () => {
    const clock = new FakeClock();
    const lw = new ScriptedListerWatcher().replyList(podList('10', [pod('a', '3')])).replyWatch('open');
    const informer = new SharedIndexInformer(lw, { clock, resyncPeriodMs: 60_000, logger: silentLogger });
    const log: string[] = [];
    informer.addEventHandler(recorder(log, 'fast:'), 30_000);
    informer.addEventHandler(recorder(log, 'never:'), 0);
    informer.addEventHandler(recorder(log, 'default:'));
    run(informer);
    await clock.advance(120_000);
    const resyncs = log.filter((l) => l.includes('update'));
    expect(resyncs).toEqual([
      'fast:update a@3 -> a@3', // 30 s
      'fast:update a@3 -> a@3', // 60 s
      'default:update a@3 -> a@3',
      'fast:update a@3 -> a@3', // 90 s
      'fast:update a@3 -> a@3', // 120 s
      'default:update a@3 -> a@3',
    ]);
  });

  it('cannot resync handlers of an informer created without resync', async () => {
    const clock = new FakeClock();
    const lw = new ScriptedListerWatcher().replyList(podList('10', [pod('a', '3')])).replyWatch('open');
    const informer = new SharedIndexInformer(lw, { clock, logger: silentLogger });
    const log: string[] = [];
    informer.addEventHandler(recorder(log), 30_000);
    run(informer);
    await clock.advance(120_000);
    expect(log).toEqual(['add a@3 (initial)']);
  });

  it('keeps going when one handler throws', async () => {
    const clock = new FakeClock();
    const warnings: string[] = [];
    const logger: Logger = { info: () => {}, warn: (m) => warnings.push(m) };
    const lw = new ScriptedListerWatcher().replyList(podList('10', [pod('a', '3')])).replyWatch('open');
    const informer = new SharedIndexInformer(lw, { clock, logger, description: '*v1.Pod' });
    const log: string[] = [];
    informer.addEventHandler({
      onAdd: () => {
        throw new Error('bug');
      },
    });
    informer.addEventHandler(recorder(log));
    run(informer);
    await clock.flush();
    expect(log).toEqual(['add a@3 (initial)']);
    expect(warnings).toEqual(['*v1.Pod event handler onAdd failed: bug']);
  });

  it('waitForCacheSync reports sync, or false when stopped first', async () => {
    const clock = new FakeClock();
    const lw = new ScriptedListerWatcher().replyList(podList('1', []));
    const informer = new SharedIndexInformer(lw, { clock, logger: silentLogger });
    const unsynced = new SharedIndexInformer(new ScriptedListerWatcher(), { clock, logger: silentLogger });
    run(informer);
    const { stop } = run(unsynced);
    const waitStop = new AbortController();
    const synced = waitForCacheSync(waitStop.signal, [() => informer.hasSynced()], clock);
    const never = waitForCacheSync(waitStop.signal, [() => informer.hasSynced(), () => unsynced.hasSynced()], clock);
    await clock.advance(100);
    expect(await synced).toBe(true);
    waitStop.abort();
    stop.abort();
    expect(await never).toBe(false);
  });
});

describe('SharedInformerFactory', () => {
  it('hands out one informer per resource, narrowed by namespace and list options', async () => {
    const clock = new FakeClock();
    const script = new ScriptedTransport().reply(jsonReply(200, podList('5', [{ metadata: { name: 'p', namespace: 'kube-system' } }])), hang);
    const client = new RestClient({ host: 'http://127.0.0.1:8080' }, { clock, transport: script.transport, logger: silentLogger });
    const factory = new SharedInformerFactory(client, {
      clock,
      random: () => 0,
      logger: silentLogger,
      namespace: 'kube-system',
      tweakListOptions: (options) => (options.fieldSelector = 'spec.nodeName=node-1'),
    });
    const pods = factory.forKind({ group: '', version: 'v1', kind: 'Pod' });
    expect(factory.forResource({ group: '', version: 'v1', resource: 'pods' })).toBe(pods);
    const stop = new AbortController();
    stops.push(stop);
    factory.start(stop.signal);
    factory.start(stop.signal); // already running: no second list/watch
    const synced = factory.waitForCacheSync(stop.signal);
    await clock.advance(100);
    expect(await synced).toEqual(new Map([['/v1/pods', true]]));
    expect(pods.lister().get('kube-system', 'p')?.kind).toBe('Pod');
    await clock.flush();
    expect(script.requests.map((r) => r.url.pathname + r.url.search)).toEqual([
      '/api/v1/namespaces/kube-system/pods?fieldSelector=spec.nodeName%3Dnode-1&limit=500&resourceVersion=0',
      '/api/v1/namespaces/kube-system/pods?allowWatchBookmarks=true&fieldSelector=spec.nodeName%3Dnode-1&resourceVersion=5&timeout=5m0s&timeoutSeconds=300&watch=true',
    ]);
    stop.abort();
    await factory.shutdown();
    expect(pods.isStopped()).toBe(true);
  });
});
