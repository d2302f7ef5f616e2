// For tests: a REST client over the fake API that also answers the legacy discovery documents
// (/api, /apis, /api/v1, /apis/<group>/<version>) from the schema, as the apiserver does — the
// garbage collector and namespace controller find their resources through discovery. Group
// versions named in `failing` answer 503, to exercise partial discovery.
import { legacyApiGroupList, legacyApiResourceList, legacyApiVersions } from '@k8ts/api/discovery/index.ts';
import { RestClient, type HttpResponse, type HttpTransport } from '@k8ts/client';
import type { FakeApi } from '../../testing/fake-api.ts';

function json(status: number, value: unknown): HttpResponse {
  const body = Buffer.from(JSON.stringify(value));
  return {
    status,
    headers: { 'content-type': ['application/json'] },
    body: (async function* () {
      yield body;
    })(),
  };
}

function discoveryDocument(path: string): unknown {
  if (path === '/api') return legacyApiVersions('fake.invalid:443');
  if (path === '/apis') return legacyApiGroupList();
  const core = /^\/api\/([^/]+)$/.exec(path);
  if (core) return legacyApiResourceList('', core[1]!);
  const named = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
  if (named) return legacyApiResourceList(named[1]!, named[2]!);
  return undefined;
}

export function clientWithDiscovery(api: FakeApi, failing: () => readonly string[] = () => []): RestClient {
  const transport: HttpTransport = async (request) => {
    const path = request.url.pathname;
    if (request.method === 'GET') {
      const gv = path.replace(/^\/apis?\//, '');
      if (failing().includes(gv) && discoveryDocument(path) !== undefined) {
        return json(503, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server is currently unable to handle the request', reason: 'ServiceUnavailable', code: 503 });
      }
      const doc = discoveryDocument(path);
      if (doc !== undefined) return json(200, doc);
    }
    return api.transport(request);
  };
  return new RestClient({ host: 'http://fake.invalid', qps: -1, userAgent: 'discovery-test' }, { transport, clock: api.clock, maxRetries: 0 });
}
