// Watch semantics over raw HTTP against a real apiserver process: list-then-watch sees every
// later event once and in order, RV "0" starts with the current state, an expired RV gets a 410
// ERROR event, selectors turn leavers into DELETED, timeoutSeconds ends the stream, one event per
// line, and bookmarks when asked for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ControlPlane } from '../support/control-plane.ts';
import { failure, parseJson, RawHttp } from './support/raw-http.ts';
import { WatchStream, type WatchEvent } from './support/watch-stream.ts';

/** Secrets keep a short event window here, so a few writes make an old resourceVersion expire. */
const SECRET_WINDOW = 20;

interface ObjectMeta {
  name: string;
  resourceVersion: string;
  labels?: Record<string, string>;
}

const rvOf = (event: WatchEvent) => Number(event.object.metadata!.resourceVersion);
const summary = (events: WatchEvent[]) => events.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`);

describe.each(backends())('watch (store: %s)', (backend) => {
  let plane: ControlPlane;
  let http: RawHttp;
  const streams: WatchStream[] = [];

  beforeAll(async () => {
    plane = await ControlPlane.start(backend, ['--watch-cache-sizes', `secrets#${SECRET_WINDOW}`]);
    http = new RawHttp(plane.url);
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    http?.close();
    await plane?.stop();
  });

  const namespace = async (name: string) => {
    expect((await http.json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } })).status).toBe(201);
    return `/api/v1/namespaces/${name}/configmaps`;
  };
  const write = async (method: string, path: string, body?: unknown, type?: string): Promise<ObjectMeta> => {
    const response = await http.json(method, path, body, type);
    expect(response.status, response.text).toBeLessThan(300);
    return (parseJson(response) as { metadata: ObjectMeta }).metadata;
  };
  const configMap = (name: string, labels?: Record<string, string>, data: Record<string, string> = { v: '1' }) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...(labels ? { labels } : {}) },
    data,
  });
  const watch = async (path: string, headers?: Record<string, string>) => {
    const stream = await WatchStream.open(plane.url, path, headers);
    streams.push(stream);
    expect(stream.status).toBe(200);
    return stream;
  };
  const listRv = async (path: string) => (parseJson(await http.send({ method: 'GET', path })) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;

  it('watches from a list resourceVersion: every later event once, in order, one JSON event per line', async () => {
    const path = await namespace('watch-order');
    const other = await namespace('watch-elsewhere');
    await write('POST', path, configMap('before'));
    const rv = await listRv(path);
    const stream = await watch(`${path}?watch=true&resourceVersion=${rv}&timeoutSeconds=60`);
    expect(stream.headers['content-type']).toBe('application/json');
    expect(stream.headers['transfer-encoding']).toBe('chunked');

    const written: string[] = [];
    written.push((await write('POST', path, configMap('a'))).resourceVersion);
    written.push((await write('PUT', `${path}/a`, configMap('a', undefined, { v: '2' }))).resourceVersion);
    await write('POST', other, configMap('not-here'));
    written.push((await write('POST', path, configMap('b'))).resourceVersion);
    written.push((await write('PATCH', `${path}/b`, { data: { v: '3' } }, 'application/merge-patch+json')).resourceVersion);
    expect((await http.send({ method: 'DELETE', path: `${path}/a` })).status).toBe(200);
    // A burst of concurrent writes: each must still arrive once, on its own line.
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => write('POST', path, configMap(`c${i}`))));

    const events = await stream.take(5 + burst.length);
    expect(summary(events.slice(0, 5))).toEqual(['ADDED a', 'MODIFIED a', 'ADDED b', 'MODIFIED b', 'DELETED a']);
    expect(events.slice(0, 4).map((e) => e.object.metadata!.resourceVersion)).toEqual(written);
    expect(events[1]!.object.data).toEqual({ v: '2' });
    expect(events[4]!.object.data).toEqual({ v: '2' });
    // Burst events: all twenty, once each, with resourceVersions rising along the stream.
    expect(events.slice(5).map((e) => e.type)).toEqual(Array(burst.length).fill('ADDED'));
    expect(new Set(events.slice(5).map((e) => e.object.metadata!.name))).toEqual(new Set(burst.map((m) => m.name)));
    const rvs = events.map(rvOf);
    expect(rvs).toEqual([...rvs].sort((x, y) => x - y));
    expect(new Set(rvs).size).toBe(rvs.length);
    expect(rvs[0]).toBeGreaterThan(Number(rv));
    for (const event of events) expect(Object.keys(event).sort()).toEqual(['object', 'type']);
    // Nothing else follows (not the object listed before, not the other namespace's).
    await new Promise((r) => setTimeout(r, 300));
    expect(stream.drain()).toEqual([]);
    expect(stream.lines.every((line) => line.trim() === line && line.startsWith('{"type":'))).toBe(true);
  });

  it('starts with synthetic ADDED events for what exists when the resourceVersion is "0" or unset', async () => {
    const path = await namespace('watch-initial');
    const existing = new Map<string, string>();
    for (const name of ['z', 'x', 'y']) existing.set(name, (await write('POST', path, configMap(name))).resourceVersion);
    for (const query of ['watch=true&resourceVersion=0', 'watch=1']) {
      const stream = await watch(`${path}?${query}&timeoutSeconds=60`);
      const initial = await stream.take(existing.size);
      // In key order, each at its current resourceVersion.
      expect(initial.map((e) => [e.type, e.object.metadata!.name, e.object.metadata!.resourceVersion]), query).toEqual(
        [...existing].sort(([a], [b]) => a.localeCompare(b)).map(([name, rv]) => ['ADDED', name, rv]),
      );
      const added = await write('POST', path, configMap(`later-${existing.size}`));
      existing.set(added.name, added.resourceVersion);
      const live = await stream.next();
      expect([live.type, live.object.metadata!.name, live.object.metadata!.resourceVersion]).toEqual(['ADDED', added.name, added.resourceVersion]);
      stream.close();
    }
  });

  it('answers a resourceVersion older than the watch cache window with an ERROR 410 Expired event', async () => {
    expect((await http.json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watch-expired' } })).status).toBe(201);
    const secrets = '/api/v1/namespaces/watch-expired/secrets';
    const n = (i: number) => ({ n: Buffer.from(String(i)).toString('base64') });
    const first = await write('POST', secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: n(0) });
    for (let i = 1; i <= SECRET_WINDOW + 5; i++) await write('PATCH', `${secrets}/s`, { data: n(i) }, 'application/merge-patch+json');

    const expired = await watch(`${secrets}?watch=true&resourceVersion=${first.resourceVersion}&timeoutSeconds=60`);
    const error = await expired.next();
    expect(error.type).toBe('ERROR');
    const oldest = Number(/^too old resource version: \d+ \((\d+)\)$/.exec(error.object.message ?? '')?.[1]);
    expect(error.object).toEqual(failure(410, 'Expired', `too old resource version: ${first.resourceVersion} (${oldest})`));
    expect(oldest).toBeGreaterThan(Number(first.resourceVersion));
    await expired.ended;
    expect(expired.lines).toHaveLength(1);

    // The oldest resourceVersion it names is still watchable: the window replays from there.
    const resumed = await watch(`${secrets}?watch=true&resourceVersion=${oldest}&timeoutSeconds=60`);
    const replayed = await resumed.take(SECRET_WINDOW - 1);
    expect(replayed.every((e) => e.type === 'MODIFIED' && rvOf(e) > oldest)).toBe(true);
  });

  it('turns objects that leave a label selector into DELETED and those that enter into ADDED', async () => {
    const path = await namespace('watch-labels');
    const stream = await watch(`${path}?watch=true&labelSelector=${encodeURIComponent('tier=web')}&resourceVersion=${await listRv(path)}&timeoutSeconds=60`);
    await write('POST', path, configMap('p', { tier: 'web' }));
    await write('POST', path, configMap('q', { tier: 'db' }));
    await write('PATCH', `${path}/p`, { data: { v: '2' } }, 'application/merge-patch+json');
    const left = await write('PATCH', `${path}/p`, { metadata: { labels: { tier: 'db' } } }, 'application/merge-patch+json');
    await write('PATCH', `${path}/q`, { metadata: { labels: { tier: 'web' } } }, 'application/merge-patch+json');
    expect((await http.send({ method: 'DELETE', path: `${path}/q` })).status).toBe(200);

    const events = await stream.take(5);
    expect(summary(events)).toEqual(['ADDED p', 'MODIFIED p', 'DELETED p', 'ADDED q', 'DELETED q']);
    // Leaving: the content the watcher last saw, at the resourceVersion of the change.
    expect(events[2]!.object.metadata!.labels).toEqual({ tier: 'web' });
    expect(events[2]!.object.metadata!.resourceVersion).toBe(left.resourceVersion);
    expect(events[3]!.object.metadata!.labels).toEqual({ tier: 'web' });
    await new Promise((r) => setTimeout(r, 200));
    expect(stream.drain()).toEqual([]);
  });

  it('ends the stream after timeoutSeconds', async () => {
    const path = await namespace('watch-timeout');
    const started = Date.now();
    const stream = await watch(`${path}?watch=true&resourceVersion=${await listRv(path)}&timeoutSeconds=1`);
    await stream.ended;
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5000);
    expect(stream.lines).toEqual([]);
  });

  it('sends a BOOKMARK before the deadline when bookmarks are allowed, and none otherwise', async () => {
    const path = await namespace('watch-bookmarks');
    const rv = await listRv(path);
    const withBookmarks = await watch(`${path}?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}&timeoutSeconds=3`);
    const without = await watch(`${path}?watch=true&resourceVersion=${rv}&timeoutSeconds=3`);
    const added = await write('POST', path, configMap('marked'));

    const [event, bookmark] = await withBookmarks.take(2);
    expect(summary([event!])).toEqual(['ADDED marked']);
    // Kubernetes sends one 2 s before the deadline: the client resumes from a recent resourceVersion.
    expect(bookmark!.type).toBe('BOOKMARK');
    expect(bookmark!.object).toEqual({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: bookmark!.object.metadata!.resourceVersion } });
    expect(rvOf(bookmark!)).toBeGreaterThanOrEqual(Number(added.resourceVersion));
    await Promise.all([withBookmarks.ended, without.ended]);
    expect(withBookmarks.drain()).toEqual([]);
    expect(summary(without.drain())).toEqual(['ADDED marked']);
  });
});
