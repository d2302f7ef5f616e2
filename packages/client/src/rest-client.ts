// The REST client: client-go's rest.RESTClient. Every request goes through one path —
// client-side throttling (token bucket, QPS 5 / burst 10 by default), JSON in and out, the user
// agent and credentials, an optional deadline, and up to 10 retries when the server answers
// 429/5xx with Retry-After (or, for reads, when the connection broke) — and comes back as the
// decoded object or a StatusError. Typed access per resource is ResourceClient (forKind/forResource).
import type { GroupVersionKind, KubeObject } from '@k8ts/api';
import { realClock, sleep, type Clock, type Timer } from './clock.ts';
import { Credentials } from './credentials.ts';
import { isConnectionBroken, type RequestTarget } from './errors.ts';
import { formatGoDuration } from './go-duration.ts';
import { stderrLogger, type Logger } from './logger.ts';
import { encodeQuery, type QueryParams } from './options.ts';
import { targetForKind, targetForResource, type GroupVersionResource, type ResourceTarget } from './paths.ts';
import { CANCELED, DEADLINE_EXCEEDED, describeNetworkError, RequestError } from './request-error.ts';
import { ResourceClient } from './resource-client.ts';
import { decodeResponse, parseWarnings, retryDelaySeconds } from './response.ts';
import { DEFAULT_BURST, DEFAULT_QPS, defaultUserAgent, serverUrl, type RestConfig } from './rest-config.ts';
import { TokenBucket } from './token-bucket.ts';
import { nodeTransport, type HttpResponse, type HttpTransport } from './transport.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestSpec {
  method: HttpMethod;
  /** API path, e.g. /api/v1/namespaces/default/pods (see resourcePath) */
  path: string;
  query?: QueryParams;
  /** JSON-encoded unless already a string */
  body?: unknown;
  /** defaults to application/json when there is a body */
  contentType?: string;
  /** whole-request deadline; undefined: the RestConfig's; 0: none */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** the resource and name, so errors built from non-Status bodies can name them */
  target?: RequestTarget;
}

export interface RestClientOptions {
  clock?: Clock;
  /** defaults to node:http(s) configured from the RestConfig */
  transport?: HttpTransport;
  logger?: Logger;
  /** client-go retries a request at most 10 times */
  maxRetries?: number;
  /** called with each `Warning: 299` text; defaults to logging it */
  onWarning?: (text: string) => void;
  readFile?: (path: string) => string;
}

/** A 2xx response whose body is still arriving (a watch); `close` ends it early. */
export interface OpenStream {
  body: AsyncIterable<Uint8Array>;
  close(): void;
}

/** A request's cancellation: the caller's signal, the deadline, or our own close. */
interface Call {
  signal: AbortSignal;
  timedOut(): boolean;
  /** stop the deadline timer and the caller-signal link */
  finish(): void;
  /** also abort the exchange (only while its body is still being read) */
  abort(): void;
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export class RestClient {
  readonly baseUrl: URL;
  readonly userAgent: string;
  private readonly transport: HttpTransport;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly credentials: Credentials;
  private readonly limiter: TokenBucket | undefined;
  private readonly maxRetries: number;
  private readonly onWarning: (text: string) => void;

  constructor(
    readonly config: RestConfig,
    options: RestClientOptions = {},
  ) {
    this.baseUrl = serverUrl(config);
    this.userAgent = config.userAgent ?? defaultUserAgent();
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? stderrLogger;
    this.transport = options.transport ?? nodeTransport(config, options.readFile);
    this.credentials = new Credentials(config, this.clock, options.readFile);
    this.maxRetries = options.maxRetries ?? 10;
    this.onWarning = options.onWarning ?? ((text) => this.logger.warn(`Warning: ${text}`));
    const qps = config.qps || DEFAULT_QPS;
    this.limiter = qps > 0 ? new TokenBucket(qps, config.burst || DEFAULT_BURST) : undefined;
  }

  /** Typed access to a resource by group/version/kind, e.g. {group: 'apps', version: 'v1', kind: 'Deployment'}. */
  forKind<T extends KubeObject = KubeObject>(gvk: GroupVersionKind): ResourceClient<T> {
    return new ResourceClient<T>(this, targetForKind(gvk));
  }

  /** Typed access to a resource by group/version/plural, e.g. {group: '', version: 'v1', resource: 'pods'}. */
  forResource<T extends KubeObject = KubeObject>(gvr: GroupVersionResource): ResourceClient<T> {
    return new ResourceClient<T>(this, targetForResource(gvr));
  }

  /** Access to a resource the schema does not know (a CRD), described by the caller. */
  forTarget<T extends KubeObject = KubeObject>(target: ResourceTarget): ResourceClient<T> {
    return new ResourceClient<T>(this, target);
  }

  /** Sends a request and returns its decoded JSON body (undefined when empty). */
  async request<T = unknown>(spec: RequestSpec): Promise<T> {
    const { response, body } = await this.send(spec, false);
    return decodeResponse(response.status, response.headers, body ?? Buffer.alloc(0), spec.method, spec.target) as T;
  }

  /** Sends a request whose successful response body is consumed as a stream (watch). */
  async stream(spec: RequestSpec): Promise<OpenStream> {
    const { response, body, call } = await this.send(spec, true);
    if (body !== undefined) {
      // Not a 2xx: this throws the response's error.
      decodeResponse(response.status, response.headers, body, spec.method, spec.target);
      throw new Error(`unexpected ${response.status} response to a streaming request`);
    }
    return { body: response.body, close: () => call.abort() };
  }

  urlFor(spec: Pick<RequestSpec, 'path' | 'query' | 'timeoutMs'>): URL {
    const query: QueryParams = [...(spec.query ?? [])];
    const timeoutMs = spec.timeoutMs ?? this.config.timeoutMs ?? 0;
    // client-go tells the server the deadline too, so it can give up on the request in time.
    if (timeoutMs > 0) query.push(['timeout', formatGoDuration(timeoutMs)]);
    const url = new URL(this.baseUrl.href);
    url.pathname = url.pathname.replace(/\/+$/, '') + spec.path;
    url.search = encodeQuery(query);
    return url;
  }

  private headersFor(spec: RequestSpec): Record<string, string> {
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.userAgent };
    const authorization = this.credentials.authorization();
    if (authorization) headers.Authorization = authorization;
    if (spec.body !== undefined) headers['Content-Type'] = spec.contentType ?? 'application/json';
    return headers;
  }

