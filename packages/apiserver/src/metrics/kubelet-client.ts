// The apiserver's HTTPS client towards kubelets (--kubelet-client-certificate/--kubelet-client-key,
// kubeadm's apiserver-kubelet-client.crt), verifying the kubelet's serving certificate only when
// --kubelet-certificate-authority is given (kubelets serve self-signed certificates by default).
import { request } from 'node:https';
import type { KubeletAddress, ResourceMetricsFetcher } from './scraper.ts';

export interface KubeletClientTls {
  certPem: string;
  keyPem: string;
  /** PEM; when absent the kubelet's certificate is not verified */
  caPem?: string;
}

/** Scrapes bigger than this are refused (a kubelet with thousands of containers stays far below). */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export function kubeletMetricsFetcher(tls: KubeletClientTls): ResourceMetricsFetcher {
  return (kubelet: KubeletAddress, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const host = kubelet.host.includes(':') ? `[${kubelet.host}]` : kubelet.host;
      const req = request(
        {
          host: kubelet.host,
          port: kubelet.port,
          path: '/metrics/resource',
          method: 'GET',
          cert: tls.certPem,
          key: tls.keyPem,
          ...(tls.caPem ? { ca: tls.caPem, rejectUnauthorized: true } : { rejectUnauthorized: false }),
          timeout: timeoutMs,
          headers: { Accept: 'text/plain' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) req.destroy(new Error(`response from https://${host}:${kubelet.port}/metrics/resource is larger than ${MAX_RESPONSE_BYTES} bytes`));
            else chunks.push(chunk);
          });
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode === 200) resolve(body);
            else reject(new Error(`request failed, status: "${res.statusCode} ${res.statusMessage ?? ''}"`));
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`Get "https://${host}:${kubelet.port}/metrics/resource": context deadline exceeded`)));
      req.on('error', reject);
      req.end();
    });
}
