// Watches and informers of @kubernetes/client-node against a real apiserver process on each
// store backend: the event stream, resuming from a resourceVersion after the watch ends (the
// apiserver's watch cache keeps the history), and relisting after 410 Expired.
//
// client-node 1.x (the line that runs on Node 20) has no client-side watch timeout; 2.x aborts
// a watch idle for 30 s. Either way the informer then re-watches from its last resourceVersion,
// the request checked here, where the apiserver ends each watch after WATCH_SECONDS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api, ListWatch, makeInformer, PatchStrategy, setHeaderOptions, Watch, type Informer, type KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import { backends, ControlPlane } from '../support/control-plane.ts';
import { eventually, GatedWatch, kubeConfigFor } from './client.ts';

/** The apiserver ends each watch after this long, so the informer reconnects every second. */
const WATCH_SECONDS = 1;

type Recorded = { type: string; name: string; resourceVersion: string };

/** Records an informer's add/update/delete callbacks and its errors. */
function recordInformer(informer: Informer<V1ConfigMap>) {
  const events: Recorded[] = [];
  const errors: unknown[] = [];
  for (const type of ['add', 'update', 'delete'] as const) {
    informer.on(type, (object) => events.push({ type, name: object.metadata!.name!, resourceVersion: object.metadata!.resourceVersion! }));
  }
  informer.on('error', (err) => errors.push(err));
  return { events, errors, seen: () => events.map((e) => `${e.type} ${e.name}`) };
}

/** The events of a watch the server ends after a second (an ERROR ends it at once). */
async function watchBriefly(config: KubeConfig, path: string, resourceVersion: string) {
  const events: { type: string; object: any }[] = [];
  await new Promise<void>((resolve) => {
    void new Watch(config).watch(path, { resourceVersion, timeoutSeconds: 1 }, (type, object) => events.push({ type, object }), () => resolve());
  });
  return events;
}

