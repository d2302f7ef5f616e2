// Many clients at once against one apiserver process: optimistic concurrency loses no update,
// a name is created once, server-side patch retries merge every change, and Services never
// share a ClusterIP or NodePort.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, ControlPlane } from '../support/control-plane.ts';
import { failure, parseJson, RawHttp } from './support/raw-http.ts';

const NS = 'concurrency';
const CONFIGMAPS = `/api/v1/namespaces/${NS}/configmaps`;
const SERVICES = `/api/v1/namespaces/${NS}/services`;
const WRITERS = 50;

interface ConfigMap {
  metadata: { name: string; resourceVersion: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

interface Service {
  metadata: { name: string };
  spec: { clusterIP: string; ports: { port: number; nodePort?: number }[] };
}

describe.each(backends())('concurrency (store: %s)', (backend) => {
  let plane: ControlPlane;
  let http: RawHttp;

  beforeAll(async () => {
    plane = await ControlPlane.start(backend);
    // One connection per writer, so the requests really are in flight together.
    http = new RawHttp(plane.url, WRITERS);
    expect((await http.json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })).status).toBe(201);
  });
  afterAll(async () => {
    http?.close();
    await plane?.stop();
  });

  it(`${WRITERS} writers doing GET-modify-PUT with retry on 409 lose no increment`, async () => {
    expect((await http.json('POST', CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'counter' }, data: { count: '0' } })).status).toBe(201);
    const INCREMENTS_EACH = 1;
    let conflicts = 0;
    const increment = async (): Promise<void> => {
      for (;;) {
        const current = parseJson(await http.send({ method: 'GET', path: `${CONFIGMAPS}/counter` })) as ConfigMap;
        current.data = { count: String(Number(current.data!.count) + 1) };
        const put = await http.json('PUT', `${CONFIGMAPS}/counter`, current);
        if (put.status === 200) return;
        expect(parseJson(put)).toEqual(
          failure(
            409,
            'Conflict',
            'Operation cannot be fulfilled on configmaps "counter": the object has been modified; please apply your changes to the latest version and try again',
            { name: 'counter', group: '', kind: 'configmaps' },
          ),
        );
        conflicts++;
        // client-go's RetryOnConflict backs off ~10 ms (with jitter) before reading again.
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 15));
      }
    };
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        for (let i = 0; i < INCREMENTS_EACH; i++) await increment();
      }),
    );
    const final = parseJson(await http.send({ method: 'GET', path: `${CONFIGMAPS}/counter` })) as ConfigMap;
    expect(final.data!.count).toBe(String(WRITERS * INCREMENTS_EACH));
    // The writers really raced: stale resourceVersions were refused.
    expect(conflicts).toBeGreaterThan(0);
  });

  it('creates a name once when many clients create it at the same moment', async () => {
    const answers = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) => http.json('POST', CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'once' }, data: { writer: String(i) } })),
    );
    const created = answers.filter((a) => a.status === 201);
    expect(created).toHaveLength(1);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused).toHaveLength(WRITERS - 1);
    for (const answer of refused) {
      expect(parseJson(answer)).toEqual(failure(409, 'AlreadyExists', 'configmaps "once" already exists', { name: 'once', group: '', kind: 'configmaps' }));
    }
    // The stored object is the winner's.
    const winner = (parseJson(created[0]!) as ConfigMap).data!.writer;
    expect((parseJson(await http.send({ method: 'GET', path: `${CONFIGMAPS}/once` })) as ConfigMap).data!.writer).toBe(winner);
  });

  it('merges every concurrent patch, and refuses all but one patch pinned to the same resourceVersion', async () => {
    // (An empty data map would be dropped, as Go's omitempty does, and JSON patch needs /data.)
    expect((await http.json('POST', CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'patched' }, data: { seed: '0' } })).status).toBe(201);
    const types = ['application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/json-patch+json'];
    const typeOf = (i: number) => types[i % types.length]!;
    const answers = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) => {
        const patch = typeOf(i) === 'application/json-patch+json' ? [{ op: 'add', path: `/data/k${i}`, value: String(i) }] : { metadata: { labels: { [`l${i}`]: 'x' } } };
        return http.json('PATCH', `${CONFIGMAPS}/patched`, patch, typeOf(i));
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(WRITERS).fill(200));
    const final = parseJson(await http.send({ method: 'GET', path: `${CONFIGMAPS}/patched` })) as ConfigMap;
    const writers = Array.from({ length: WRITERS }, (_, i) => i);
    const jsonPatchers = writers.filter((i) => typeOf(i) === 'application/json-patch+json');
    expect(Object.keys(final.metadata.labels ?? {}).sort()).toEqual(writers.filter((i) => !jsonPatchers.includes(i)).map((i) => `l${i}`).sort());
    expect(Object.keys(final.data ?? {}).sort()).toEqual([...jsonPatchers.map((i) => `k${i}`), 'seed'].sort());

    // Patches that carry the resourceVersion they read: exactly one wins.
    const pinned = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        http.json('PATCH', `${CONFIGMAPS}/patched`, { metadata: { resourceVersion: final.metadata.resourceVersion, labels: { pinned: String(i) } } }, 'application/merge-patch+json'),
      ),
    );
    expect(pinned.filter((a) => a.status === 200)).toHaveLength(1);
    for (const answer of pinned.filter((a) => a.status !== 200)) {
      expect(parseJson(answer)).toEqual(
        failure(
          409,
          'Conflict',
          'Operation cannot be fulfilled on configmaps "patched": the object has been modified; please apply your changes to the latest version and try again',
          { name: 'patched', group: '', kind: 'configmaps' },
        ),
      );
    }
  });

  it('never hands two concurrently created Services the same ClusterIP or NodePort', async () => {
    const answers = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        http.json('POST', SERVICES, {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: `svc-${i}` },
          spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(WRITERS).fill(201));
    const services = answers.map((a) => parseJson(a) as Service);
    const ips = services.map((s) => s.spec.clusterIP);
    expect(new Set(ips).size).toBe(WRITERS);
    for (const ip of ips) expect(ip).toMatch(/^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
    const ports = services.flatMap((s) => s.spec.ports.map((p) => p.nodePort!));
    expect(new Set(ports).size).toBe(WRITERS * 2);
    for (const port of ports) expect(port >= 30000 && port <= 32767, String(port)).toBe(true);

    // The same explicit NodePort asked for at once: one Service gets it.
    const contested = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        http.json('POST', SERVICES, {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: `contested-${i}` },
          spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 31999 }] },
        }),
      ),
    );
    // On failure, show every answer: a winner that failed for another reason releases the port.
    const answersText = contested.map((a) => `${a.status} ${JSON.stringify(parseJson(a)).slice(0, 300)}`).join('\n');
    expect(contested.filter((a) => a.status === 201), answersText).toHaveLength(1);
    const detail = 'Invalid value: 31999: provided port is already allocated';
    for (const answer of contested.filter((a) => a.status !== 201)) {
      const name = (parseJson(answer) as { details: { name: string } }).details.name;
      expect(parseJson(answer)).toEqual(
        failure(422, 'Invalid', `Service "${name}" is invalid: spec.ports[0].nodePort: ${detail}`, {
          name,
          group: '',
          kind: 'Service',
          causes: [{ reason: 'FieldValueInvalid', message: detail, field: 'spec.ports[0].nodePort' }],
        }),
      );
    }
  });
});
