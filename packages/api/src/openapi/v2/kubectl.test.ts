// Real kubectl 1.27 and 1.28 — the versions that still read /openapi/v2 — against a small HTTP
// server serving our discovery, OpenAPI v3 and v2 documents, recording what kubectl sends.
import { execFile, execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGGREGATED_DISCOVERY_CONTENT_TYPE,
  aggregatedDiscovery,
  aggregatedVersionFor,
  legacyApiGroupList,
  legacyApiVersions,
} from '../../discovery/index.ts';
import { descriptions } from '../descriptions.ts';
import { openApiV3Document, openApiV3Index } from '../index.ts';
import { encodeGnosticDocument } from './gnostic.ts';
import { buildSwaggerDocument, openApiV2 } from './index.ts';

type Any = any; // the document is edited freely in one test

const run = promisify(execFile);
const KUBECTL_DIR = dirname(execFileSync('bash', ['-c', 'readlink -f "$(command -v kubectl)"'], { encoding: 'utf8' }).trim());
const kubectlVersion = (minor: '1.27' | '1.28') => join(KUBECTL_DIR, `kubectl.${minor}`);
/** kube-openapi labels the protobuf answer with the dotted subtype: client-go cannot parse the "@" form. */
const PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

interface Logged {
  method: string;
  path: string;
  query: URLSearchParams;
  accept: string;
  contentType?: string;
  body?: string;
}

const LIVE_PATH = '/apis/apps/v1/namespaces/default/deployments/live';

function deployment(name: string, containers: { name: string; image: string }[]) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers } },
    },
  };
}

/** An existing deployment last applied with two containers, for the three-way apply test. */
const live = (() => {
  const applied = deployment('live', [
    { name: 'app', image: 'nginx:1.25' },
    { name: 'sidecar', image: 'busybox' },
  ]);
  const annotations = { 'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(applied)}\n` };
  return { ...applied, metadata: { ...applied.metadata, uid: 'u-1', resourceVersion: '7', annotations } };
})();

/** The protobuf this server answers /openapi/v2 with; a test may swap in a doctored document. */
let servedV2 = openApiV2().protobuf;

function handler(log: Logged[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url!, 'http://localhost');
    const entry: Logged = { method: req.method!, path: url.pathname, query: url.searchParams, accept: req.headers.accept ?? '' };
    log.push(entry);
    const path = url.pathname;
    const send = (code: number, body: unknown, contentType = 'application/json') => {
      res.writeHead(code, { 'content-type': contentType });
      res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
    };
    const notFound = () =>
      send(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404 });
    const withBody = (then: (body: string) => void) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        entry.body = Buffer.concat(chunks).toString('utf8');
        entry.contentType = req.headers['content-type'];
        then(entry.body);
      });
    };

    if (path === '/api' || path === '/apis') {
      const version = aggregatedVersionFor(req.headers.accept);
      if (version) return send(200, aggregatedDiscovery(path === '/api' ? 'api' : 'apis', version), AGGREGATED_DISCOVERY_CONTENT_TYPE(version));
      return send(200, path === '/api' ? legacyApiVersions(req.headers.host!) : legacyApiGroupList());
    }
    if (path === '/openapi/v2') {
      return entry.accept.includes('protobuf') ? send(200, servedV2, PROTOBUF_CONTENT_TYPE) : send(200, openApiV2().json);
    }
    if (path === '/openapi/v3') return send(200, openApiV3Index());
    if (path.startsWith('/openapi/v3/')) {
      const document = openApiV3Document(path.slice('/openapi/v3/'.length));
      return document ? send(200, document.body) : notFound();
    }
    if (path === LIVE_PATH && req.method === 'GET') return send(200, live);
    if (path === LIVE_PATH && req.method === 'PATCH') return withBody(() => send(200, live));
    // Nothing else exists; a create echoes the object back.
    if (req.method === 'POST') return withBody((body) => send(201, JSON.parse(body)));
    return notFound();
  };
}

let server: Server;
let port: number;
const log: Logged[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'k8ts-kubectl-v2-'));

beforeAll(async () => {
  server = createServer(handler(log));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(scratch, { recursive: true, force: true });
});

let runs = 0;
/** Runs kubectl with a fresh cache; resolves with its output and exit code and the requests it made. */
async function kubectl(minor: '1.27' | '1.28', args: string[]): Promise<{ stdout: string; stderr: string; code: number; requests: Logged[] }> {
  const cacheDir = join(scratch, `cache-${runs++}`);
  const from = log.length;
  const argv = ['--server', `http://127.0.0.1:${port}`, '--cache-dir', cacheDir, ...args];
  try {
    const { stdout, stderr } = await run(kubectlVersion(minor), argv, { env: { PATH: process.env.PATH ?? '', HOME: scratch }, maxBuffer: 16 << 20 });
    return { stdout, stderr, code: 0, requests: log.slice(from) };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code, requests: log.slice(from) };
  }
}

function manifest(name: string, text: string[]): string {
  const file = join(scratch, name);
  writeFileSync(file, `${text.join('\n')}\n`);
  return file;
}

const webDeployment = (replicasField: string) => [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: web, namespace: default}',
  'spec:',
  `  ${replicasField}: 2`,
  '  selector: {matchLabels: {app: web}}',
  '  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}}',
  '  template:',
  '    metadata: {labels: {app: web}}',
  '    spec:',
  '      containers:',
  '      - name: web',
  '        image: nginx',
  '        ports: [{containerPort: 80, protocol: TCP}]',
  '        resources: {limits: {cpu: 500m, memory: 128Mi}, requests: {cpu: 0.25}}',
  '        env: [{name: MODE, value: prod}]',
];
const settingsConfigMap = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: settings, namespace: default}', 'data: {mode: prod}'];
/** A `kind: List` is never validated by the server, so kubectl validates it itself against /openapi/v2. */
const list = (...items: string[][]) => ['apiVersion: v1', 'kind: List', 'items:', ...items.flatMap((lines) => lines.map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)))];

