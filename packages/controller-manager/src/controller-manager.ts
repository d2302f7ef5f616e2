// The controller manager process (kube-controller-manager's Run): serve /healthz and /metrics,
// connect to the apiserver, contend for the Lease kube-system/kube-controller-manager, and
// while leading run every enabled controller on one set of shared informers. Losing the lease
// ends the process (exit code 1) so that it restarts as a standby and can never act beside a
// new leader; a SIGTERM stops the controllers and releases the lease so a standby takes over
// at once.
import { X509Certificate } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import {
  defaultUserAgent,
  errorMessage,
  eventSinkFor,
  EventRecorder,
  RateLimitingQueue,
  type RateLimiter,
  RestClient,
  SharedInformerFactory,
  type RestConfig,
} from '@k8ts/client';
import { RootClientBuilder, ServiceAccountClientBuilder, type ControllerClientBuilder } from './client-builder.ts';
import { isNotStarted, type Controller, type ControllerContext } from './controller/context.ts';
import { isControllerEnabled, KNOWN_CONTROLLERS } from './controller-names.ts';
import { CONTROLLER_STARTERS } from './controllers.ts';
import { METRICS_CONTENT_TYPE, MetricsRegistry } from './metrics/registry.ts';
import { WorkqueueMetricsProvider } from './metrics/workqueue-metrics.ts';
import type { ControllerManagerOptions } from './options/options.ts';
import { apiserverHealth, retrying, type ComponentEnvironment } from './server/component-startup.ts';
import { Healthz } from './server/healthz.ts';
import { runAsLeader } from './server/run-as-leader.ts';
import { NOT_FOUND, selfSignedServingCertificate, serveSecurely, type SecureServer, type ServingCertificate } from './server/secure-serving.ts';

/** kube-controller-manager's user agent program name and event source component. */
export const COMPONENT = 'kube-controller-manager';

export type RunEnvironment = ComponentEnvironment;

/** Runs until `signal` aborts (exit code 0) or leadership is lost or a controller fails to start (1). */
export async function runControllerManager(options: ControllerManagerOptions, signal: AbortSignal, env: RunEnvironment): Promise<number> {
  const { logger, clock } = env;
  // Every informer, worker loop and timer listens on the same few signals: that is no leak.
  setMaxListeners(0, signal);
  const metrics = new MetricsRegistry();
  const healthz = new Healthz();
  const server = await startServing(options, env, metrics, healthz);
  logger.info(`serving /healthz and /metrics on ${server.url}`);
  try {
    const config = await retrying(signal, env, 'cannot load the client configuration', () => Promise.resolve(env.loadConfig()));
    if (!config) return 0;
    const restConfig: RestConfig = { ...config, qps: options.qps, burst: options.burst };
    const builder = new RootClientBuilder(restConfig, defaultUserAgent(COMPONENT), { clock, transport: env.transport, logger });
    const root = await builder.clientFor(COMPONENT);
    const healthy = await retrying(signal, env, `waiting for the apiserver at ${root.baseUrl.origin}`, () => apiserverHealth(root));
    if (!healthy) return 0;
    logger.info(`the apiserver at ${root.baseUrl.origin} is healthy`);
    const start = (leading: AbortSignal): Promise<void> => runControllers(options, leading, env, { restConfig, builder, root, metrics, healthz });
    if (!options.leaderElection.leaderElect) {
      await start(signal);
      return 0;
    }
    return await runAsLeader(
      {
        component: COMPONENT,
        election: options.leaderElection,
        restConfig,
        recorder: new EventRecorder(eventSinkFor(root), { component: COMPONENT }, { clock, logger }),
        metrics,
        healthChecks: [healthz],
        starting: 'starting controllers',
        run: start,
      },
      signal,
      env,
    );
  } catch (err) {
    logger.warn(errorMessage(err));
    return 1;
  } finally {
    await server.close();
  }
}

async function startServing(options: ControllerManagerOptions, env: RunEnvironment, metrics: MetricsRegistry, healthz: Healthz): Promise<SecureServer> {
  let certificate: ServingCertificate;
  if (options.tlsCertFile) certificate = { certPem: env.readFile(options.tlsCertFile), keyPem: env.readFile(options.tlsPrivateKeyFile) };
  else certificate = await selfSignedServingCertificate(new Date(env.clock.now()));
  return serveSecurely(options.bindAddress, options.securePort, certificate, (method, url) => {
    if (url.pathname === '/metrics') return method === 'GET' ? { status: 200, contentType: METRICS_CONTENT_TYPE, body: metrics.expose() } : NOT_FOUND;
    const answer = healthz.handle(url.pathname, url.searchParams);
    if (!answer) return NOT_FOUND;
    if (answer.logDetail) env.logger.warn(answer.logDetail.trimEnd());
    return { status: answer.status, contentType: 'text/plain; charset=utf-8', body: answer.body };
  });
}

