// Bad input over raw HTTP gets the Status Kubernetes 1.32 answers with — same code, reason and
// words — and the apiserver keeps serving. Bodies are sent exactly as written (no client fixes
// them up), against a real apiserver process on each store backend.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeKubeProtobuf, KUBE_PROTOBUF_MAGIC } from '@k8ts/api/protobuf/index.ts';
import { backends, ControlPlane } from '../support/control-plane.ts';
import { failure, parseJson, RawHttp, type RawResponse } from './support/raw-http.ts';

const NS = 'bad-input';
const CONFIGMAPS = `/api/v1/namespaces/${NS}/configmaps`;
const DEPLOYMENTS = `/apis/apps/v1/namespaces/${NS}/deployments`;
const JSON_TYPE = { 'Content-Type': 'application/json' };

/** What a user sees: the HTTP status and the body. */
function answer(response: RawResponse): { http: number; body: unknown } {
  return { http: response.status, body: parseJson(response) };
}

function deployment(name: string, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
      ...spec,
    },
  };
}

describe.each(backends())('bad input (store: %s)', (backend) => {
  let plane: ControlPlane;
  let http: RawHttp;

  beforeAll(async () => {
    plane = await ControlPlane.start(backend);
    http = new RawHttp(plane.url);
    const created = await http.json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    http?.close();
    await plane?.stop();
  });

  const post = (path: string, body: string | Buffer, contentType = 'application/json') =>
    http.send({ method: 'POST', path, body, headers: { 'Content-Type': contentType } });

  it('quotes back a JSON body it cannot read apiVersion and kind from', async () => {
    expect(answer(await post(CONFIGMAPS, '{bad'))).toEqual({
      http: 400,
      body: failure(
        400,
        'BadRequest',
        "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: invalid character 'b' looking for beginning of object key string ({bad)",
      ),
    });
    expect(answer(await post(CONFIGMAPS, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cut"'))).toEqual({
      http: 400,
      body: failure(
        400,
        'BadRequest',
        'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"apiVersion":"v1","kind":"Con ...)',
      ),
    });
    expect(answer(await post(CONFIGMAPS, '[1]'))).toEqual({
      http: 400,
      body: failure(
        400,
        'BadRequest',
        'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (5b315d)',
      ),
    });
    expect(answer(await post(CONFIGMAPS, '{"apiVersion":7}'))).toEqual({
      http: 400,
      body: failure(
        400,
        'BadRequest',
        'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: json: cannot unmarshal number into Go struct field .apiVersion of type string ({"apiVersion":7})',
      ),
    });
  });

  it('quotes back YAML and protobuf bodies it cannot decode', async () => {
    // The YAML problem itself is worded by our parser; the frame around it is Kubernetes'.
    const yaml = answer(await post(CONFIGMAPS, 'a: [b\n', 'application/yaml'));
    expect(yaml.http).toBe(400);
    expect((yaml.body as { message: string }).message).toMatch(/^the object provided is unrecognized \(must be of type ConfigMap\): yaml: line 2: .+ \(613a205b620a\)$/);
    expect(await post(CONFIGMAPS, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\n', 'application/yaml').then((r) => r.status)).toBe(201);

    const protobuf = 'application/vnd.kubernetes.protobuf';
    expect(answer(await post(CONFIGMAPS, 'garbage', protobuf))).toEqual({
      http: 400,
      body: failure(
        400,
        'BadRequest',
        'the object provided is unrecognized (must be of type ConfigMap): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] (67617262616765)',
      ),
    });
    expect(answer(await post(CONFIGMAPS, Buffer.alloc(0), protobuf))).toEqual({
      http: 400,
      body: failure(400, 'BadRequest', 'the object provided is unrecognized (must be of type ConfigMap): empty data (<empty>)'),
    });
    expect(answer(await post(CONFIGMAPS, KUBE_PROTOBUF_MAGIC, protobuf))).toEqual({
      http: 400,
      body: failure(400, 'BadRequest', 'the object provided is unrecognized (must be of type ConfigMap): empty body (6b387300)'),
    });
    const valid = encodeKubeProtobuf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-protobuf' }, data: { a: 'b' } });
    const created = await post(CONFIGMAPS, Buffer.from(valid), protobuf);
    expect(created.status).toBe(201);
    expect((parseJson(created) as { data: unknown }).data).toEqual({ a: 'b' });
  });

  it('refuses a body of another kind or version as the decoder words it', async () => {
    const cases: [string, string, unknown, string][] = [
      [CONFIGMAPS, 'Secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }, 'Secret in version "v1" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion'],
      [
        CONFIGMAPS,
        'unregistered group',
        { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } },
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: no kind "ConfigMap" is registered for version "apps/v1" in scheme "pkg/api/legacyscheme/scheme.go:30"',
      ],
      [
        `/api/v1/namespaces/${NS}/pods`,
        'lower-case kind',
        { apiVersion: 'v1', kind: 'pod', metadata: { name: 'x' } },
        'pod in version "v1" cannot be handled as a Pod: no kind "pod" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"',
      ],
      [
        `/apis/autoscaling/v1/namespaces/${NS}/horizontalpodautoscalers`,
        'other version of the kind',
        { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' } },
        'the API version in the data (autoscaling/v2) does not match the expected API version (autoscaling/v1)',
      ],
    ];
    for (const [path, what, body, message] of cases) {
      expect(answer(await post(path, JSON.stringify(body))), what).toEqual({ http: 400, body: failure(400, 'BadRequest', message) });
    }
  });

  it('refuses bodies over 3 MiB with 413 and keeps serving', async () => {
    const huge = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'huge' }, data: { blob: 'x'.repeat(3 * 1024 * 1024) } });
    expect(answer(await post(CONFIGMAPS, huge))).toEqual({
      http: 413,
      body: failure(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'),
    });
    expect((await http.send({ method: 'GET', path: `${CONFIGMAPS}/huge` })).status).toBe(404);
    const health = await http.send({ method: 'GET', path: '/healthz' });
    expect([health.status, health.text]).toEqual([200, 'ok']);
  });

  it('refuses invalid names with 422 Invalid naming the field', async () => {
    const subdomain =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    const upper = `Invalid value: "Bad_Name": ${subdomain}`;
    expect(answer(await post(CONFIGMAPS, '{"metadata":{"name":"Bad_Name"}}'))).toEqual({
      http: 422,
      body: failure(422, 'Invalid', `ConfigMap "Bad_Name" is invalid: metadata.name: ${upper}`, {
        name: 'Bad_Name',
        group: '',
        kind: 'ConfigMap',
        causes: [{ reason: 'FieldValueInvalid', message: upper, field: 'metadata.name' }],
      }),
    });

    const long = 'a'.repeat(254);
    const tooLong = `Invalid value: "${long}": must be no more than 253 characters`;
    expect(answer(await post(CONFIGMAPS, JSON.stringify({ metadata: { name: long } })))).toEqual({
      http: 422,
      body: failure(422, 'Invalid', `ConfigMap "${long}" is invalid: metadata.name: ${tooLong}`, {
        name: long,
        group: '',
        kind: 'ConfigMap',
        causes: [{ reason: 'FieldValueInvalid', message: tooLong, field: 'metadata.name' }],
      }),
    });

    const required = 'Required value: name or generateName is required';
    expect(answer(await post(CONFIGMAPS, '{"metadata":{}}'))).toEqual({
      http: 422,
      body: failure(422, 'Invalid', `ConfigMap "" is invalid: metadata.name: ${required}`, {
        group: '',
        kind: 'ConfigMap',
        causes: [{ reason: 'FieldValueRequired', message: required, field: 'metadata.name' }],
      }),
    });

    // generateName alone is enough: the server appends five characters of its alphabet.
    const generated = parseJson(await post(CONFIGMAPS, '{"metadata":{"generateName":"web-"}}')) as { metadata: { name: string; generateName: string } };
    expect(generated.metadata.generateName).toBe('web-');
    expect(generated.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    // An invalid prefix is reported for generateName and for the name made from it.
    const badPrefix = answer(await post(CONFIGMAPS, '{"metadata":{"generateName":"Web-"}}'));
    expect(badPrefix.http).toBe(422);
    expect((badPrefix.body as { message: string }).message).toMatch(
      /^ConfigMap "Web-[bcdfghjklmnpqrstvwxz2456789]{5}" is invalid: \[metadata\.generateName: Invalid value: "Web-": a lowercase RFC 1123 subdomain .*, metadata\.name: Invalid value: "Web-[a-z0-9]{5}": a lowercase RFC 1123 subdomain .*\]$/,
    );
  });

  it('treats unknown and duplicate fields by fieldValidation: Strict refuses, Warn warns, Ignore accepts', async () => {
    const body = JSON.stringify(deployment('strict', { foo: 1 }));
    expect(answer(await post(`${DEPLOYMENTS}?fieldValidation=Strict`, body))).toEqual({
      http: 400,
      body: failure(400, 'BadRequest', 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"'),
    });
    const warned = await post(`${DEPLOYMENTS}?fieldValidation=Warn`, body.replace('"strict"', '"warned"'));
    expect(warned.status).toBe(201);
    expect(warned.headers.warning).toBe('299 - "unknown field \\"spec.foo\\""');
    // Warn is the default.
    const defaulted = await post(DEPLOYMENTS, body.replace('"strict"', '"defaulted"'));
    expect([defaulted.status, defaulted.headers.warning]).toEqual([201, '299 - "unknown field \\"spec.foo\\""']);
    const ignored = await post(`${DEPLOYMENTS}?fieldValidation=Ignore`, body.replace('"strict"', '"ignored"'));
    expect([ignored.status, ignored.headers.warning]).toEqual([201, undefined]);
    expect((parseJson(ignored) as { spec: Record<string, unknown> }).spec.foo).toBeUndefined();

    const duplicate = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"first","name":"second"}}';
    expect(answer(await post(`${CONFIGMAPS}?fieldValidation=Strict`, duplicate))).toEqual({
      http: 400,
      body: failure(400, 'BadRequest', 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "metadata.name"'),
    });
    const lastWins = await post(`${CONFIGMAPS}?fieldValidation=Warn`, duplicate);
    expect([lastWins.status, lastWins.headers.warning]).toEqual([201, '299 - "duplicate field \\"metadata.name\\""']);
    expect((parseJson(lastWins) as { metadata: { name: string } }).metadata.name).toBe('second');
  });

  it('refuses values of the wrong JSON type as Go decoding does, whatever fieldValidation says', async () => {
    for (const validation of ['Strict', 'Ignore']) {
      const body = JSON.stringify(deployment('typed', { replicas: '3' }));
      expect(answer(await post(`${DEPLOYMENTS}?fieldValidation=${validation}`, body))).toEqual({
        http: 400,
        body: failure(
          400,
          'BadRequest',
          'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
        ),
      });
    }
    expect(answer(await post(CONFIGMAPS, '{"metadata":{"name":"n"},"data":{"port":8080}}'))).toEqual({
      http: 400,
      body: failure(400, 'BadRequest', 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string'),
    });
  });

  it('answers 415 for media types it cannot decode', async () => {
    const objectTypes = 'application/json, application/yaml, application/vnd.kubernetes.protobuf';
    for (const type of ['text/plain', 'application/cbor', 'garbage']) {
      expect(answer(await post(CONFIGMAPS, '{}', type)), type).toEqual({
        http: 415,
        body: failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${objectTypes}`),
      });
    }
    // PATCH routes only consume the four patch types: the router refuses anything else.
    for (const headers of [JSON_TYPE, {}]) {
      expect(answer(await http.send({ method: 'PATCH', path: `${CONFIGMAPS}/from-yaml`, body: '{}', headers }))).toEqual({
        http: 415,
        body: failure(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {}),
      });
    }
  });

  it('answers 404 for paths and objects that do not exist, 405 for methods a path does not take', async () => {
    const noPath = failure(404, 'NotFound', 'the server could not find the requested resource', {});
    for (const path of ['/api/v1/nothing', `/api/v1/namespaces/${NS}/nothing/x`, '/apis/nope/v1/things', `${DEPLOYMENTS}/web/bogus`, `${CONFIGMAPS}/x/status/extra`, `/api/v1/namespaces/${NS}/nodes`]) {
      expect(answer(await http.send({ method: 'GET', path })), path).toEqual({ http: 404, body: noPath });
    }
    expect(answer(await http.send({ method: 'GET', path: `${CONFIGMAPS}/missing` }))).toEqual({
      http: 404,
      body: failure(404, 'NotFound', 'configmaps "missing" not found', { name: 'missing', group: '', kind: 'configmaps' }),
    });
    expect(answer(await http.send({ method: 'GET', path: `${DEPLOYMENTS}/missing/scale` }))).toEqual({
      http: 404,
      body: failure(404, 'NotFound', 'deployments.apps "missing" not found', { name: 'missing', group: 'apps', kind: 'deployments' }),
    });

    const notAllowed = failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
    const wrongMethods: [string, string][] = [
      ['PUT', CONFIGMAPS],
      ['PATCH', CONFIGMAPS],
      ['POST', `${CONFIGMAPS}/from-yaml`],
      ['POST', '/api/v1/configmaps'],
      ['DELETE', '/api/v1/configmaps'],
      ['POST', `${DEPLOYMENTS}/x/status`],
      ['TRACE', CONFIGMAPS],
    ];
    for (const [method, path] of wrongMethods) {
      const body = method === 'TRACE' ? {} : { body: '{}', headers: method === 'PATCH' ? { 'Content-Type': 'application/merge-patch+json' } : JSON_TYPE };
      expect(answer(await http.send({ method, path, ...body })), `${method} ${path}`).toEqual({ http: 405, body: notAllowed });
    }
  });

  it('answers bytes that are not HTTP, and paths that cannot be decoded, with a 400 Status', async () => {
    // (Kubernetes' Go HTTP server answers these with plain text "400 Bad Request".)
    const raw = (bytes: Buffer) =>
      new Promise<string>((resolve, reject) => {
        const url = new URL(plane.url);
        const socket = net.connect(Number(url.port), url.hostname, () => socket.end(bytes));
        let text = '';
        socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
    const answers = [
      [Buffer.from(`GET /api/v1/namespaces/${NS}/configmaps/\xe9 HTTP/1.1\r\nHost: x\r\n\r\n`, 'latin1'), 'Parse Error: Invalid char in url path'],
      [Buffer.from('GARBAGE\r\n\r\n'), 'Parse Error: Invalid method encountered'],
    ] as const;
    for (const [bytes, problem] of answers) {
      const [head, body] = (await raw(bytes)).split('\r\n\r\n') as [string, string];
      expect(head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
      expect(JSON.parse(body)).toEqual(failure(400, 'BadRequest', `the request could not be read as HTTP: ${problem}`));
    }
    expect(answer(await http.send({ method: 'GET', path: `/api/v1/namespaces/%zz/configmaps` }))).toEqual({
      http: 400,
      body: failure(400, 'BadRequest', "'/api/v1/namespaces/%zz/configmaps' is not a valid url component"),
    });
  });

  it('refuses malformed label and field selectors with 400 in Kubernetes wording', async () => {
    const cases: [string, string][] = [
      ['labelSelector=a in (b', "unable to parse requirement: found '', expected: ',' or ')'"],
      ['labelSelector=!', "unable to parse requirement: found '', expected: identifier"],
      ['labelSelector=a=b=c', "found '=', expected: ',' or 'end of string'"],
      ['fieldSelector=foo=bar', '"foo" is not a known field selector: only "metadata.name", "metadata.namespace"'],
    ];
    for (const [query, message] of cases) {
      const [key, value] = query.split(/=(.*)/s) as [string, string];
      const path = `${CONFIGMAPS}?${key}=${encodeURIComponent(value)}`;
      expect(answer(await http.send({ method: 'GET', path })), query).toEqual({ http: 400, body: failure(400, 'BadRequest', message) });
      expect(answer(await http.send({ method: 'GET', path: `${path}&watch=true` })), `watch ${query}`).toEqual({ http: 400, body: failure(400, 'BadRequest', message) });
    }
    // A field a kind does support is fine.
    expect((await http.send({ method: 'GET', path: `/api/v1/pods?fieldSelector=${encodeURIComponent('spec.nodeName=n1')}` })).status).toBe(200);
  });

  it('refuses malformed resourceVersion, limit and timeoutSeconds', async () => {
    // Kubernetes 1.32 words the resourceVersion error like this but lets it escape as a 500
    // (kubernetes#101350); it is the client's mistake, so k8ts answers 400.
    const badRv = 'invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax';
    for (const query of ['resourceVersion=abc', 'resourceVersion=abc&limit=5', 'resourceVersion=abc&watch=true']) {
      expect(answer(await http.send({ method: 'GET', path: `${CONFIGMAPS}?${query}` })), query).toEqual({ http: 400, body: failure(400, 'BadRequest', badRv) });
    }
    expect(answer(await http.send({ method: 'GET', path: `${CONFIGMAPS}?resourceVersion=-1` }))).toEqual({
      http: 400,
      body: failure(400, 'BadRequest', 'invalid resource version: resourceVersion: Invalid value: "-1": strconv.ParseUint: parsing "-1": invalid syntax'),
    });
    expect(answer(await http.send({ method: 'GET', path: `${CONFIGMAPS}?limit=ten` }))).toEqual({
      http: 400,
      body: failure(400, 'BadRequest', 'strconv.ParseInt: parsing "ten": invalid syntax'),
    });
    expect(answer(await http.send({ method: 'GET', path: `${CONFIGMAPS}?watch=true&timeoutSeconds=1.5` }))).toEqual({
      http: 400,
      body: failure(400, 'BadRequest', 'strconv.ParseInt: parsing "1.5": invalid syntax'),
    });
    // A negative limit means no limit, as in Kubernetes.
    expect((await http.send({ method: 'GET', path: `${CONFIGMAPS}?limit=-1` })).status).toBe(200);
  });

  it('refuses continue tokens that are damaged, from elsewhere, or combined with a resourceVersion', async () => {
    const token = (json: string) => Buffer.from(json).toString('base64url');
    const cases: [string, string][] = [
      ['!!!!', 'continue key is not valid: illegal base64 data at input byte 0'],
      [token('{bad'), "continue key is not valid: invalid character 'b' looking for beginning of object key string"],
      [token('{"v":"meta.k8s.io/v2","rv":5,"start":"a"}'), 'continue key is not valid: server does not recognize this encoded version meta.k8s.io/v2'],
      [token('{"v":"meta.k8s.io/v1","rv":0,"start":"a"}'), 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)'],
      [token('{"v":"meta.k8s.io/v1","rv":5,"start":""}'), 'continue key is not valid: encoded start key empty (version meta.k8s.io/v1)'],
      [token('{"v":"meta.k8s.io/v1","rv":5,"start":"../secrets/x"}'), 'continue key is not valid: ../secrets/x'],
    ];
    for (const [value, message] of cases) {
      expect(answer(await http.send({ method: 'GET', path: `${CONFIGMAPS}?limit=1&continue=${encodeURIComponent(value)}` })), value).toEqual({
        http: 400,
        body: failure(400, 'BadRequest', `invalid continue token: ${message}`),
      });
    }
    // A real token walks the pages; with a resourceVersion beside it, it is refused.
    const first = parseJson(await http.send({ method: 'GET', path: `${CONFIGMAPS}?limit=1` })) as { items: unknown[]; metadata: { continue?: string } };
    expect(first.items).toHaveLength(1);
    const next = `${CONFIGMAPS}?limit=1&continue=${encodeURIComponent(first.metadata.continue!)}`;
    expect((await http.send({ method: 'GET', path: next })).status).toBe(200);
    expect(answer(await http.send({ method: 'GET', path: `${next}&resourceVersion=5` }))).toEqual({
      http: 400,
      body: failure(400, 'BadRequest', 'specifying resource version is not allowed when using continue'),
    });
  });

  it('refuses unsupported write options as the options object is validated (422)', async () => {
    const notSupported = (field: string, message: string) => ({ reason: 'FieldValueNotSupported', message, field });
    const fieldValidation = 'Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"';
    const dryRun = 'Unsupported value: []string{"yes"}: supported values: "All"';
    expect(answer(await post(`${CONFIGMAPS}?fieldValidation=strict&dryRun=yes`, '{"metadata":{"name":"opts"}}'))).toEqual({
      http: 422,
      body: failure(422, 'Invalid', `CreateOptions.meta.k8s.io "" is invalid: [dryRun: ${dryRun}, fieldValidation: ${fieldValidation}]`, {
        group: 'meta.k8s.io',
        kind: 'CreateOptions',
        causes: [notSupported('dryRun', dryRun), notSupported('fieldValidation', fieldValidation)],
      }),
    });
    const manager = 'x'.repeat(129);
    expect(answer(await http.send({ method: 'PUT', path: `${CONFIGMAPS}/from-yaml?fieldManager=${manager}`, body: '{"metadata":{"name":"from-yaml"}}', headers: JSON_TYPE }))).toEqual({
      http: 422,
      body: failure(422, 'Invalid', 'UpdateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes', {
        group: 'meta.k8s.io',
        kind: 'UpdateOptions',
        causes: [{ reason: 'FieldValueTooLong', message: 'Too long: may not be more than 128 bytes', field: 'fieldManager' }],
      }),
    });
    const mergePatch = { 'Content-Type': 'application/merge-patch+json' };
    expect(answer(await http.send({ method: 'PATCH', path: `${CONFIGMAPS}/from-yaml?force=true`, body: '{}', headers: mergePatch }))).toEqual({
      http: 422,
      body: failure(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch', {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: may not be specified for non-apply patch', field: 'force' }],
      }),
    });
    const apply = { 'Content-Type': 'application/apply-patch+yaml' };
    expect(answer(await http.send({ method: 'PATCH', path: `${CONFIGMAPS}/applied`, body: 'apiVersion: v1\nkind: ConfigMap\n', headers: apply }))).toEqual({
      http: 422,
      body: failure(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
      }),
    });
    expect(answer(await http.send({ method: 'PATCH', path: `${CONFIGMAPS}/applied?fieldManager=t`, body: 'apiVersion: apps/v1\nkind: ConfigMap\n', headers: apply }))).toEqual({
      http: 400,
      body: failure(400, 'BadRequest', 'Incorrect version specified in apply patch. Specified patch version: apps/v1, expected: v1'),
    });
    const policy = 'Unsupported value: "Sometimes": supported values: "Foreground", "Background", "Orphan", "nil"';
    expect(answer(await http.send({ method: 'DELETE', path: `${CONFIGMAPS}/from-yaml?propagationPolicy=Sometimes` }))).toEqual({
      http: 422,
      body: failure(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: ${policy}`, {
        group: 'meta.k8s.io',
        kind: 'DeleteOptions',
        causes: [notSupported('propagationPolicy', policy)],
      }),
    });
    expect(answer(await http.send({ method: 'DELETE', path: '/api/v1/namespaces/default' }))).toEqual({
      http: 403,
      body: failure(403, 'Forbidden', 'namespaces "default" is forbidden: this namespace may not be deleted', { name: 'default', group: '', kind: 'namespaces' }),
    });
  });

  it('answers patch errors as the patch handlers do', async () => {
    expect((await post(DEPLOYMENTS, JSON.stringify(deployment('patched')))).status).toBe(201);
    const target = `${DEPLOYMENTS}/patched`;
    const patch = (type: string, body: string, query = '') =>
      http.send({ method: 'PATCH', path: `${target}${query}`, body, headers: { 'Content-Type': `application/${type}` } });

    expect(answer(await patch('json-patch+json', '[{bad'))).toEqual({
      http: 400,
      body: failure(400, 'BadRequest', "error decoding patch: invalid character 'b' looking for beginning of object key string"),
    });
    expect(answer(await patch('json-patch+json', '{"op":"add"}', '?fieldValidation=Ignore'))).toEqual({
      http: 400,
      body: failure(400, 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'),
    });
    // An operation that cannot apply (a failed test, a path that is not there) is a generic 422.
    const generic = { http: 422, body: failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {}) };
    expect(answer(await patch('json-patch+json', '[{"op":"test","path":"/spec/replicas","value":7}]'))).toEqual(generic);
    expect(answer(await patch('json-patch+json', '[{"op":"replace","path":"/spec/nope/deeper","value":1}]'))).toEqual(generic);
    expect(answer(await patch('merge-patch+json', '{bad'))).toEqual({
      http: 400,
      body: failure(400, 'BadRequest', "error decoding patch: invalid character 'b' looking for beginning of object key string"),
    });
    // A list element without its merge key: the real apiserver passes this strategic-merge error
    // through unconverted, as a 500 without a reason (kubectl prints "Error from server: …").
    expect(answer(await patch('strategic-merge-patch+json', '{"spec":{"template":{"spec":{"containers":[{"image":"nginx:2"}]}}}}'))).toEqual({
      http: 500,
      body: failure(500, undefined, 'map: map[image:nginx:2] does not contain declared merge key: name'),
    });
    expect(answer(await http.send({ method: 'PATCH', path: `${DEPLOYMENTS}/missing`, body: '{}', headers: { 'Content-Type': 'application/merge-patch+json' } }))).toEqual({
      http: 404,
      body: failure(404, 'NotFound', 'deployments.apps "missing" not found', { name: 'missing', group: 'apps', kind: 'deployments' }),
    });
    // None of it changed the object.
    const after = parseJson(await http.send({ method: 'GET', path: target })) as { metadata: { generation: number }; spec: { template: { spec: { containers: { image: string }[] } } } };
    expect(after.metadata.generation).toBe(1);
    expect(after.spec.template.spec.containers[0]!.image).toBe('nginx:1.27');
  });

  it('is alive and serving after all of it', async () => {
    const health = await http.send({ method: 'GET', path: '/healthz' });
    expect([health.status, health.text]).toEqual([200, 'ok']);
    const created = await http.json('POST', CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'still-here' }, data: { ok: 'yes' } });
    expect(created.status).toBe(201);
    const read = parseJson(await http.send({ method: 'GET', path: `${CONFIGMAPS}/still-here` })) as { data: Record<string, string> };
    expect(read.data).toEqual({ ok: 'yes' });
  });
});
