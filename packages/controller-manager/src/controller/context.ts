// What a controller is given when it starts (kube-controller-manager's ControllerContext): the
// shared informers, a client under the controller's own identity, a way to make its named work
// queues (so their metrics are published), the options, the clock and the logger.
import type { Clock, EventRecorder, Logger, RateLimiter, RateLimitingQueue, RestClient, SharedInformerFactory } from '@k8ts/client';
import type { ControllerManagerOptions } from '../options/options.ts';

export interface ControllerContext {
  options: ControllerManagerOptions;
  /** one informer per resource for the whole process; started after every controller is built */
  informers: SharedInformerFactory;
  /**
   * A client for the named controller identity: its own ServiceAccount in kube-system with
   * --use-service-account-credentials, else the controller manager's own credentials.
   */
  clientFor(serviceAccountName: string): Promise<RestClient>;
  /** the controller manager's own client (the service-account token controller uses it) */
  rootClient: RestClient;
  /**
   * An event recorder writing with `client` (the controller's own identity), its events' source
   * component being `component` ("replicaset-controller", "node-controller", …).
   */
  eventRecorder(client: RestClient, component: string): EventRecorder;
  /**
   * a rate-limited queue whose workqueue_* metrics carry `name`; client-go's default controller
   * rate limiter unless the controller brings its own (the Job controller's 1 s–1 min back-off)
   */
  newQueue<K>(name: string, rateLimiter?: RateLimiter<K>): RateLimitingQueue<K>;
  /** the CA bundle that verifies the apiserver: --root-ca-file, else the kubeconfig's */
  rootCa: string;
  readFile(path: string): string;
  clock: Clock;
  logger: Logger;
}

/** A running control loop: `run` reconciles until `signal` aborts. */
export interface Controller {
  run(signal: AbortSignal): Promise<void>;
}

/** Why a controller that is enabled was not started (e.g. a flag it needs is missing). */
export interface NotStarted {
  notStarted: string;
}

/** How the controller manager starts one of its controllers. */
export interface ControllerStarter {
  /** the canonical name (`--controllers`) */
  name: string;
  init(ctx: ControllerContext): Promise<Controller | NotStarted>;
}

export function isNotStarted(result: Controller | NotStarted): result is NotStarted {
  return 'notStarted' in result;
}
