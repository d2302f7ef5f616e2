// The scheduler process (kube-scheduler's Run): serve /healthz, /livez, /readyz, /metrics and
// the explain endpoint; connect to the apiserver; contend for the Lease kube-system/kube-scheduler
// and, while leading, schedule. Losing the lease ends the process (exit code 1) so that it
// restarts as a standby and never schedules beside a new leader; SIGTERM releases the lease.
import { setMaxListeners } from 'node:events';
import {
  defaultUserAgent,
  errorMessage,
  eventSinkFor,
  EventRecorder,
  isUnauthorized,
  LeaderElector,
  LeaseLock,
  RestClient,
  SharedInformerFactory,
  sleep,
  type Clock,
  type HttpTransport,
  type Lease,
  type Logger,
  type RestConfig,
} from '@k8ts/client';
import { GaugeVec, MetricsRegistry } from '@k8ts/controller-manager/metrics/registry.ts';
import { Healthz } from '@k8ts/controller-manager/server/healthz.ts';
import { selfSignedServingCertificate, serveSecurely, type SecureServer, type ServingCertificate } from '@k8ts/controller-manager/server/secure-serving.ts';
import { DecisionLog } from './debug/decision-log.ts';
import type { SchedulerOptions } from './options/options.ts';
import { Scheduler } from './scheduler/scheduler.ts';
import { schedulerHandler } from './server/scheduler-server.ts';

/** kube-scheduler's user agent program name. */
export const COMPONENT = 'kube-scheduler';
/** A leader whose renewals have been stuck this much longer than a lease fails /healthz. */
const MAX_TOLERABLE_EXPIRED_LEASE_MS = 20_000;
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 16_000;

export interface SchedulerEnvironment {
  logger: Logger;
  /** where the apiserver is and who we are; may throw */
  loadConfig(): RestConfig;
  readFile(path: string): string;
  hostname: string;
  uuid(): string;
  clock: Clock;
  random?: () => number;
  transport?: HttpTransport;
}

interface Connection {
  restConfig: RestConfig;
  client: RestClient;
  /** events get a client of their own, so that they never hold up bindings (kube-scheduler's EventClient) */
  recorder: EventRecorder;
}

/** Runs until `signal` aborts (exit code 0), or leadership is lost or the process fails (1). */
export async function runScheduler(options: SchedulerOptions, signal: AbortSignal, env: SchedulerEnvironment): Promise<number> {
  const { logger, clock } = env;
  setMaxListeners(0, signal);
  const metrics = new MetricsRegistry();
  const decisions = new DecisionLog();
  const health = new Healthz();
  const ready = new Healthz();
  health.add({ name: 'ping', check: () => undefined });
  ready.add({ name: 'ping', check: () => undefined });
  const server = await startServing(options, env, { health, ready, metrics, decisions, logFailure: (detail) => logger.warn(detail) });
  logger.info(`serving /healthz, /readyz, /metrics and /debug/scheduler/explain on ${server.url}`);
  try {
    const config = await retrying(signal, env, 'cannot load the client configuration', () => Promise.resolve(env.loadConfig()));
    if (!config) return 0;
    const restConfig: RestConfig = { ...config, qps: options.qps, burst: options.burst, userAgent: defaultUserAgent(COMPONENT) };
    const client = new RestClient(restConfig, { clock, transport: env.transport, logger });
    const healthy = await retrying(signal, env, `waiting for the apiserver at ${client.baseUrl.origin}`, () => apiserverHealth(client));
    if (!healthy) return 0;
    logger.info(`the apiserver at ${client.baseUrl.origin} is healthy`);
    const eventClient = new RestClient(restConfig, { clock, transport: env.transport, logger });
    const recorder = new EventRecorder(eventSinkFor(eventClient), { component: options.scheduling.schedulerNames[0]! }, { clock, random: env.random, logger });
    const connection: Connection = { restConfig, client, recorder };
    let synced = false;
    ready.add({ name: 'sched-handler-sync', check: () => (synced ? undefined : 'waiting for the informers to sync') });
    const schedule = async (leading: AbortSignal): Promise<void> => {
      setMaxListeners(0, leading);
      const informers = new SharedInformerFactory(client, { clock, random: env.random, logger });
      const scheduler = new Scheduler({
        client,
        informers,
        recorder,
        scheduling: options.scheduling,
        clock,
        random: env.random,
        logger,
        verbosity: options.verbosity,
        metrics,
        decisions,
        onSynced: () => (synced = true),
      });
      await scheduler.run(leading);
      await informers.shutdown();
    };
    if (!options.leaderElection.leaderElect) {
      await schedule(signal);
      return 0;
    }
    return await leadAndSchedule(options, signal, env, connection, { metrics, health, ready }, schedule);
  } catch (err) {
    logger.warn(errorMessage(err));
    return 1;
  } finally {
    await server.close();
  }
}

