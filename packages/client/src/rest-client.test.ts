import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { FakeClock } from './clock.ts';
import { StatusError } from './errors.ts';
import { silentLogger } from './logger.ts';
import { RequestError } from './request-error.ts';
import { RestClient, type RestClientOptions } from './rest-client.ts';
import type { RestConfig } from './rest-config.ts';
import { hang, jsonReply, networkError, ScriptedTransport } from './testing/scripted-transport.ts';

const pod = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' } });

function setup(config: Partial<RestConfig> = {}, options: RestClientOptions = {}) {
  const clock = new FakeClock(1_700_000_000_000);
  const script = new ScriptedTransport();
  const client = new RestClient(
    { host: 'http://127.0.0.1:8080', userAgent: 'test/v1.32.0 (linux/amd64) kubernetes/unknown', ...config },
    { clock, transport: script.transport, logger: silentLogger, ...options },
  );
  return { clock, script, client, pods: client.forKind({ group: '', version: 'v1', kind: 'Pod' }).namespace('default') };
}

/** Starts a call and reports how it settled, so the test can move the clock meanwhile. */
function track<T>(promise: Promise<T>) {
  const state: { done: boolean; value?: T; error?: unknown } = { done: false };
  promise.then(
    (value) => Object.assign(state, { done: true, value }),
    (error) => Object.assign(state, { done: true, error }),
  );
  return state;
}