interface Connection {
  restConfig: RestConfig;
  builder: RootClientBuilder;
  root: RestClient;
  metrics: MetricsRegistry;
  healthz: Healthz;
}

/** Builds every enabled controller, starts the shared informers, and runs them until `signal` aborts. */
async function runControllers(options: ControllerManagerOptions, signal: AbortSignal, env: RunEnvironment, connection: Connection): Promise<void> {
  const { logger, clock } = env;
  setMaxListeners(0, signal);
  const queueMetrics = new WorkqueueMetricsProvider(connection.metrics, clock);
  const informerClient = await connection.builder.clientFor('shared-informers');
  const random = env.random ?? Math.random;
  const informers = new SharedInformerFactory(informerClient, {
    // Between --min-resync-period and twice that, so informers do not all resync at once.
    defaultResyncMs: options.minResyncPeriodMs * (1 + random()),
    clock,
    random,
    logger,
  });
  const clients: ControllerClientBuilder = options.useServiceAccountCredentials
    ? new ServiceAccountClientBuilder(connection.restConfig, connection.root, defaultUserAgent(COMPONENT), { clock, logger, transport: env.transport })
    : connection.builder;
  const ctx: ControllerContext = {
    options,
    informers,
    clientFor: (name) => clients.clientFor(name),
    rootClient: await connection.builder.clientFor('tokens-controller'),
    newQueue: <K>(name: string, rateLimiter?: RateLimiter<K>) => new RateLimitingQueue<K>({ clock, rateLimiter, metrics: queueMetrics.forQueue<K>(name) }),
    eventRecorder: (client, component) => new EventRecorder(eventSinkFor(client), { component }, { clock, random, logger }),
    rootCa: rootCaBundle(options, connection.restConfig, env),
    readFile: env.readFile,
    clock,
    logger,
  };
  const started: { name: string; controller: Controller }[] = [];
  for (const starter of CONTROLLER_STARTERS) {
    if (!isControllerEnabled(starter.name, options.controllers)) {
      logger.info(`Warning: controller is disabled: ${starter.name}`);
      continue;
    }
    let result;
    try {
      result = await starter.init(ctx);
    } catch (err) {
      throw new Error(`Error starting controller ${starter.name}: ${errorMessage(err)}`, { cause: err });
    }
    if (isNotStarted(result)) {
      logger.warn(`skipping controller ${starter.name}: ${result.notStarted}`);
      continue;
    }
    started.push({ name: starter.name, controller: result });
    connection.healthz.add({ name: starter.name, check: () => undefined });
  }
  const implemented = new Set(CONTROLLER_STARTERS.map((s) => s.name));
  const missing = KNOWN_CONTROLLERS.filter((c) => !c.cloudProvider && !implemented.has(c.name) && isControllerEnabled(c.name, options.controllers));
  logger.info(`started controllers: ${started.map((s) => s.name).join(', ') || '(none)'}`);
  if (missing.length > 0) logger.info(`not implemented in k8ts yet: ${missing.map((c) => c.name).join(', ')}`);
  informers.start(signal);
  await Promise.all(started.map(({ controller }) => controller.run(signal)));
  await informers.shutdown();
}

/**
 * The CA bundle controllers publish: --root-ca-file (which must hold certificates), else the
 * CA the kubeconfig trusts the apiserver with, else nothing.
 */
function rootCaBundle(options: ControllerManagerOptions, config: RestConfig, env: RunEnvironment): string {
  if (options.rootCaFile !== '') {
    let bundle: string;
    try {
      bundle = env.readFile(options.rootCaFile);
      const blocks = bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
      if (blocks.length === 0) throw new Error('data does not contain any valid RSA or ECDSA certificates');
      for (const block of blocks) new X509Certificate(block);
    } catch (err) {
      throw new Error(`error parsing root-ca-file at ${options.rootCaFile}: ${errorMessage(err)}`, { cause: err });
    }
    return bundle;
  }
  if (config.tls?.caData) return config.tls.caData;
  if (config.tls?.caFile) return env.readFile(config.tls.caFile);
  return '';
}
