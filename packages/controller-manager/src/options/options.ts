// kube-controller-manager's flags (the ones k8ts implements), with Kubernetes' names, defaults
// and validation messages, turned into the options the process runs with.
import { canonicalControllerList } from '../controller-names.ts';
import { leaderElectionFlags, leaderElectionOptions, sharedFlagProblems, type LeaderElectionOptions } from './component-flags.ts';
import { flag, flagUsages, FlagError, parseFlags, type FlagValues } from './flag-parser.ts';

/**
 * The per-controller worker counts kube-controller-manager exposes as --concurrent-*-syncs,
 * with its defaults. Each controller reads its own when it starts.
 */
export const CONCURRENCY_FLAGS = {
  'concurrent-serviceaccount-token-syncs': flag('int', 5, 'The number of service account token objects that are allowed to sync concurrently.'),
  'concurrent-deployment-syncs': flag('int', 5, 'The number of deployment objects that are allowed to sync concurrently.'),
  'concurrent-replicaset-syncs': flag('int', 5, 'The number of replica sets that are allowed to sync concurrently.'),
  'concurrent-namespace-syncs': flag('int', 10, 'The number of namespace objects that are allowed to sync concurrently.'),
  'concurrent-gc-syncs': flag('int', 20, 'The number of garbage collector workers that are allowed to sync concurrently.'),
  'concurrent-endpoint-syncs': flag('int', 5, 'The number of endpoint syncing operations that will be done concurrently.'),
  'concurrent-service-endpoint-syncs': flag('int', 5, 'The number of service endpoint syncing operations that will be done concurrently.'),
  'concurrent-job-syncs': flag('int', 5, 'The number of job objects that are allowed to sync concurrently.'),
  'concurrent-cron-job-syncs': flag('int', 5, 'The number of cron job objects that are allowed to sync concurrently.'),
  'concurrent-daemonset-syncs': flag('int', 2, 'The number of daemonset objects that are allowed to sync concurrently.'),
  'concurrent-statefulset-syncs': flag('int', 5, 'The number of statefulset objects that are allowed to sync concurrently.'),
  'concurrent-resource-quota-syncs': flag('int', 5, 'The number of resource quotas that are allowed to sync concurrently.'),
  'concurrent-horizontal-pod-autoscaler-syncs': flag('int', 5, 'The number of horizontal pod autoscaler objects that are allowed to sync concurrently.'),
  'concurrent-ttl-after-finished-syncs': flag('int', 5, 'The number of ttl-after-finished-controller workers that are allowed to sync concurrently.'),
};

export type ConcurrencyFlag = keyof typeof CONCURRENCY_FLAGS;