describe('RestClient requests', () => {
  it('sends JSON with the user agent and bearer token, and returns the decoded object', async () => {
    const { script, pods } = setup({ bearerToken: 'abc' });
    script.reply(jsonReply(201, pod('web')));
    const created = await pods.create(pod('web'), { fieldManager: 'kube-scheduler' });
    expect(created.metadata.name).toBe('web');
    const request = script.requests[0];
    expect(request.method).toBe('POST');
    expect(request.url.href).toBe('http://127.0.0.1:8080/api/v1/namespaces/default/pods?fieldManager=kube-scheduler');
    expect(request.headers).toEqual({
      Accept: 'application/json',
      'User-Agent': 'test/v1.32.0 (linux/amd64) kubernetes/unknown',
      Authorization: 'Bearer abc',
      'Content-Type': 'application/json',
    });
    expect(script.sentBody(0)).toEqual(pod('web'));
  });

  it('keeps a path prefix of the host', async () => {
    const { script, client } = setup({ host: 'https://lb.example:443/k8s/', tls: { insecure: true } });
    script.reply(jsonReply(200, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [] }));
    await client.forResource({ group: '', version: 'v1', resource: 'pods' }).list();
    expect(script.requests[0].url.href).toBe('https://lb.example/k8s/api/v1/pods');
  });

  it('waits Retry-After seconds and retries 429/5xx answers', async () => {
    const { clock, script, pods } = setup();
    const busy = (seconds: string) => jsonReply(429, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'TooManyRequests', code: 429 }, { 'retry-after': [seconds] });
    script.reply(busy('1'), busy('2'), jsonReply(200, pod('web')));
    const call = track(pods.get('web'));
    await clock.flush();
    expect(script.requests).toHaveLength(1);
    await clock.advance(1000);
    expect(script.requests).toHaveLength(2);
    await clock.advance(1999);
    expect(script.requests).toHaveLength(2);
    await clock.advance(1);
    expect(call.done && (call.value as KubeObject).metadata.name).toBe('web');
  });

  it('gives up after 10 retries with the server status', async () => {
    const { clock, script, pods } = setup({ qps: -1 });
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'slow down', reason: 'TooManyRequests', code: 429 };
    for (let i = 0; i < 11; i++) script.reply(jsonReply(429, status, { 'retry-after': ['1'] }));
    const call = track(pods.get('web'));
    await clock.advance(10_000);
    expect(script.requests).toHaveLength(11);
    expect(call.error).toBeInstanceOf(StatusError);
    expect((call.error as StatusError).message).toBe('slow down');
  });

  it('retries a read after a broken connection, but never a write', async () => {
    const { clock, script, pods } = setup();
    script.reply(networkError('ECONNRESET', 'read ECONNRESET'), jsonReply(200, pod('web')));
    const read = track(pods.get('web'));
    await clock.advance(1000);
    expect(read.value).toEqual(pod('web'));

    script.reply(networkError('ECONNRESET', 'read ECONNRESET'));
    const write = track(pods.create(pod('x')));
    await clock.advance(1000);
    expect(write.error).toBeInstanceOf(RequestError);
    expect((write.error as Error).message).toBe('Post "http://127.0.0.1:8080/api/v1/namespaces/default/pods": read ECONNRESET');
    expect(script.requests).toHaveLength(3);
  });

  it('reports a refused connection in Go words, without retrying', async () => {
    const { script, pods } = setup();
    script.reply(networkError('ECONNREFUSED'));
    await expect(pods.get('web')).rejects.toThrow('Get "http://127.0.0.1:8080/api/v1/namespaces/default/pods/web": dial tcp 127.0.0.1:1: connect: connection refused');
  });

  it('throttles on the client side: burst 10, then 5 per second', async () => {
    const { clock, script, pods } = setup();
    for (let i = 0; i < 12; i++) script.reply(jsonReply(200, pod(`p${i}`)));
    const calls = Array.from({ length: 12 }, (_, i) => track(pods.get(`p${i}`)));
    await clock.flush();
    expect(script.requests).toHaveLength(10);
    await clock.advance(200);
    expect(script.requests).toHaveLength(11);
    await clock.advance(200);
    expect(calls.every((c) => c.done)).toBe(true);
  });

  it('enforces the request deadline and tells the server about it', async () => {
    const { clock, script, pods } = setup({ timeoutMs: 30_000 });
    script.reply(hang);
    const call = track(pods.get('slow'));
    await clock.advance(30_000);
    expect(script.requests[0].url.search).toBe('?timeout=30s');
    expect((call.error as Error).message).toBe('Get "http://127.0.0.1:8080/api/v1/namespaces/default/pods/slow?timeout=30s": context deadline exceeded');
  });

  it('counts retries and their waits against the same deadline', async () => {
    const { clock, script, pods } = setup({ timeoutMs: 3000 });
    const busy = () => jsonReply(503, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'ServiceUnavailable', code: 503 }, { 'retry-after': ['2'] });
    script.reply(busy(), busy(), busy());
    const call = track(pods.get('web'));
    await clock.advance(2999);
    expect(call.done).toBe(false);
    await clock.advance(1);
    expect(script.requests).toHaveLength(2);
    expect((call.error as Error).message).toMatch(/: context deadline exceeded$/);
  });

  it('stops when the caller aborts', async () => {
    const { clock, script, pods } = setup();
    script.reply(hang);
    const controller = new AbortController();
    const call = track(pods.get('web', { signal: controller.signal }));
    await clock.flush();
    controller.abort();
    await clock.flush();
    expect((call.error as Error).message).toMatch(/: context canceled$/);
  });

  it('passes Warning headers to the handler', async () => {
    const warnings: string[] = [];
    const { script, pods } = setup({}, { onWarning: (text) => warnings.push(text) });
    script.reply(jsonReply(200, pod('web'), { warning: ['299 - "spec.foo is deprecated"'] }));
    await pods.get('web');
    expect(warnings).toEqual(['spec.foo is deprecated']);
  });

  it('re-reads a token file each minute (rotated service-account tokens)', async () => {
    let token = 'first';
    const { clock, script, pods } = setup({ bearerTokenFile: '/token' }, { readFile: () => `${token}\n` });
    script.reply(jsonReply(200, pod('a')), jsonReply(200, pod('a')), jsonReply(200, pod('a')));
    await pods.get('a');
    token = 'second';
    await pods.get('a');
    await clock.advance(60_000);
    await pods.get('a');
    expect(script.requests.map((r) => r.headers.Authorization)).toEqual(['Bearer first', 'Bearer first', 'Bearer second']);
  });
});

