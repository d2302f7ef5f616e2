// Leader election as kube-scheduler and kube-controller-manager run it: contend for the
// component's Lease, do the work only while leading, and report leadership on /metrics
// (leader_election_master_status) and in the health checks. Losing the lease ends the process
// (exit code 1) so that it restarts as a standby and never works beside a new leader; a stop
// (SIGTERM) ends the work and releases the lease so a standby takes over at once.
import { defaultUserAgent, EventRecorder, LeaderElector, LeaseLock, RestClient, sleep, type Lease, type RestConfig } from '@k8ts/client';
import { GaugeVec, type MetricsRegistry } from '../metrics/registry.ts';
import type { LeaderElectionOptions } from '../options/component-flags.ts';
import type { ComponentEnvironment } from './component-startup.ts';
import type { Healthz } from './healthz.ts';

/** A leader whose renewals have been stuck this much longer than a lease fails /healthz. */
const MAX_TOLERABLE_EXPIRED_LEASE_MS = 20_000;

export interface LeaderWork {
  /** the user agent's program name, e.g. "kube-scheduler" */
  component: string;
  election: LeaderElectionOptions;
  restConfig: RestConfig;
  /** where the LeaderElection events go */
  recorder: EventRecorder;
  metrics: MetricsRegistry;
  /** the health endpoints that also check the leader's renewals */
  healthChecks: Healthz[];
  /** what the log says the leader starts, e.g. "starting controllers" */
  starting: string;
  /** the work, until `leading` aborts; a rejection ends leadership and is thrown by runAsLeader */
  run(leading: AbortSignal): Promise<void>;
}

/** Runs `work` while leading until `signal` aborts (0) or leadership is lost (1). */
export async function runAsLeader(work: LeaderWork, signal: AbortSignal, env: ComponentEnvironment): Promise<number> {
  const { logger, clock } = env;
  const { election } = work;
  const identity = `${env.hostname}_${env.uuid()}`;
  const leaderGauge = work.metrics.register(
    new GaugeVec({
      name: 'leader_election_master_status',
      help: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease. Please make sure to group by name.",
      stability: 'ALPHA',
      labelNames: ['name'],
    }),
  );
  // Lease calls give up within half the renew deadline, so one slow call cannot use it all up.
  const leaseClient = new RestClient(
    { ...work.restConfig, timeoutMs: Math.max(1000, election.renewDeadlineMs / 2), userAgent: `${defaultUserAgent(work.component)}/leader-election` },
    { clock, transport: env.transport, logger },
  );
  const leases = leaseClient.forResource<Lease>({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases' }).namespace(election.resourceNamespace);
  const lock = new LeaseLock(leases, election.resourceNamespace, election.resourceName, identity, work.recorder);
  // Shutting down and work that fails both end leadership.
  const stopLeading = new AbortController();
  let running: Promise<void> = Promise.resolve();
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
        logger.info(`became the leader (${identity}); ${work.starting}`);
        leaderGauge.set({ name: election.resourceName }, 1);
        running = work.run(leading).catch((err) => {
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
  for (const checks of work.healthChecks) checks.add(leaderCheck);
  logger.info(`leader election identity ${identity}`);
  const onStop = (): void => stopLeading.abort();
  signal.addEventListener('abort', onStop, { once: true });
  try {
    await elector.run(stopLeading.signal);
  } finally {
    signal.removeEventListener('abort', onStop);
  }
  await running;
  // Let the last events ("stopped leading") reach the apiserver, but do not wait on a dead one.
  const flushed = new AbortController();
  await Promise.race([work.recorder.flush(), sleep(clock, 2_000, flushed.signal)]);
  flushed.abort();
  if (failed !== undefined) throw failed;
  if (signal.aborted) {
    // The elector said so already if handing the lease over failed; a standby then waits it out.
    logger.info(led ? `stopped leading ${election.resourceNamespace}/${election.resourceName}; exiting` : 'stopped');
    return 0;
  }
  logger.warn('leaderelection lost');
  return 1;
}
