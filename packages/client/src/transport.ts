// The HTTP edge: one function from request to response, so the REST client above it is plain
// logic that tests drive with a scripted transport. The real one is node:http/https with a
// keep-alive agent carrying the TLS settings of the RestConfig (CA, client certificate, SNI name).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { hasCA, serverUrl, type RestConfig } from './rest-config.ts';

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  signal: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** lower-case names; repeated headers keep every value */
  headers: Record<string, string[]>;
  body: AsyncIterable<Uint8Array>;
}

export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

export function headerValue(headers: Record<string, string[]>, name: string): string | undefined {
  return headers[name.toLowerCase()]?.[0];
}

function pem(data: string | undefined, file: string | undefined, readFile: (path: string) => string): string | undefined {
  if (data) return data;
  return file ? readFile(file) : undefined;
}

/** The transport for a RestConfig over node:http(s). TLS files are read once, here. */
export function nodeTransport(config: RestConfig, readFile: (path: string) => string = (path) => readFileSync(path, 'utf8')): HttpTransport {
  const base = serverUrl(config);
  const tls = config.tls ?? {};
  if (tls.insecure && hasCA(tls)) throw new Error('specifying a root certificates file with the insecure flag is not allowed');
  const agent =
    base.protocol === 'https:'
      ? new https.Agent({
          keepAlive: true,
          ca: pem(tls.caData, tls.caFile, readFile),
          cert: pem(tls.certData, tls.certFile, readFile),
          key: pem(tls.keyData, tls.keyFile, readFile),
          rejectUnauthorized: tls.insecure !== true,
          ...(tls.serverName ? { servername: tls.serverName } : {}),
        })
      : new http.Agent({ keepAlive: true });
  const send = base.protocol === 'https:' ? https.request : http.request;

  return (request) =>
    new Promise<HttpResponse>((resolve, reject) => {
      const headers = request.body ? { ...request.headers, 'Content-Length': String(request.body.length) } : request.headers;
      const outgoing = send(request.url, { method: request.method, headers, agent, signal: request.signal }, (incoming) => {
        const responseHeaders: Record<string, string[]> = {};
        for (let i = 0; i < incoming.rawHeaders.length; i += 2) {
          const name = incoming.rawHeaders[i].toLowerCase();
          (responseHeaders[name] ??= []).push(incoming.rawHeaders[i + 1]);
        }
        resolve({ status: incoming.statusCode ?? 0, headers: responseHeaders, body: incoming });
      });
      outgoing.on('error', reject);
      outgoing.end(request.body);
    });
}