const fetchedV2AsProtobuf = (requests: Logged[]) =>
  requests.some((r) => r.path === '/openapi/v2' && r.accept === 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf');
const posts = (requests: Logged[]) => requests.filter((r) => r.method === 'POST').map((r) => r.path);

describe('kubectl 1.28 reads /openapi/v2 as gnostic protobuf', () => {
  it('apply -f of a Deployment and a ConfigMap downloads v2 and leaves field validation to the server', async () => {
    const file = manifest('two.yaml', [...webDeployment('replicas'), '---', ...settingsConfigMap]);
    const { stdout, stderr, code, requests } = await kubectl('1.28', ['apply', '-f', file]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe('deployment.apps/web created\nconfigmap/settings created\n');
    expect(fetchedV2AsProtobuf(requests)).toBe(true);
    // the PATCH operations of our v2 and v3 documents list fieldValidation, so kubectl asks the server to be strict
    for (const post of requests.filter((r) => r.method === 'POST')) expect(post.query.get('fieldValidation')).toBe('Strict');
  });

  it('apply -f of a List validates each item client-side against our definitions and sends them', async () => {
    const { stdout, stderr, code, requests } = await kubectl('1.28', ['apply', '-f', manifest('list.yaml', list(webDeployment('replicas'), settingsConfigMap))]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe('deployment.apps/web created\nconfigmap/settings created\n');
    expect(posts(requests)).toEqual(['/apis/apps/v1/namespaces/default/deployments', '/api/v1/namespaces/default/configmaps']);
  });

  it('apply -f and create -f reject an unknown field (spec.replicass) before sending anything', async () => {
    const file = manifest('typo.yaml', list(webDeployment('replicass'), settingsConfigMap));
    for (const verb of ['apply', 'create']) {
      const { stderr, code, requests } = await kubectl('1.28', [verb, '-f', file]);
      expect(code, verb).toBe(1);
      expect(stderr, verb).toBe(
        `error: error validating "${file}": error validating data: ValidationError(Deployment.spec): unknown field "replicass" in io.k8s.api.apps.v1.DeploymentSpec; if you choose to ignore these errors, turn validation off with --validate=false\n`,
      );
      expect(fetchedV2AsProtobuf(requests), verb).toBe(true);
      expect(posts(requests), verb).toEqual([]);
    }
  });

  it('explain deployment.spec works from v3, and from v2 with --output plaintext-openapiv2', async () => {
    const v3 = await kubectl('1.28', ['explain', 'deployment.spec']);
    expect(v3.stdout).toContain('FIELD: spec <DeploymentSpec>');
    expect(v3.stdout).toMatch(/\n {2}replicas\t<integer>\n/);
    const v2 = await kubectl('1.28', ['explain', 'deployment.spec', '--output', 'plaintext-openapiv2']);
    expect(v2.stderr).toBe('');
    expect(v2.stdout).toContain('KIND:     Deployment\nVERSION:  apps/v1\n\nRESOURCE: spec <Object>');
    expect(v2.stdout).toMatch(/\n {3}replicas\t<integer>\n/);
    expect(v2.stdout).toMatch(/\n {3}selector\t<Object> -required-\n/);
    expect(v2.stdout).toContain(descriptions.writtenField('k8s.io.api.apps.v1.DeploymentSpec', 'replicas')!.split(' ').slice(0, 5).join(' '));
    expect(fetchedV2AsProtobuf(v2.requests)).toBe(true);
  });
});

describe('kubectl 1.27 computes client-side apply patches from /openapi/v2', () => {
  const changed = manifest('live.json', [JSON.stringify(deployment('live', [{ name: 'app', image: 'nginx:1.26' }]))]);
  const patchOf = (requests: Logged[]) => {
    const patch = requests.find((r) => r.method === 'PATCH' && r.path === LIVE_PATH)!;
    expect(patch.contentType).toBe('application/strategic-merge-patch+json');
    return JSON.parse(patch.body!).spec.template.spec;
  };

  it('merges containers by name: $setElementOrder/containers and a $patch: delete for the removed one', async () => {
    const { stdout, stderr, requests } = await kubectl('1.27', ['apply', '-f', changed]);
    expect(stdout).toBe('deployment.apps/live configured\n');
    expect(stderr).toBe('');
    expect(fetchedV2AsProtobuf(requests)).toBe(true);
    expect(patchOf(requests)).toEqual({
      '$setElementOrder/containers': [{ name: 'app' }],
      containers: [
        { name: 'app', image: 'nginx:1.26' },
        { $patch: 'delete', name: 'sidecar' },
      ],
    });
  });

  it('takes the merge key from our document: without it the containers list is replaced whole', async () => {
    const doctored = buildSwaggerDocument();
    const containers = (doctored.definitions as Any)['io.k8s.api.core.v1.PodSpec'].properties.containers;
    delete containers['x-kubernetes-patch-merge-key'];
    delete containers['x-kubernetes-patch-strategy'];
    servedV2 = encodeGnosticDocument(doctored);
    try {
      const { requests } = await kubectl('1.27', ['apply', '-f', changed]);
      expect(patchOf(requests)).toEqual({ containers: [{ name: 'app', image: 'nginx:1.26' }] });
    } finally {
      servedV2 = openApiV2().protobuf;
    }
  });
});