export const CONTROLLER_MANAGER_FLAGS = {
  kubeconfig: flag('string', '', 'Path to kubeconfig file with authorization and master location information.'),
  master: flag('string', '', 'The address of the Kubernetes API server (overrides any value in kubeconfig).'),
  'kube-api-qps': flag('float', 20, 'QPS to use while talking with kubernetes apiserver.'),
  'kube-api-burst': flag('int', 30, 'Burst to use while talking with kubernetes apiserver.'),
  controllers: flag(
    'strings',
    ['*'],
    "A list of controllers to enable. '*' enables all on-by-default controllers, 'foo' enables the controller named 'foo', '-foo' disables the controller named 'foo'.",
  ),
  'min-resync-period': flag('duration', 12 * 3_600_000, 'The resync period in reflectors will be random between MinResyncPeriod and 2*MinResyncPeriod.'),
  ...leaderElectionFlags('kube-controller-manager'),
  'use-service-account-credentials': flag('bool', false, 'If true, use individual service account credentials for each controller.'),
  'root-ca-file': flag('string', '', "If set, this root certificate authority will be included in service account's token secret. This must be a valid PEM-encoded CA bundle."),
  'service-account-private-key-file': flag('string', '', 'Filename containing a PEM-encoded private RSA or ECDSA key used to sign service account tokens.'),
  'bind-address': flag('string', '0.0.0.0', 'The IP address on which to listen for the --secure-port port.'),
  // Kubernetes turns serving off with 0; k8ts picks a free port instead (and prints it), so that
  // tests and several clusters on one machine never collide.
  'secure-port': flag('int', 10257, 'The port on which to serve HTTPS (/healthz, /metrics). 0 picks a free port, printed when serving starts.'),
  'tls-cert-file': flag(
    'string',
    '',
    'File containing the default x509 Certificate for HTTPS. If not given, a self-signed certificate for localhost is generated when the process starts.',
  ),
  'tls-private-key-file': flag('string', '', 'File containing the default x509 private key matching --tls-cert-file.'),
  // node IPAM (kubeadm passes --allocate-node-cidrs=true --cluster-cidr=<pod subnet>)
  'allocate-node-cidrs': flag('bool', false, 'Should CIDRs for Pods be allocated and set on the cloud provider.'),
  'cluster-cidr': flag('string', '', 'CIDR Range for Pods in cluster. Requires --allocate-node-cidrs to be true'),
  'node-cidr-mask-size': flag('int', 24, 'Mask size for node cidr in cluster. Default is 24 for IPv4 and 64 for IPv6.'),
  'service-cluster-ip-range': flag('string', '', 'CIDR Range for Services in cluster. Requires --allocate-node-cidrs to be true'),
  // node lifecycle
  'node-monitor-period': flag('duration', 5_000, 'The period for syncing NodeStatus in cloud-node-lifecycle-controller.'),
  'node-monitor-grace-period': flag(
    'duration',
    40_000,
    'Amount of time which we allow running Node to be unresponsive before marking it unhealthy. Must be N times more than kubelet\'s nodeStatusUpdateFrequency, where N means number of retries allowed for kubelet to post node status.',
  ),
  'node-startup-grace-period': flag('duration', 60_000, 'Amount of time which we allow starting Node to be unresponsive before marking it unhealthy.'),
  'node-eviction-rate': flag('float', 0.1, 'Number of nodes per second on which pods are deleted in case of node failure when a zone is healthy (see --unhealthy-zone-threshold for definition of healthy/unhealthy). Zone refers to entire cluster in non-multizone clusters.'),
  'secondary-node-eviction-rate': flag('float', 0.01, 'Number of nodes per second on which pods are deleted in case of node failure when a zone is unhealthy (see --unhealthy-zone-threshold for definition of healthy/unhealthy). Zone refers to entire cluster in non-multizone clusters. This value is implicitly overridden to 0 if the cluster size is smaller than --large-cluster-size-threshold.'),
  'large-cluster-size-threshold': flag('int', 50, 'Number of nodes from which node-lifecycle-controller treats the cluster as large for the eviction logic purposes. --secondary-node-eviction-rate is implicitly overridden to 0 for clusters this size or smaller.'),
  'unhealthy-zone-threshold': flag('float', 0.55, 'Fraction of Nodes in a zone which needs to be not Ready (minimum 3) for zone to be treated as unhealthy.'),
  // pod GC, garbage collector, endpoint slices
  'terminated-pod-gc-threshold': flag('int', 12500, 'Number of terminated pods that can exist before the terminated pod garbage collector starts deleting terminated pods. If <= 0, the terminated pod garbage collector is disabled.'),
  'resource-quota-sync-period': flag('duration', 300_000, 'The period for syncing quota usage status in the system'),
  'pvclaimbinder-sync-period': flag('duration', 15_000, 'The period for syncing persistent volumes and persistent volume claims'),
  'enable-garbage-collector': flag('bool', true, 'Enables the generic garbage collector. MUST be synced with the corresponding flag of the kube-apiserver.'),
  'max-endpoints-per-slice': flag('int', 100, 'The maximum number of endpoints that will be added to an EndpointSlice. More endpoints per slice will result in less endpoint slices, but larger resources. Defaults to 100.'),
  // horizontal pod autoscaler
  'horizontal-pod-autoscaler-sync-period': flag('duration', 15_000, 'The period for syncing the number of pods in horizontal pod autoscaler.'),
  'horizontal-pod-autoscaler-tolerance': flag('float', 0.1, 'The minimum change (from 1.0) in the desired-to-actual metrics ratio for the horizontal pod autoscaler to consider scaling.'),
  'horizontal-pod-autoscaler-downscale-stabilization': flag('duration', 300_000, 'The period for which autoscaler will look backwards and not scale down below any recommendation it made during that period.'),
  'horizontal-pod-autoscaler-cpu-initialization-period': flag('duration', 300_000, 'The period after pod start when CPU samples might be skipped.'),
  'horizontal-pod-autoscaler-initial-readiness-delay': flag('duration', 30_000, 'The period after pod start during which readiness changes will be treated as initial readiness.'),
  ...CONCURRENCY_FLAGS,
};

export type ControllerManagerFlags = FlagValues<typeof CONTROLLER_MANAGER_FLAGS>;

export interface ControllerManagerOptions {
  kubeconfig: string;
  master: string;
  qps: number;
  burst: number;
  /** canonical names, aliases resolved */
  controllers: string[];
  minResyncPeriodMs: number;
  leaderElection: LeaderElectionOptions;
  useServiceAccountCredentials: boolean;
  rootCaFile: string;
  serviceAccountPrivateKeyFile: string;
  bindAddress: string;
  /** 0: no HTTPS endpoint */
  securePort: number;
  tlsCertFile: string;
  tlsPrivateKeyFile: string;
  concurrency: Record<ConcurrencyFlag, number>;
  allocateNodeCidrs: boolean;
  clusterCidr: string;
  nodeCidrMaskSize: number;
  serviceClusterIpRange: string;
  nodeMonitorPeriodMs: number;
  nodeMonitorGracePeriodMs: number;
  nodeStartupGracePeriodMs: number;
  nodeEvictionRate: number;
  secondaryNodeEvictionRate: number;
  largeClusterSizeThreshold: number;
  unhealthyZoneThreshold: number;
  terminatedPodGcThreshold: number;
  enableGarbageCollector: boolean;
  /** --pvclaimbinder-sync-period */
  pvClaimBinderSyncPeriodMs: number;
  /** --resource-quota-sync-period: how often every quota's usage is recounted in full */
  resourceQuotaSyncPeriodMs: number;
  maxEndpointsPerSlice: number;
  horizontalPodAutoscaler: HorizontalPodAutoscalerOptions;
}

