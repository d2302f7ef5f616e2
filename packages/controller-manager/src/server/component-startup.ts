// How kube-scheduler and kube-controller-manager come up, alike: load the client configuration
// and wait for a healthy apiserver, saying what is wrong and retrying with backoff, so that a
// component started before the apiserver (as `k8ts up` and kubeadm's static pods do) simply waits.
import { errorMessage, isUnauthorized, sleep, type Clock, type HttpTransport, type Logger, type RestClient, type RestConfig } from '@k8ts/client';

const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 16_000;

/** What a component process runs with; tests inject each part. */
export interface ComponentEnvironment {
  /** progress lines and warnings */
  logger: Logger;
  /** where the apiserver is and who we are (the kubeconfig, as kubectl reads it); may throw */
  loadConfig(): RestConfig;
  readFile(path: string): string;
  hostname: string;
  uuid(): string;
  clock: Clock;
  random?: () => number;
  /** replaces node:http(s) under every client (tests) */
  transport?: HttpTransport;
}

/** Repeats `attempt` until it succeeds, saying what is wrong and backing off (1 s … 16 s); undefined once `signal` aborts. */
export async function retrying<T>(signal: AbortSignal, env: ComponentEnvironment, what: string, attempt: () => Promise<T>): Promise<T | undefined> {
  let delay = RETRY_MIN_MS;
  while (!signal.aborted) {
    try {
      return await attempt();
    } catch (err) {
      env.logger.warn(`${what}: ${errorMessage(err)} (retrying in ${delay / 1000}s)`);
      if (!(await sleep(env.clock, delay, signal))) return undefined;
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    }
  }
  return undefined;
}

/** GET /healthz must answer "ok" (genericcontrollermanager.WaitForAPIServer). */
export async function apiserverHealth(client: RestClient): Promise<true> {
  let stream;
  try {
    stream = await client.stream({ method: 'GET', path: '/healthz', timeoutMs: 10_000 });
  } catch (err) {
    if (isUnauthorized(err)) throw new Error(`${errorMessage(err)}: the apiserver does not accept our credentials; check the user in the kubeconfig`, { cause: err });
    throw err;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream.body) chunks.push(Buffer.from(chunk));
  const body = Buffer.concat(chunks).toString('utf8').trim();
  if (body !== 'ok') throw new Error(`the apiserver is not healthy yet: ${JSON.stringify(body.slice(0, 200))}`);
  return true;
}
