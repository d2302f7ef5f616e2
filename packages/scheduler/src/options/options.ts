// kube-scheduler's command line (the flags k8ts implements, with Kubernetes' names and
// defaults) and its --config file, KubeSchedulerConfiguration v1 (the subset k8ts honours).
// The file is read and parsed as YAML by the caller; parseSchedulerConfiguration takes the value.
import type { JsonValue } from '@k8ts/api';
import { isJsonObject } from '@k8ts/api';
import { leaderElectionFlags, leaderElectionOptions, sharedFlagProblems, type LeaderElectionOptions } from '@k8ts/controller-manager/options/component-flags.ts';
import { flag, FlagError, flagUsages, parseFlags, type FlagValues } from '@k8ts/controller-manager/options/flag-parser.ts';
import { DEFAULT_POD_INITIAL_BACKOFF_MS, DEFAULT_POD_MAX_BACKOFF_MS } from '../queue/scheduling-queue.ts';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
export const SCHEDULER_CONFIG_API_VERSION = 'kubescheduler.config.k8s.io/v1';

export const SCHEDULER_FLAGS = {
  config: flag('string', '', 'The path to the configuration file (KubeSchedulerConfiguration v1).'),
  kubeconfig: flag('string', '', 'Path to kubeconfig file with authorization and master location information.'),
  master: flag('string', '', 'The address of the Kubernetes API server (overrides any value in kubeconfig)'),
  'kube-api-qps': flag('float', 50, 'QPS to use while talking with kubernetes apiserver.'),
  'kube-api-burst': flag('int', 100, 'Burst to use while talking with kubernetes apiserver.'),
  ...leaderElectionFlags('kube-scheduler'),
  'bind-address': flag('string', '0.0.0.0', 'The IP address on which to listen for the --secure-port port.'),
  // Kubernetes turns serving off with 0; k8ts picks a free port instead (and prints it), as its
  // controller manager does.
  'secure-port': flag('int', 10259, 'The port on which to serve HTTPS (/healthz, /metrics, /debug/scheduler/explain). 0 picks a free port, printed when serving starts.'),
  'tls-cert-file': flag(
    'string',
    '',
    'File containing the default x509 Certificate for HTTPS. If not given, a self-signed certificate for localhost is generated when the process starts.',
  ),
  'tls-private-key-file': flag('string', '', 'File containing the default x509 private key matching --tls-cert-file.'),
  v: flag('int', 0, 'number for the log level verbosity; at 4 and above every scheduling decision is logged with its explanation'),
};

export type SchedulerFlags = FlagValues<typeof SCHEDULER_FLAGS>;

/** What the scheduling algorithm and queue run with (KubeSchedulerConfiguration's fields). */
export interface SchedulingConfiguration {
  /** 0: adaptive (50% minus 1% per 125 nodes, at least 5%) */
  percentageOfNodesToScore: number;
  podInitialBackoffMs: number;
  podMaxBackoffMs: number;
  /** the profiles' scheduler names: pods naming another scheduler are left alone */
  schedulerNames: string[];
}

export interface SchedulerOptions {
  /** the --config path ('' for none); its contents are in `scheduling` */
  config: string;
  kubeconfig: string;
  master: string;
  qps: number;
  burst: number;
  leaderElection: LeaderElectionOptions;
  bindAddress: string;
  securePort: number;
  tlsCertFile: string;
  tlsPrivateKeyFile: string;
  verbosity: number;
  scheduling: SchedulingConfiguration;
}

export const SCHEDULER_HELP = `usage: k8ts scheduler [flags]

The scheduler watches for pods that have no node yet and binds each to the node that suits it
best, as kube-scheduler does: filter plugins rule nodes out, score plugins rank the rest. With
leader election on, only the process holding the Lease kube-system/kube-scheduler schedules.
Each decision can be explained: GET /debug/scheduler/explain?namespace=NS&pod=NAME on the
secure port, or run with --v=4 to log every decision.

${flagUsages(SCHEDULER_FLAGS)}`;

/** pflag takes -v as the shorthand of --v; the shared parser knows long flags only. */
function expandShorthands(args: string[]): string[] {
  return args.map((arg) => (arg === '-v' || arg.startsWith('-v=') ? `-${arg}` : arg));
}

function validate(values: SchedulerFlags): string[] {
  const problems = sharedFlagProblems(values);
  if (values['kube-api-qps'] < 0) problems.push(`--kube-api-qps must not be negative, got ${values['kube-api-qps']}`);
  return problems;
}

export function defaultSchedulingConfiguration(): SchedulingConfiguration {
  return {
    percentageOfNodesToScore: 0,
    podInitialBackoffMs: DEFAULT_POD_INITIAL_BACKOFF_MS,
    podMaxBackoffMs: DEFAULT_POD_MAX_BACKOFF_MS,
    schedulerNames: [DEFAULT_SCHEDULER_NAME],
  };
}

