// The kubelet's HTTPS server (its --port, 10250): /healthz and /metrics/resource, the
// endpoint metrics pipelines scrape. Clients authenticate with a certificate signed by the
// cluster CA (--client-ca-file); anyone else gets 401. (The real kubelet also authorizes each
// request with a SubjectAccessReview on nodes/metrics; a hollow kubelet trusts every cluster
// certificate: the apiserver's kubelet client is the only caller.)
// It binds to the node's own address, so the apiserver reaches it at the node's InternalIP;
// where that address is not one of this machine's it falls back to 127.0.0.1 and says so.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '@k8ts/client';
import { PROMETHEUS_TEXT_CONTENT_TYPE } from '../stats/resource-metrics-text.ts';

export interface KubeletServerOptions {
  nodeName: string;
  /** the address to bind (the node IP) */
  address: string;
  /** 0 picks a free port */
  port: number;
  tls: { certPem: string; keyPem: string };
  /** PEM: CAs whose client certificates are accepted */
  clientCaPem: string;
  /** the /metrics/resource body */
  resourceMetrics: () => Promise<string>;
  logger: Logger;
}

export interface KubeletServer {
  address: string;
  port: number;
  close(): Promise<void>;
}

export interface KubeletResponse {
  status: number;
  contentType: string;
  body: string;
}

const TEXT = 'text/plain; charset=utf-8';

/** What the server answers `method path` from a client whose certificate did (not) verify. */
export async function kubeletResponse(method: string, path: string, authenticated: boolean, resourceMetrics: () => Promise<string>): Promise<KubeletResponse> {
  if (!authenticated) return { status: 401, contentType: TEXT, body: 'Unauthorized' };
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, contentType: TEXT, body: '405: Method Not Allowed' };
  if (path === '/healthz') return { status: 200, contentType: TEXT, body: 'ok' };
  if (path === '/metrics/resource') return { status: 200, contentType: PROMETHEUS_TEXT_CONTENT_TYPE, body: await resourceMetrics() };
  return { status: 404, contentType: TEXT, body: '404 page not found\n' };
}

function listen(server: Server, address: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, address, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startKubeletServer(options: KubeletServerOptions): Promise<KubeletServer> {
  const server = createServer(
    { cert: options.tls.certPem, key: options.tls.keyPem, ca: options.clientCaPem, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const authenticated = (req.socket as TLSSocket).authorized === true;
      const path = new URL(req.url ?? '/', 'https://kubelet').pathname;
      kubeletResponse(req.method ?? 'GET', path, authenticated, options.resourceMetrics).then(
        (answer) => {
          res.writeHead(answer.status, { 'Content-Type': answer.contentType, 'X-Content-Type-Options': 'nosniff' });
          res.end(req.method === 'HEAD' ? undefined : answer.body);
        },
        (err: unknown) => {
          options.logger.warn(`node ${JSON.stringify(options.nodeName)}: ${path}: ${(err as Error).message}`);
          res.writeHead(500, { 'Content-Type': TEXT });
          res.end(`${(err as Error).message}\n`);
        },
      );
    },
  );
  let bound: AddressInfo;
  try {
    bound = await listen(server, options.address, options.port);
  } catch (err) {
    // Only an address this machine does not have falls back; a port in use is an error.
    if ((err as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL' || options.address === '127.0.0.1') {
      throw new Error(`failed to start the kubelet server on ${options.address}:${options.port}: ${(err as Error).message}`);
    }
    options.logger.warn(`node ${JSON.stringify(options.nodeName)}: cannot listen on the node IP ${options.address} (${(err as Error).message}); serving on 127.0.0.1 instead`);
    try {
      bound = await listen(server, '127.0.0.1', options.port);
    } catch (fallbackErr) {
      throw new Error(`failed to start the kubelet server on 127.0.0.1:${options.port}: ${(fallbackErr as Error).message}`);
    }
  }
  return {
    address: bound.address,
    port: bound.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
