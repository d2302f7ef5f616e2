// A transport for unit tests of the REST layer: it records each request and answers from a
// script, so retries, throttling and error handling are tested without sockets or timers.
import type { HttpRequest, HttpResponse, HttpTransport } from '../transport.ts';

export type Reply = HttpResponse | Error | ((request: HttpRequest) => HttpResponse | Error | Promise<HttpResponse>);

export function body(...chunks: (string | Buffer)[]): AsyncIterable<Uint8Array> {
  return (async function* () {
    for (const chunk of chunks) yield Buffer.from(chunk);
  })();
}

export function jsonReply(status: number, value: unknown, headers: Record<string, string[]> = {}): HttpResponse {
  return { status, headers: { 'content-type': ['application/json'], ...headers }, body: body(JSON.stringify(value)) };
}

export function networkError(code: string, message = `connect ${code}`): Error {
  return Object.assign(new Error(message), { code, address: '127.0.0.1', port: 1 });
}

/** Never answers; rejects like node:http when the request is aborted. */
export function hang(request: HttpRequest): Promise<HttpResponse> {
  return new Promise((_, reject) =>
    request.signal.addEventListener('abort', () => reject(Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' }))),
  );
}

export class ScriptedTransport {
  readonly requests: HttpRequest[] = [];
  private readonly replies: Reply[] = [];

  reply(...replies: Reply[]): this {
    this.replies.push(...replies);
    return this;
  }

  readonly transport: HttpTransport = async (request) => {
    this.requests.push(request);
    const next = this.replies.shift();
    if (next === undefined) throw new Error(`unscripted request ${request.method} ${request.url.href}`);
    const reply = typeof next === 'function' ? await next(request) : next;
    if (reply instanceof Error) throw reply;
    return reply;
  };

  /** The JSON body of request `i`. */
  sentBody(i: number): unknown {
    const raw = this.requests[i].body;
    return raw === undefined ? undefined : JSON.parse(raw.toString('utf8'));
  }
}
