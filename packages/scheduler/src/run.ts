// The scheduler process (kube-scheduler's Run): serve /healthz, /livez, /readyz, /metrics and
// the explain endpoint; connect to the apiserver; contend for the Lease kube-system/kube-scheduler
// and, while leading, schedule. Losing the lease ends the process (exit code 1) so that it
// restarts as a standby and never schedules beside a new leader; SIGTERM releases the lease.
import { setMaxListeners } from 'node:events';
import { defaultUserAgent, errorMessage, eventSinkFor, EventRecorder, RestClient, SharedInformerFactory, type RestConfig } from '@k8ts/client';
import { MetricsRegistry } from '@k8ts/controller-manager/metrics/registry.ts';
import { apiserverHealth, retrying, type ComponentEnvironment } from '@k8ts/controller-manager/server/component-startup.ts';
import { Healthz } from '@k8ts/controller-manager/server/healthz.ts';
import { runAsLeader } from '@k8ts/controller-manager/server/run-as-leader.ts';
import { selfSignedServingCertificate, serveSecurely, type SecureServer, type ServingCertificate } from '@k8ts/controller-manager/server/secure-serving.ts';
import { DecisionLog } from './debug/decision-log.ts';
import type { SchedulerOptions } from './options/options.ts';
import { Scheduler } from './scheduler/scheduler.ts';
import { schedulerHandler } from './server/scheduler-server.ts';

/** kube-scheduler's user agent program name. */
export const COMPONENT = 'kube-scheduler';

export type SchedulerEnvironment = ComponentEnvironment;

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
    // Events get a client of their own, so that they never hold up bindings (kube-scheduler's EventClient).
    const eventClient = new RestClient(restConfig, { clock, transport: env.transport, logger });
    const recorder = new EventRecorder(eventSinkFor(eventClient), { component: options.scheduling.schedulerNames[0]! }, { clock, random: env.random, logger });
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
    return await runAsLeader(
      {
        component: COMPONENT,
        election: options.leaderElection,
        restConfig,
        recorder,
        metrics,
        healthChecks: [health, ready],
        starting: 'starting to schedule',
        run: schedule,
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
