// 10,000 random requests (seeded, so a failure can be replayed with FUZZ_SEED): every answer is a
// success or a well-formed Status whose code is the HTTP status, no 5xx beyond the documented
// ones, and the apiserver is alive and serving afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ControlPlane } from '../support/control-plane.ts';
import { RequestFuzzer } from './support/fuzz-requests.ts';
import { parseJson, RawHttp, statusProblem, type RawRequest, type RawResponse } from './support/raw-http.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 1122);
const REQUESTS = 10_000;
const CONCURRENCY = 16;
const NODE_STREAMS = /\/(log|exec|attach|portforward|proxy)(\/|\?|$)/;

/**
 * 5xx answers Kubernetes itself gives for these inputs:
 * - a strategic merge patch the algorithm rejects is passed through as a 500 without a reason;
 * - node streams (logs, exec, proxy) need a kubelet, which is unreachable here (503);
 * - a list at a resourceVersion the store has not reached waits 3 s, then 504 Timeout.
 */
function documentedServerError(request: RawRequest, response: RawResponse): boolean {
  const status = JSON.parse(response.text) as { reason?: string; message: string };
  const contentType = request.headers?.['Content-Type']?.toLowerCase() ?? '';
  if (response.status === 500) return request.method === 'PATCH' && contentType.startsWith('application/strategic-merge-patch+json') && status.reason === undefined;
  if (response.status === 503) return NODE_STREAMS.test(request.path) && status.reason === 'ServiceUnavailable';
  if (response.status === 504) return status.reason === 'Timeout' && status.message.startsWith('Timeout: Too large resource version');
  return false;
}

/** What is wrong with this answer, or undefined. */
function problemWith(request: RawRequest, response: RawResponse): string | undefined {
  const api = /^\/apis?(\/|\?|$)/.test(request.path);
  const success = response.status >= 200 && response.status < 300;
  if (request.method === 'HEAD') return response.status >= 500 ? `HEAD answered ${response.status}` : undefined;
  if (success) {
    if (!api) return undefined;
    // Objects, lists and watch streams (one event per line) are all JSON.
    for (const line of response.text.split('\n').filter((l) => l !== '')) {
      try {
        JSON.parse(line);
      } catch {
        return `2xx body is not JSON: ${JSON.stringify(line.slice(0, 200))}`;
      }
    }
    return undefined;
  }
  if (api) {
    const malformed = statusProblem(response);
    if (malformed) return malformed;
  }
  if (response.status >= 500) {
    if (!api || !documentedServerError(request, response)) return `server error ${response.status}`;
  }
  return undefined;
}

function describeRequest(index: number, request: RawRequest): string {
  const body = request.body === undefined ? '' : ` body=${JSON.stringify(Buffer.from(request.body).toString('utf8').slice(0, 300))}`;
  return `#${index} ${request.method} ${request.path} ${JSON.stringify(request.headers)}${body}`;
}

describe.each(backends())('fuzz (store: %s)', (backend) => {
  let plane: ControlPlane;
  let http: RawHttp;

  beforeAll(async () => {
    plane = await ControlPlane.start(backend);
    http = new RawHttp(plane.url, CONCURRENCY);
    // Give the fuzzer's favourite names something to find.
    expect((await http.json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fuzz' } })).status).toBe(201);
  });
  afterAll(async () => {
    http?.close();
    await plane?.stop();
  });

  it(`answers ${REQUESTS} random requests (seed ${SEED}) with successes or well-formed Status objects`, async () => {
    const fuzzer = new RequestFuzzer(SEED);
    const requests = Array.from({ length: REQUESTS }, () => fuzzer.next());
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const index = next++;
        const request = requests[index]!;
        try {
          const response = await http.send(request);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const problem = problemWith(request, response);
          if (problem) problems.push(`${describeRequest(index, request)}\n  → ${response.status} ${response.text.slice(0, 300)}\n  ${problem}`);
        } catch (err) {
          problems.push(`${describeRequest(index, request)}\n  → no answer: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    expect(problems.slice(0, 10), `${problems.length} bad answers (replay with FUZZ_SEED=${SEED})\n${plane.logs()}`).toEqual([]);
    // The run reached real objects, not only refusals.
    const count = (predicate: (code: number) => boolean) => [...statuses].filter(([code]) => predicate(code)).reduce((n, [, c]) => n + c, 0);
    expect(count(() => true)).toBe(REQUESTS);
    expect(statuses.get(201) ?? 0).toBeGreaterThan(0);
    expect(count((code) => code >= 200 && code < 300)).toBeGreaterThan(REQUESTS / 50);
    expect(count((code) => code >= 400 && code < 500)).toBeGreaterThan(REQUESTS / 2);
  });

  it('is alive and serving afterwards', async () => {
    expect(() => process.kill(plane.apiserverPid!, 0)).not.toThrow();
    const health = await http.send({ method: 'GET', path: '/healthz' });
    expect([health.status, health.text]).toEqual([200, 'ok']);
    expect((await http.json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'after-fuzz' } })).status).toBe(201);
    const path = '/api/v1/namespaces/after-fuzz/configmaps';
    expect((await http.json('POST', path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'check' }, data: { a: '1' } })).status).toBe(201);
    const list = parseJson(await http.send({ method: 'GET', path })) as { items: { metadata: { name: string }; data: unknown }[] };
    expect(list.items.map((i) => [i.metadata.name, i.data])).toEqual([['check', { a: '1' }]]);
  });
});
