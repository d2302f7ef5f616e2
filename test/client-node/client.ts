// What a TypeScript program needs to talk to a k8ts apiserver through @kubernetes/client-node:
// a kubeconfig for the insecure URL, the Status inside a failed call, and a Watch that lets a
// test decide when the informer may reconnect.
import { ApiException, KubeConfig, Watch } from '@kubernetes/client-node';
import type { Status } from '@k8ts/api';

/**
 * The kubeconfig a user would write for a development apiserver (no credentials). client-node
 * refuses plain http:// unless TLS verification is switched off, hence insecure-skip-tls-verify.
 */
export function kubeConfigFor(server: string): KubeConfig {
  const config = new KubeConfig();
  config.loadFromString(
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: k8ts',
      '  cluster:',
      `    server: ${server}`,
      '    insecure-skip-tls-verify: true',
      'contexts:',
      '- name: k8ts',
      '  context:',
      '    cluster: k8ts',
      '    user: admin',
      'current-context: k8ts',
      'users:',
      '- name: admin',
      '  user: {}',
    ].join('\n'),
  );
  return config;
}

/** The HTTP code and Status object of a failed API call (client-node keeps the body as text). */
export async function failure(call: Promise<unknown>): Promise<{ code: number; status: Status }> {
  try {
    await call;
  } catch (err) {
    if (!(err instanceof ApiException)) throw err;
    const body = err.body as unknown;
    return { code: err.code, status: (typeof body === 'string' ? JSON.parse(body) : body) as Status };
  }
  throw new Error('expected the call to fail');
}

/** Polls `check` until it stops throwing (assertions inside), or rethrows its last failure. */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

export interface WatchRequest {
  path: string;
  resourceVersion: string | undefined;
}

/**
 * A Watch whose watches the server ends after `timeoutSeconds` (client-go sends it too; the
 * apiserver otherwise ends them after 30–60 minutes), and whose reconnects can be held at a
 * gate so a test can change things while the informer is disconnected.
 */
export class GatedWatch extends Watch {
  readonly requests: WatchRequest[] = [];
  /** the ERROR events the server sent (e.g. 410 Expired) */
  readonly errors: Status[] = [];
  private held: (() => void)[] = [];
  private closed = false;
  private shutDown = false;
  private readonly controllers = new Set<AbortController>();

  constructor(config: KubeConfig, private readonly timeoutSeconds: number) {
    super(config);
  }

  /** Watches started from now on wait until open(). */
  close(): void {
    this.closed = true;
  }

  open(): void {
    this.closed = false;
    for (const release of this.held.splice(0)) release();
  }

  /** How many watch calls are waiting at the gate. */
  get waiting(): number {
    return this.held.length;
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: any, watchObj?: any) => void,
    done: (err: any) => void,
  ): Promise<AbortController> {
    if (this.closed) await new Promise<void>((release) => this.held.push(release));
    if (this.shutDown) return new AbortController();
    this.requests.push({ path, resourceVersion: queryParams.resourceVersion === undefined ? undefined : String(queryParams.resourceVersion) });
    const onEvent = (phase: string, object: any, raw?: any): void => {
      if (phase === 'ERROR') this.errors.push(object as Status);
      callback(phase, object, raw);
    };
    const controller = await super.watch(path, { ...queryParams, timeoutSeconds: this.timeoutSeconds }, onEvent, done);
    this.controllers.add(controller);
    return controller;
  }

  /** Ends every watch this object started and starts no more (ListWatch.stop can miss one that is reconnecting). */
  shutdown(): void {
    this.shutDown = true;
    this.open();
    for (const controller of this.controllers) controller.abort();
  }
}
