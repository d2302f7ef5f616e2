// The flags kube-scheduler and kube-controller-manager share: component-base's leader-election
// flags (each component names its own Lease) and the checks Kubernetes makes on them and on the
// secure-serving flags before anything starts. Defined once here, spread into each component's
// flag table.
import { JITTER_FACTOR } from '@k8ts/client';
import { flag, type FlagValues } from './flag-parser.ts';

export interface LeaderElectionOptions {
  leaderElect: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  resourceName: string;
  resourceNamespace: string;
}

/** --leader-elect*, with `resourceName` as the default Lease name (the component's own). */
export function leaderElectionFlags(resourceName: string) {
  return {
    'leader-elect': flag(
      'bool',
      true,
      'Start a leader election client and gain leadership before executing the main loop. Enable this when running replicated components for high availability.',
    ),
    'leader-elect-lease-duration': flag(
      'duration',
      15_000,
      'The duration that non-leader candidates will wait after observing a leadership renewal until attempting to acquire leadership of a led but unrenewed leader slot.',
    ),
    'leader-elect-renew-deadline': flag(
      'duration',
      10_000,
      'The interval between attempts by the acting master to renew a leadership slot before it stops leading. This must be less than the lease duration.',
    ),
    'leader-elect-retry-period': flag('duration', 2_000, 'The duration the clients should wait between attempting acquisition and renewal of a leadership.'),
    'leader-elect-resource-lock': flag('string', 'leases', "The type of resource object that is used for locking during leader election. Supported options are 'leases'."),
    'leader-elect-resource-name': flag('string', resourceName, 'The name of resource object that is used for locking during leader election.'),
    'leader-elect-resource-namespace': flag('string', 'kube-system', 'The namespace of resource object that is used for locking during leader election.'),
  };
}

type LeaderElectionFlags = FlagValues<ReturnType<typeof leaderElectionFlags>>;

interface ServingFlags {
  'secure-port': number;
  'tls-cert-file': string;
  'tls-private-key-file': string;
}

export function leaderElectionOptions(values: LeaderElectionFlags): LeaderElectionOptions {
  return {
    leaderElect: values['leader-elect'],
    leaseDurationMs: values['leader-elect-lease-duration'],
    renewDeadlineMs: values['leader-elect-renew-deadline'],
    retryPeriodMs: values['leader-elect-retry-period'],
    resourceName: values['leader-elect-resource-name'],
    resourceNamespace: values['leader-elect-resource-namespace'],
  };
}

/** What is wrong with the shared flags, in Kubernetes' words (empty when nothing is). */
export function sharedFlagProblems(values: LeaderElectionFlags & ServingFlags): string[] {
  const problems: string[] = [];
  if (values['leader-elect-resource-lock'] !== 'leases') {
    problems.push(`invalid --leader-elect-resource-lock ${JSON.stringify(values['leader-elect-resource-lock'])}: only "leases" is supported`);
  }
  if (values['leader-elect']) {
    // The checks leaderelection.NewLeaderElector makes, made before anything starts.
    if (values['leader-elect-lease-duration'] <= values['leader-elect-renew-deadline']) problems.push('leaseDuration must be greater than renewDeadline');
    if (values['leader-elect-renew-deadline'] <= JITTER_FACTOR * values['leader-elect-retry-period']) {
      problems.push('renewDeadline must be greater than retryPeriod*JitterFactor');
    }
  }
  if (values['secure-port'] < 0 || values['secure-port'] > 65535) {
    problems.push(`--secure-port ${values['secure-port']} must be between 0 and 65535, inclusive. 0 for a free port`);
  }
  if ((values['tls-cert-file'] === '') !== (values['tls-private-key-file'] === '')) {
    problems.push('--tls-cert-file and --tls-private-key-file must be given together');
  }
  return problems;
}
