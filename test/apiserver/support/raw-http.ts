// Raw HTTP against the apiserver's insecure port, with nothing between the test and the wire:
// any method, any bytes, any Content-Type (or none). Bad-input and fuzz tests need exactly what
// fetch() would "fix" for them, so this uses node:http with a keep-alive agent.
import http from 'node:http';

export interface RawRequest {
  method: string;
  /** path and query, e.g. "/api/v1/namespaces/default/configmaps?limit=1" */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** The Status object every failed request must answer with (contract §5.1). */
export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: Record<string, unknown>;
  code: number;
}

export class RawHttp {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(baseUrl: string, maxSockets = 16) {
    this.base = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /** Sends one request and reads the whole answer; rejects only when no answer arrives. */
  send(request: RawRequest, timeoutMs = 15_000): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body);
      const req = http.request(
        {
          host: this.base.hostname,
          port: this.base.port,
          method: request.method,
          path: request.path,
          agent: this.agent,
          headers: { ...request.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            clearTimeout(timer);
            const all = Buffer.concat(chunks);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: all, text: all.toString('utf8') });
          });
          res.on('error', reject);
        },
      );
      const timer = setTimeout(() => req.destroy(new Error(`no complete answer in ${timeoutMs} ms: ${request.method} ${request.path}`)), timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(body);
    });
  }

  /** JSON body shorthand. */
  json(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<RawResponse> {
    return this.send({
      method,
      path,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'Content-Type': contentType } }),
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Parses a response body as JSON, failing with the raw text when it is not. */
export function parseJson(response: RawResponse): unknown {
  try {
    return JSON.parse(response.text);
  } catch {
    throw new Error(`HTTP ${response.status} body is not JSON: ${response.text.slice(0, 500)}`);
  }
}

/** A failure Status as Kubernetes writes it: the fields in this order, empty ones left out. */
export function failure(code: number, reason: string | undefined, message: string, details?: Record<string, unknown>): StatusBody {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    ...(reason ? { reason } : {}),
    ...(details ? { details } : {}),
    code,
  };
}

/**
 * Why `response` is not a well-formed failure Status whose code is its HTTP status, or
 * undefined when it is one. Used by the fuzz run, which cannot know the exact message.
 */
export function statusProblem(response: RawResponse): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    return `body is not JSON: ${JSON.stringify(response.text.slice(0, 200))}`;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body is not a JSON object';
  const s = body as Record<string, unknown>;
  if (s.kind !== 'Status' || s.apiVersion !== 'v1') return `kind/apiVersion are ${String(s.kind)}/${String(s.apiVersion)}`;
  if (s.status !== 'Failure') return `status is ${String(s.status)}`;
  if (s.code !== response.status) return `code ${String(s.code)} differs from HTTP ${response.status}`;
  if (typeof s.message !== 'string' || s.message === '') return 'no message';
  if (s.reason !== undefined && (typeof s.reason !== 'string' || s.reason === '')) return 'reason is not a non-empty string';
  if (JSON.stringify(s.metadata) !== '{}') return 'metadata is not {}';
  if (!String(response.headers['content-type'] ?? '').startsWith('application/json')) return `Content-Type is ${String(response.headers['content-type'])}`;
  return undefined;
}
