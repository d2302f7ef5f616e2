import { request } from 'node:https';
import type { KubeObject } from '@k8ts/api';
import { FakeClock } from '@k8ts/client';
import { FakeApi } from '@k8ts/controller-manager/testing/fake-api.ts';
import { createCa, issueCertificate, type CertificateAndKey } from '@k8ts/pki';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Node, NodeConfig } from './node/node-object.ts';
import { runNodeHost } from './node-host.ts';
import type { Pod } from './pod/pod-types.ts';
import { FakeRuntime } from './runtime/fake/fake-runtime.ts';
import { CPU_USAGE_ANNOTATION, MEMORY_USAGE_ANNOTATION } from './runtime/fake/simulated-usage.ts';

const config: NodeConfig = {
  nodeName: 'node-1',
  hostname: 'node-1',
  nodeIP: '127.0.0.1',
  labels: {},
  taints: [],
  cpu: '4',
  memory: '16Gi',
  maxPods: 110,
  ephemeralStorage: '100Gi',
  containerRuntimeVersion: 'fake://1.0.0',
  machineID: 'm',
  bootID: 'b',
};

let ca: CertificateAndKey;
let apiserverClient: CertificateAndKey;
let serving: CertificateAndKey;
beforeAll(async () => {
  ca = await createCa('kubernetes', new Date());
  serving = await issueCertificate(ca, { commonName: 'node-1', ipAddresses: ['127.0.0.1'], usages: ['server'], now: new Date() });
  apiserverClient = await issueCertificate(ca, { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'], usages: ['client'], now: new Date() });
}, 30_000);

function scrape(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics/resource', cert: apiserverClient.certPem, key: apiserverClient.keyPem, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${res.statusCode}: ${body}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

const stop = new AbortController();
let running: Promise<void> | undefined;
afterEach(async () => {
  stop.abort();
  await running;
});

describe('a hollow node serving the kubelet API', () => {
  it('reports its port in the Node and serves usage that follows the pod annotations', async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 1));
    const api = new FakeApi(clock);
    api.seed(...['default', 'kube-node-lease'].map((name): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));
    let ready = false;
    running = runNodeHost(
      {
        client: api.client(),
        clock,
        logger: { info: () => {}, warn: () => {} },
        nodes: [config],
        runtimeFor: (c, podAnnotations) => new FakeRuntime({ clock, idSeed: c.nodeName, currentAnnotations: (sandbox) => podAnnotations(sandbox.uid) }),
        runtimeName: 'fake',
        server: { port: 0, clientCaPem: ca.certPem, tls: serving },
        random: () => 0.5,
        onReady: () => (ready = true),
      },
      stop.signal,
    );
    // The server's socket is real: each step also lets real I/O run.
    const until = async (what: string, predicate: () => boolean) => {
      for (let waited = 0; waited < 60_000; waited += 50) {
        if (predicate()) return;
        await clock.advance(50);
        await new Promise((resolve) => setImmediate(resolve));
      }
      throw new Error(`timed out waiting for ${what}`);
    };
    await until('ready', () => ready);
    const port = api.get<Node>('v1', 'Node', undefined, 'node-1')!.status!.daemonEndpoints!.kubeletEndpoint.Port;
    expect(port).toBeGreaterThan(0);
    expect(await scrape(port)).toMatch(/^node_cpu_usage_seconds_total \S+ \d+$/m);

    const nodes = api.client().forKind<Node>({ group: '', version: 'v1', kind: 'Node' });
    await nodes.patch('node-1', 'strategic', { spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] } });
    api.seed({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default', annotations: { [CPU_USAGE_ANNOTATION]: '250m', [MEMORY_USAGE_ANNOTATION]: '64Mi' } },
      spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx:1.27' }] },
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }], qosClass: 'BestEffort' },
    } as Pod);
    const pods = api.client().forKind<Pod>({ group: '', version: 'v1', kind: 'Pod' }).namespace('default');
    await until('the pod running', () => api.get<Pod>('v1', 'Pod', 'default', 'web')?.status?.phase === 'Running');
    expect(await scrape(port)).toMatch(/^container_memory_working_set_bytes\{container="app",namespace="default",pod="web"\} 6\.7108864e\+07 \d+$/m);

    await pods.patch('web', 'strategic', { metadata: { annotations: { [MEMORY_USAGE_ANNOTATION]: '128Mi' } } });
    await clock.advance(100);
    expect(await scrape(port)).toMatch(/^pod_memory_working_set_bytes\{namespace="default",pod="web"\} 1\.34217728e\+08 \d+$/m);
  }, 60_000);
});