async function startServing(
  options: SchedulerOptions,
  env: SchedulerEnvironment,
  parts: Parameters<typeof schedulerHandler>[0],
): Promise<SecureServer> {
  let certificate: ServingCertificate;
  if (options.tlsCertFile) certificate = { certPem: env.readFile(options.tlsCertFile), keyPem: env.readFile(options.tlsPrivateKeyFile) };
  else certificate = await selfSignedServingCertificate(new Date(env.clock.now()));
  return serveSecurely(options.bindAddress, options.securePort, certificate, schedulerHandler(parts));
}

/** Repeats `attempt` until it succeeds, saying what is wrong and backing off (1 s … 16 s). */
async function retrying<T>(signal: AbortSignal, env: SchedulerEnvironment, what: string, attempt: () => Promise<T>): Promise<T | undefined> {
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

/** GET /healthz must answer "ok". */
async function apiserverHealth(client: RestClient): Promise<true> {
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

async function leadAndSchedule(
  options: SchedulerOptions,
  signal: AbortSignal,
  env: SchedulerEnvironment,
  connection: Connection,
  served: { metrics: MetricsRegistry; health: Healthz; ready: Healthz },
  schedule: (leading: AbortSignal) => Promise<void>,
): Promise<number> {
  const { logger, clock } = env;
  const election = options.leaderElection;
  const identity = `${env.hostname}_${env.uuid()}`;
  const leaderGauge = served.metrics.register(
    new GaugeVec({
      name: 'leader_election_master_status',
      help: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease. Please make sure to group by name.",
      stability: 'ALPHA',
      labelNames: ['name'],
    }),
  );
  // Lease calls give up within half the renew deadline, so one slow call cannot use it all up.
  const leaseClient = new RestClient(
    { ...connection.restConfig, timeoutMs: Math.max(1000, election.renewDeadlineMs / 2), userAgent: `${defaultUserAgent(COMPONENT)}/leader-election` },
    { clock, transport: env.transport, logger },
  );
  const leases = leaseClient.forResource<Lease>({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases' }).namespace(election.resourceNamespace);
  const lock = new LeaseLock(leases, election.resourceNamespace, election.resourceName, identity, connection.recorder);
  const stopLeading = new AbortController();
  let scheduling: Promise<void> = Promise.resolve();
  let failed: unknown;
  let led = false;
  const elector = new LeaderElector({
    lock,
    leaseDurationMs: election.leaseDurationMs,
    renewDeadlineMs: election.renewDeadlineMs,
    retryPeriodMs: election.retryPeriodMs,
    releaseOnCancel: true,
    clock,
    random: env.random,
    logger,
    callbacks: {
      onStartedLeading: (leading) => {
        led = true;
        logger.info(`became the leader (${identity}); starting to schedule`);
        leaderGauge.set({ name: election.resourceName }, 1);
        scheduling = schedule(leading).catch((err) => {
          failed = err;
          stopLeading.abort();
        });
      },
      onStoppedLeading: () => leaderGauge.set({ name: election.resourceName }, 0),
      onNewLeader: (holder) => {
        if (holder !== '' && holder !== identity) logger.info(`the leader is ${holder}`);
      },
    },
  });
  const leaderCheck = { name: 'leaderElection', check: () => elector.check(MAX_TOLERABLE_EXPIRED_LEASE_MS) };
  served.health.add(leaderCheck);
  served.ready.add(leaderCheck);
  logger.info(`leader election identity ${identity}`);
  const onStop = (): void => stopLeading.abort();
  signal.addEventListener('abort', onStop, { once: true });
  try {
    await elector.run(stopLeading.signal);
  } finally {
    signal.removeEventListener('abort', onStop);
  }
  await scheduling;
  // Let the last events reach the apiserver, but do not wait on a dead one.
  const flushed = new AbortController();
  await Promise.race([connection.recorder.flush(), sleep(clock, 2_000, flushed.signal)]);
  flushed.abort();
  if (failed !== undefined) throw failed;
  if (signal.aborted) {
    logger.info(led ? `stopped leading ${election.resourceNamespace}/${election.resourceName}; exiting` : 'stopped');
    return 0;
  }
  logger.warn('leaderelection lost');
  return 1;
}