  private async send(spec: RequestSpec, streaming: boolean): Promise<{ response: HttpResponse; body?: Buffer; call: Call }> {
    const url = this.urlFor(spec);
    const headers = this.headersFor(spec);
    const payload = spec.body === undefined ? undefined : Buffer.from(typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body));
    // One deadline for the whole request, waits and retries included.
    const call = this.startCall(spec);
    let streamHandedOut = false;
    try {
      await this.pause(spec, url, call, this.throttleDelay(spec, url));
      for (let retries = 0; ; retries++) {
        let response: HttpResponse;
        try {
          response = await this.transport({ method: spec.method, url, headers, body: payload, signal: call.signal });
        } catch (err) {
          // A broken connection is retried for reads only: a write may already have happened.
          if (spec.method === 'GET' && isConnectionBroken(err) && !call.signal.aborted && retries < this.maxRetries) {
            await this.pauseToRetry(spec, url, call, 1);
            continue;
          }
          throw this.requestError(spec, url, err, call);
        }
        if (streaming && response.status >= 200 && response.status <= 206) {
          this.reportWarnings(response);
          streamHandedOut = true;
          return { response, call };
        }
        let body: Buffer;
        try {
          body = await readAll(response.body);
        } catch (err) {
          throw this.requestError(spec, url, err, call);
        }
        const waitSeconds = retryDelaySeconds(response.status, response.headers);
        if (waitSeconds !== undefined && retries < this.maxRetries) {
          await this.pauseToRetry(spec, url, call, waitSeconds);
          continue;
        }
        this.reportWarnings(response);
        return { response, body, call };
      }
    } finally {
      if (!streamHandedOut) call.finish();
    }
  }

  private startCall(spec: RequestSpec): Call {
    const controller = new AbortController();
    const onCallerAbort = (): void => controller.abort();
    spec.signal?.addEventListener('abort', onCallerAbort, { once: true });
    if (spec.signal?.aborted) controller.abort();
    const timeoutMs = spec.timeoutMs ?? this.config.timeoutMs ?? 0;
    let timedOut = false;
    let timer: Timer | undefined;
    if (timeoutMs > 0) {
      timer = this.clock.setTimer(timeoutMs, () => {
        timedOut = true;
        controller.abort();
      });
    }
    const finish = (): void => {
      timer?.cancel();
      spec.signal?.removeEventListener('abort', onCallerAbort);
    };
    return {
      signal: controller.signal,
      timedOut: () => timedOut,
      finish,
      abort: () => {
        finish();
        controller.abort();
      },
    };
  }

  private requestError(spec: RequestSpec, url: URL, err: unknown, call: Call): RequestError {
    const problem = call.timedOut() ? DEADLINE_EXCEEDED : call.signal.aborted ? CANCELED : describeNetworkError(err);
    return new RequestError(spec.method, url.href, problem, { cause: err });
  }

  /** Takes a token from the client-side rate limiter; returns how long to wait for it. */
  private throttleDelay(spec: RequestSpec, url: URL): number {
    if (!this.limiter) return 0;
    const delayMs = this.limiter.reserve(this.clock.now());
    if (delayMs > 1000) {
      this.logger.info(`Waited for ${formatGoDuration(delayMs)} due to client-side throttling, not priority and fairness, request: ${spec.method}:${url.href}`);
    }
    return delayMs;
  }

  /** Waits, unless the call is cancelled or runs out of time first. */
  private async pause(spec: RequestSpec, url: URL, call: Call, delayMs: number): Promise<void> {
    if (delayMs <= 0 && !call.signal.aborted) return;
    if (!(await sleep(this.clock, delayMs, call.signal))) throw this.requestError(spec, url, undefined, call);
  }

  /** Before a retry: the server's Retry-After, then a token like any request. */
  private async pauseToRetry(spec: RequestSpec, url: URL, call: Call, seconds: number): Promise<void> {
    await this.pause(spec, url, call, seconds * 1000);
    await this.pause(spec, url, call, this.throttleDelay(spec, url));
  }

  private reportWarnings(response: HttpResponse): void {
    for (const text of parseWarnings(response.headers)) this.onWarning(text);
  }
}