/** The --horizontal-pod-autoscaler-* flags. */
export interface HorizontalPodAutoscalerOptions {
  syncPeriodMs: number;
  tolerance: number;
  downscaleStabilizationMs: number;
  cpuInitializationPeriodMs: number;
  initialReadinessDelayMs: number;
}

export const CONTROLLER_MANAGER_HELP = `usage: k8ts controller-manager [flags]

The controller manager runs the control loops that drive the cluster towards the state its
objects declare, as kube-controller-manager does. With leader election on, only the process
holding the Lease kube-system/kube-controller-manager runs them.

${flagUsages(CONTROLLER_MANAGER_FLAGS)}`;

/** The option checks kube-controller-manager's Validate makes, worded as it words them. */
function validate(values: ControllerManagerFlags): string[] {
  const problems = sharedFlagProblems(values);
  if (values['max-endpoints-per-slice'] < 1 || values['max-endpoints-per-slice'] > 1000) {
    problems.push(`--max-endpoints-per-slice must be between 1 and 1000, got ${values['max-endpoints-per-slice']}`);
  }
  for (const name of Object.keys(CONCURRENCY_FLAGS) as ConcurrencyFlag[]) {
    if (values[name] < 1) problems.push(`--${name} must be greater than 0, got ${values[name]}`);
  }
  return problems;
}

/** Parses the command line; 'help' when --help was asked for. Throws FlagError for bad flags. */
export function parseControllerManagerOptions(args: string[]): ControllerManagerOptions | 'help' {
  const { values, help } = parseFlags(CONTROLLER_MANAGER_FLAGS, args);
  if (help) return 'help';
  let controllers: string[];
  try {
    controllers = canonicalControllerList(values.controllers);
  } catch (err) {
    throw new FlagError((err as Error).message);
  }
  const problems = validate(values);
  if (problems.length > 0) throw new FlagError(problems.length === 1 ? problems[0]! : `[${problems.join(', ')}]`);
  const concurrency = Object.fromEntries(Object.keys(CONCURRENCY_FLAGS).map((name) => [name, values[name as ConcurrencyFlag]])) as Record<
    ConcurrencyFlag,
    number
  >;
  return {
    kubeconfig: values.kubeconfig,
    master: values.master,
    qps: values['kube-api-qps'],
    burst: values['kube-api-burst'],
    controllers,
    minResyncPeriodMs: values['min-resync-period'],
    leaderElection: leaderElectionOptions(values),
    useServiceAccountCredentials: values['use-service-account-credentials'],
    rootCaFile: values['root-ca-file'],
    serviceAccountPrivateKeyFile: values['service-account-private-key-file'],
    bindAddress: values['bind-address'],
    securePort: values['secure-port'],
    tlsCertFile: values['tls-cert-file'],
    tlsPrivateKeyFile: values['tls-private-key-file'],
    concurrency,
    allocateNodeCidrs: values['allocate-node-cidrs'],
    clusterCidr: values['cluster-cidr'],
    nodeCidrMaskSize: values['node-cidr-mask-size'],
    serviceClusterIpRange: values['service-cluster-ip-range'],
    nodeMonitorPeriodMs: values['node-monitor-period'],
    nodeMonitorGracePeriodMs: values['node-monitor-grace-period'],
    nodeStartupGracePeriodMs: values['node-startup-grace-period'],
    nodeEvictionRate: values['node-eviction-rate'],
    secondaryNodeEvictionRate: values['secondary-node-eviction-rate'],
    largeClusterSizeThreshold: values['large-cluster-size-threshold'],
    unhealthyZoneThreshold: values['unhealthy-zone-threshold'],
    terminatedPodGcThreshold: values['terminated-pod-gc-threshold'],
    enableGarbageCollector: values['enable-garbage-collector'],
    pvClaimBinderSyncPeriodMs: values['pvclaimbinder-sync-period'],
    resourceQuotaSyncPeriodMs: values['resource-quota-sync-period'],
    maxEndpointsPerSlice: values['max-endpoints-per-slice'],
    horizontalPodAutoscaler: {
      syncPeriodMs: values['horizontal-pod-autoscaler-sync-period'],
      tolerance: values['horizontal-pod-autoscaler-tolerance'],
      downscaleStabilizationMs: values['horizontal-pod-autoscaler-downscale-stabilization'],
      cpuInitializationPeriodMs: values['horizontal-pod-autoscaler-cpu-initialization-period'],
      initialReadinessDelayMs: values['horizontal-pod-autoscaler-initial-readiness-delay'],
    },
  };
}
