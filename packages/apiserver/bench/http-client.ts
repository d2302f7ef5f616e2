// The load generator's HTTP/1.1 client: one keep-alive agent per phase, so N concurrent
// clients reuse N connections as client-go's transports do instead of paying a TCP handshake
// per request. Bodies are read whole; a non-2xx answer rejects with the Status message.
import http from 'node:http';

export interface ApiResponse {
  status: number;
  body: Buffer;
}

export interface RequestOptions {
  body?: string;
  /** Accept header; JSON when unset. */
  accept?: string;
}

export class ApiClient {
  private readonly agent: http.Agent;
  private readonly host: string;
  private readonly port: number;

  /** `connections`: the most sockets open at once (requests beyond it queue in the agent). */
  constructor(baseUrl: string, connections: number) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  }

  request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    return new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = { Accept: options.accept ?? 'application/json', 'User-Agent': 'k8ts-bench/0.1' };
      if (options.body !== undefined) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = Buffer.byteLength(options.body);
      }
      const request = http.request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('error', reject);
        response.once('end', () => {
          const status = response.statusCode ?? 0;
          const body = Buffer.concat(chunks);
          if (status >= 200 && status < 300) resolve({ status, body });
          else reject(new Error(`${method} ${path}: ${status} ${statusMessage(body)}`));
        });
      });
      request.once('error', reject);
      request.end(options.body);
    });
  }

  /** Sends a JSON body and answers the decoded JSON response. */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.request(method, path, body === undefined ? {} : { body: JSON.stringify(body) });
    return JSON.parse(response.body.toString('utf8')) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The message of a Kubernetes Status body, or the body's start when it is not one. */
function statusMessage(body: Buffer): string {
  const text = body.toString('utf8');
  try {
    const status = JSON.parse(text) as { message?: unknown };
    if (typeof status.message === 'string') return status.message;
  } catch {
    // Not JSON: show the text itself.
  }
  return text.slice(0, 200);
}