describe('ResourceClient', () => {
  it('lists with typed items and uses timeoutSeconds as the deadline', async () => {
    const { script, client } = setup();
    script.reply(jsonReply(200, { kind: 'DeploymentList', apiVersion: 'apps/v1', metadata: { resourceVersion: '7' }, items: [{ metadata: { name: 'web' } }] }));
    const list = await client.forKind({ group: 'apps', version: 'v1', kind: 'Deployment' }).list({ labelSelector: 'app=web', timeoutSeconds: 60 });
    expect(list.items[0]).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } });
    expect(script.requests[0].url.search).toBe('?labelSelector=app%3Dweb&timeout=1m0s&timeoutSeconds=60');
  });

  it('patches with the algorithm as Content-Type, deletes with DeleteOptions as the body', async () => {
    const { script, client } = setup();
    const deployments = client.forKind({ group: 'apps', version: 'v1', kind: 'Deployment' }).namespace('prod');
    script.reply(jsonReply(200, { metadata: { name: 'web' } }), jsonReply(200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' }));
    await deployments.patch('web', 'merge', { spec: { replicas: 5 } }, { subresource: 'scale' });
    await deployments.delete('web', { propagationPolicy: 'Foreground' });
    expect(script.requests[0].headers['Content-Type']).toBe('application/merge-patch+json');
    expect(script.requests[0].url.pathname).toBe('/apis/apps/v1/namespaces/prod/deployments/web/scale');
    expect(script.requests[1].method).toBe('DELETE');
    expect(script.sentBody(1)).toEqual({ propagationPolicy: 'Foreground' });
  });

  it('binds and evicts pods in their own namespace, and updates status on /status', async () => {
    const { script, client } = setup();
    const pods = client.forResource({ group: '', version: 'v1', resource: 'pods' });
    const success = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
    script.reply(jsonReply(201, success), jsonReply(201, success), jsonReply(200, pod('p')));
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p', namespace: 'ns' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } };
    expect(await pods.bind(binding)).toEqual(success);
    await pods.evict({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p', namespace: 'ns' } });
    await pods.namespace('ns').updateStatus({ ...pod('p'), status: { phase: 'Running' } });
    expect(script.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      'POST /api/v1/namespaces/ns/pods/p/binding',
      'POST /api/v1/namespaces/ns/pods/p/eviction',
      'PUT /api/v1/namespaces/ns/pods/p/status',
    ]);
  });

  it('needs a namespace for a namespaced object, and refuses one for a cluster-scoped resource', async () => {
    const { client } = setup();
    await expect(client.forResource({ group: '', version: 'v1', resource: 'pods' }).get('web')).rejects.toThrow('a namespace is required to get pods "web"');
    expect(() => client.forKind({ group: '', version: 'v1', kind: 'Node' }).namespace('default')).toThrow('nodes is not namespaced');
  });

  it('watches: decodes the event stream and reports 410 as an ERROR event', async () => {
    const { script, pods } = setup();
    const events = [
      { type: 'ADDED', object: { ...pod('a'), metadata: { name: 'a', resourceVersion: '5' } } },
      { type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (4)', reason: 'Expired', code: 410 } },
    ];
    const text = events.map((e) => JSON.stringify(e) + '\n').join('');
    script.reply({ status: 200, headers: { 'content-type': ['application/json'] }, body: (async function* () {
      yield Buffer.from(text.slice(0, 17));
      yield Buffer.from(text.slice(17));
    })() });
    const watch = await pods.watch({ resourceVersion: '1', allowWatchBookmarks: true, timeoutSeconds: 300 });
    const seen: string[] = [];
    for await (const event of watch) seen.push(event.type === 'ERROR' ? `ERROR ${event.error.name} ${event.error.message}` : `${event.type} ${event.object.metadata.name}`);
    expect(seen).toEqual(['ADDED a', 'ERROR ExpiredError too old resource version: 1 (4)']);
    expect(script.requests[0].url.search).toBe('?allowWatchBookmarks=true&resourceVersion=1&timeout=5m0s&timeoutSeconds=300&watch=true');
  });

  it('fails to open a watch with the status the server returned', async () => {
    const { script, pods } = setup();
    script.reply(jsonReply(403, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', message: 'pods is forbidden', code: 403 }));
    await expect(pods.watch()).rejects.toThrow('pods is forbidden');
  });
});