/**
 * Parses the command line; 'help' when --help was asked for. `readConfig` returns the --config
 * file's parsed YAML. Throws FlagError for bad flags or a bad configuration.
 */
export function parseSchedulerOptions(args: string[], readConfig: (path: string) => JsonValue): SchedulerOptions | 'help' {
  const { values, help } = parseFlags(SCHEDULER_FLAGS, expandShorthands(args));
  if (help) return 'help';
  const problems = validate(values);
  if (problems.length > 0) throw new FlagError(problems.length === 1 ? problems[0]! : `[${problems.join(', ')}]`);
  let scheduling = defaultSchedulingConfiguration();
  if (values.config !== '') {
    let document: JsonValue;
    try {
      document = readConfig(values.config);
    } catch (err) {
      throw new FlagError(`failed to read config file ${JSON.stringify(values.config)}: ${(err as Error).message}`);
    }
    scheduling = parseSchedulerConfiguration(document);
  }
  return {
    config: values.config,
    kubeconfig: values.kubeconfig,
    master: values.master,
    qps: values['kube-api-qps'],
    burst: values['kube-api-burst'],
    leaderElection: leaderElectionOptions(values),
    bindAddress: values['bind-address'],
    securePort: values['secure-port'],
    tlsCertFile: values['tls-cert-file'],
    tlsPrivateKeyFile: values['tls-private-key-file'],
    verbosity: values.v,
    scheduling,
  };
}

function integerField(config: Record<string, JsonValue>, name: string, problems: string[]): number | undefined {
  const value = config[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    problems.push(`${name}: Invalid value: ${JSON.stringify(value)}: must be an integer`);
    return undefined;
  }
  return value;
}

/**
 * A KubeSchedulerConfiguration v1 document: percentageOfNodesToScore, podInitialBackoffSeconds,
 * podMaxBackoffSeconds and profiles[].schedulerName; other fields are accepted and ignored.
 * Errors are worded as kube-scheduler's validation words them.
 */
export function parseSchedulerConfiguration(document: JsonValue): SchedulingConfiguration {
  if (!isJsonObject(document)) throw new FlagError('the configuration file is not a KubeSchedulerConfiguration object');
  const { apiVersion, kind } = document;
  if (kind !== 'KubeSchedulerConfiguration') throw new FlagError(`no kind ${JSON.stringify(kind ?? '')} is registered for version ${JSON.stringify(apiVersion ?? '')}`);
  if (apiVersion !== SCHEDULER_CONFIG_API_VERSION) {
    throw new FlagError(`no kind "KubeSchedulerConfiguration" is registered for version ${JSON.stringify(apiVersion ?? '')}: k8ts reads ${SCHEDULER_CONFIG_API_VERSION}`);
  }
  const problems: string[] = [];
  const config = defaultSchedulingConfiguration();
  const percentage = integerField(document, 'percentageOfNodesToScore', problems);
  if (percentage !== undefined) {
    if (percentage < 0 || percentage > 100) problems.push(`percentageOfNodesToScore: Invalid value: ${percentage}: not in valid range [0-100]`);
    else config.percentageOfNodesToScore = percentage;
  }
  const initial = integerField(document, 'podInitialBackoffSeconds', problems);
  if (initial !== undefined) {
    if (initial <= 0) problems.push(`podInitialBackoffSeconds: Invalid value: ${initial}: must be greater than 0`);
    else config.podInitialBackoffMs = initial * 1000;
  }
  const max = integerField(document, 'podMaxBackoffSeconds', problems);
  if (max !== undefined) {
    if (max * 1000 < config.podInitialBackoffMs) problems.push(`podMaxBackoffSeconds: Invalid value: ${max}: must be greater than or equal to PodInitialBackoffSeconds`);
    else config.podMaxBackoffMs = max * 1000;
  }
  const profiles = document.profiles;
  if (Array.isArray(profiles) && profiles.length > 0) {
    const names: string[] = [];
    profiles.forEach((profile, i) => {
      const name = isJsonObject(profile) && typeof profile.schedulerName === 'string' && profile.schedulerName !== '' ? profile.schedulerName : DEFAULT_SCHEDULER_NAME;
      if (names.includes(name)) problems.push(`profiles[${i}].schedulerName: Duplicate value: ${JSON.stringify(name)}`);
      names.push(name);
    });
    config.schedulerNames = names;
  }
  if (problems.length > 0) throw new FlagError(problems.length === 1 ? problems[0]! : `[${problems.join(', ')}]`);
  return config;
}