describe.each(backends())('client-node watches and informers (store: %s)', (backend) => {
  let plane: ControlPlane;
  let config: KubeConfig;
  let core: CoreV1Api;
  const configMap = (namespace: string, name: string, labels?: Record<string, string>) =>
    core.createNamespacedConfigMap({ namespace, body: { metadata: { name, ...(labels ? { labels } : {}) }, data: { v: '1' } } });
  const setValue = (namespace: string, name: string, v: string) =>
    core.patchNamespacedConfigMap({ namespace, name, body: { data: { v } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));

  beforeAll(async () => {
    plane = await ControlPlane.start(backend);
    config = kubeConfigFor(plane.url);
    core = config.makeApiClient(CoreV1Api);
    for (const name of ['watched', 'informed', 'resumed', 'failover']) await core.createNamespace({ body: { metadata: { name } } });
  });
  afterAll(async () => {
    await plane?.stop();
  });

  it('Watch delivers ADDED, MODIFIED and DELETED one per line, and stops when aborted', async () => {
    await configMap('watched', 'existing');
    const events: { type: string; name: string; resourceVersion: number }[] = [];
    const ended: unknown[] = [];
    const controller = await new Watch(config).watch(
      '/api/v1/namespaces/watched/configmaps',
      {},
      (type, object: V1ConfigMap) => events.push({ type, name: object.metadata!.name!, resourceVersion: Number(object.metadata!.resourceVersion) }),
      (err) => ended.push(err),
    );
    // Without a resourceVersion the watch starts with the current objects as ADDED.
    await eventually(() => expect(events.map((e) => `${e.type} ${e.name}`)).toEqual(['ADDED existing']));

    // A burst: many events per chunk, each line still one event.
    const burst = Array.from({ length: 25 }, (_, i) => `burst-${i}`);
    await Promise.all(burst.map((name) => configMap('watched', name)));
    await setValue('watched', 'existing', '2');
    await core.deleteNamespacedConfigMap({ namespace: 'watched', name: 'existing' });
    await eventually(() => expect(events).toHaveLength(28));
    expect(events.slice(1, 26).map((e) => e.type)).toEqual(Array(25).fill('ADDED'));
    expect(events.slice(1, 26).map((e) => e.name).sort()).toEqual([...burst].sort());
    expect(events.slice(26).map((e) => `${e.type} ${e.name}`)).toEqual(['MODIFIED existing', 'DELETED existing']);
    const versions = events.slice(1).map((e) => e.resourceVersion);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);

    controller.abort();
    await eventually(() => expect(ended).toHaveLength(1));
    expect(ended).toMatchObject([{ name: 'AbortError' }]);
    await configMap('watched', 'after-stop');
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toHaveLength(28);
    expect(ended).toHaveLength(1);
  });

  it('Watch from a resourceVersion replays what happened after it', async () => {
    const listed = await core.listNamespacedConfigMap({ namespace: 'watched' });
    await configMap('watched', 'late');
    await setValue('watched', 'late', '2');
    const events: string[] = [];
    const controller = await new Watch(config).watch(
      '/api/v1/namespaces/watched/configmaps',
      { resourceVersion: listed.metadata!.resourceVersion! },
      (type, object: V1ConfigMap) => events.push(`${type} ${object.metadata!.name} ${object.data!.v}`),
      () => {},
    );
    await eventually(() => expect(events).toEqual(['ADDED late 1', 'MODIFIED late 2']));
    controller.abort();
  });

  it('an informer sees add, update and delete for its label selector', async () => {
    await configMap('informed', 'a', { app: 'shop' });
    const informer = makeInformer<V1ConfigMap>(
      config,
      '/api/v1/namespaces/informed/configmaps',
      () => core.listNamespacedConfigMap({ namespace: 'informed', labelSelector: 'app=shop' }),
      'app=shop',
    );
    const recorded = recordInformer(informer);
    await informer.start();
    try {
      await eventually(() => expect(recorded.seen()).toEqual(['add a']));
      await configMap('informed', 'b', { app: 'shop' });
      await configMap('informed', 'unrelated', { app: 'other' });
      await setValue('informed', 'a', '2');
      // Relabelled out of the selector: the apiserver sends DELETED.
      await core.patchNamespacedConfigMap({ namespace: 'informed', name: 'b', body: [{ op: 'replace', path: '/metadata/labels/app', value: 'other' }] });
      await core.deleteNamespacedConfigMap({ namespace: 'informed', name: 'a' });
      await eventually(() => expect(recorded.seen()).toEqual(['add a', 'add b', 'update a', 'delete b', 'delete a']));
      expect(informer.list()).toEqual([]);
      expect(recorded.errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });

  it('an informer resumes from its last resourceVersion after each watch ends, never relisting', async () => {
    let lists = 0;
    const watch = new GatedWatch(config, WATCH_SECONDS);
    const informer = new ListWatch<V1ConfigMap>('/api/v1/namespaces/resumed/configmaps', watch, () => {
      lists++;
      return core.listNamespacedConfigMap({ namespace: 'resumed' });
    }, false);
    const recorded = recordInformer(informer);
    try {
      await informer.start();
      await configMap('resumed', 'one');
      await eventually(() => expect(recorded.seen()).toEqual(['add one']));

      // Hold the reconnect once the server ends the watch, and change things meanwhile.
      watch.close();
      await eventually(() => expect(watch.waiting).toBe(1), 5_000);
      const resumeFrom = informer.latestResourceVersion();
      expect(resumeFrom).toBe(recorded.events[0]!.resourceVersion);
      await configMap('resumed', 'two');
      await setValue('resumed', 'one', '2');
      await configMap('resumed', 'three');
      await core.deleteNamespacedConfigMap({ namespace: 'resumed', name: 'three' });
      const requestsBefore = watch.requests.length;
      watch.open();

      await eventually(() => expect(recorded.seen()).toEqual(['add one', 'add two', 'update one', 'add three', 'delete three']));
      expect(watch.requests[requestsBefore]!.resourceVersion).toBe(resumeFrom);
      // A quiet resource keeps reconnecting from its last event's resourceVersion.
      await eventually(() => expect(watch.requests.length).toBeGreaterThanOrEqual(requestsBefore + 3), 8_000);
      const lastEvent = recorded.events[recorded.events.length - 1]!.resourceVersion;
      expect(watch.requests.slice(requestsBefore + 1).map((r) => r.resourceVersion)).toEqual(
        Array(watch.requests.length - requestsBefore - 1).fill(lastEvent),
      );
      expect(lists).toBe(1);
      expect(watch.errors).toEqual([]);
      expect(recorded.errors).toEqual([]);

      const server = await core.listNamespacedConfigMap({ namespace: 'resumed' });
      const cached = informer.list().map((c) => `${c.metadata!.name}@${c.metadata!.resourceVersion}`).sort();
      expect(cached).toEqual(server.items.map((c) => `${c.metadata!.name}@${c.metadata!.resourceVersion}`));
    } finally {
      await informer.stop();
      watch.shutdown();
    }
  });

  it('an informer relists after 410 Expired when it fails over to an apiserver started after its resourceVersion', async () => {
    let lister = core;
    let lists = 0;
    const watch = new GatedWatch(config, WATCH_SECONDS);
    const informer = new ListWatch<V1ConfigMap>('/api/v1/namespaces/failover/configmaps', watch, () => {
      lists++;
      return lister.listNamespacedConfigMap({ namespace: 'failover' });
    }, false);
    const recorded = recordInformer(informer);
    try {
      await configMap('failover', 'stays');
      await configMap('failover', 'goes');
      await informer.start();
      await eventually(() => expect(recorded.seen()).toEqual(['add goes', 'add stays']));

      watch.close();
      await eventually(() => expect(watch.waiting).toBe(1), 5_000);
      const stale = informer.latestResourceVersion();
      await core.deleteNamespacedConfigMap({ namespace: 'failover', name: 'goes' });
      await configMap('failover', 'arrives');

      // A second apiserver on the same store: its watch cache begins after `stale`.
      const peer = await plane.startPeerApiserver();
      const peerConfig = kubeConfigFor(peer.url);
      const path = '/api/v1/namespaces/failover/configmaps';
      const expired = await watchBriefly(peerConfig, path, stale);
      expect(expired).toHaveLength(1);
      expect(expired[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 } });
      const message: string = expired[0]!.object.message;
      const oldest = Number(/^too old resource version: \d+ \((\d+)\)$/.exec(message)?.[1]);
      expect(message).toBe(`too old resource version: ${stale} (${oldest})`);
      expect(oldest).toBeGreaterThan(Number(stale));
      // The number in parentheses is the oldest resourceVersion that apiserver can watch from.
      expect(await watchBriefly(peerConfig, path, String(oldest))).toEqual([]);
      expect(await watchBriefly(peerConfig, path, String(oldest - 1))).toMatchObject([{ type: 'ERROR', object: { code: 410 } }]);

      watch.config = peerConfig;
      lister = peerConfig.makeApiClient(CoreV1Api);
      watch.open();
      await eventually(() => expect(recorded.seen()).toEqual(['add goes', 'add stays', 'delete goes', 'add arrives']));
      expect(lists).toBe(2);
      expect(watch.errors).toMatchObject([{ code: 410, reason: 'Expired' }]);

      // Watching the new apiserver from the relisted resourceVersion works as before.
      await lister.createNamespacedConfigMap({ namespace: 'failover', body: { metadata: { name: 'later' } } });
      await eventually(() => expect(recorded.seen()).toEqual(['add goes', 'add stays', 'delete goes', 'add arrives', 'add later']));
      expect(informer.list().map((c) => c.metadata!.name).sort()).toEqual(['arrives', 'later', 'stays']);
      expect(lists).toBe(2);
      expect(recorded.errors).toEqual([]);
    } finally {
      await informer.stop();
      watch.shutdown();
    }
  });
});
