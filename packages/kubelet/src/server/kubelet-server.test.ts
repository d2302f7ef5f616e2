import { request } from 'node:https';
import { createCa, issueCertificate, type CertificateAndKey } from '@k8ts/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeletResponse, startKubeletServer, type KubeletServer } from './kubelet-server.ts';
import { selfSignedServingCertificate } from './serving-certificate.ts';

const now = new Date();
const quiet = { info: () => {}, warn: () => {} };

function get(port: number, path: string, client?: CertificateAndKey): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, rejectUnauthorized: false, ...(client ? { cert: client.certPem, key: client.keyPem } : {}) },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('kubeletResponse', () => {
  const metrics = async () => 'resource_scrape_error 0\n';

  it('answers 401 to a client without a cluster certificate, whatever it asks', async () => {
    expect(await kubeletResponse('GET', '/metrics/resource', false, metrics)).toEqual({ status: 401, contentType: 'text/plain; charset=utf-8', body: 'Unauthorized' });
  });

  it('serves healthz and resource metrics, 404 elsewhere', async () => {
    expect((await kubeletResponse('GET', '/healthz', true, metrics)).body).toBe('ok');
    expect(await kubeletResponse('GET', '/metrics/resource', true, metrics)).toEqual({ status: 200, contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'resource_scrape_error 0\n' });
    expect((await kubeletResponse('GET', '/pods', true, metrics)).status).toBe(404);
  });
});

describe('startKubeletServer', () => {
  let clusterCa: CertificateAndKey;
  let apiserverClient: CertificateAndKey;
  let stranger: CertificateAndKey;
  let server: KubeletServer;

  beforeAll(async () => {
    clusterCa = await createCa('kubernetes', now);
    apiserverClient = await issueCertificate(clusterCa, { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'], usages: ['client'], now });
    const otherCa = await createCa('someone-else', now);
    stranger = await issueCertificate(otherCa, { commonName: 'mallory', usages: ['client'], now });
    const tls = await selfSignedServingCertificate('node-1', { dnsNames: ['node-1'], ipAddresses: ['127.0.0.1'] }, now);
    // 192.0.2.1 (TEST-NET-1) is no address of this machine: the server falls back to 127.0.0.1.
    server = await startKubeletServer({
      nodeName: 'node-1',
      address: '192.0.2.1',
      port: 0,
      tls,
      clientCaPem: clusterCa.certPem,
      resourceMetrics: async () => 'resource_scrape_error 0\n',
      logger: quiet,
    });
  }, 30_000);
  afterAll(() => server?.close());

  it('falls back to 127.0.0.1 when the node IP cannot be bound, on a free port', () => {
    expect(server.address).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
  });

  it('serves /metrics/resource to a certificate of the cluster CA', async () => {
    expect(await get(server.port, '/metrics/resource', apiserverClient)).toEqual({ status: 200, type: 'text/plain; version=0.0.4; charset=utf-8', body: 'resource_scrape_error 0\n' });
  });

  it('rejects clients without a certificate or with one from another CA', async () => {
    expect((await get(server.port, '/metrics/resource')).status).toBe(401);
    expect((await get(server.port, '/healthz', stranger)).status).toBe(401);
  });
});

describe('a kubelet server whose port is taken', () => {
  it('fails with what it could not do, without falling back', async () => {
    const ca = await createCa('kubernetes', now);
    const tls = await issueCertificate(ca, { commonName: 'node', ipAddresses: ['127.0.0.1'], usages: ['server'], now });
    const first = await startKubeletServer({ nodeName: 'a', address: '127.0.0.1', port: 0, tls, clientCaPem: ca.certPem, resourceMetrics: async () => '', logger: quiet });
    try {
      await expect(
        startKubeletServer({ nodeName: 'b', address: '127.0.0.1', port: first.port, tls, clientCaPem: ca.certPem, resourceMetrics: async () => '', logger: quiet }),
      ).rejects.toThrow(`failed to start the kubelet server on 127.0.0.1:${first.port}: listen EADDRINUSE`);
    } finally {
      await first.close();
    }
  }, 30_000);
});
