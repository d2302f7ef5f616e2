// The controllers k8ts implements, and how each is started from the ControllerContext: which
// informers it reads, which identity it writes as (the ServiceAccount name Kubernetes' RBAC
// bootstrap policy binds its role to), its queues' names and worker counts. The
// serviceaccount-token controller comes first and always uses the manager's own credentials:
// with --use-service-account-credentials the others' tokens depend on it.
import type { KubeObject } from '@k8ts/api';
import type { ControllerStarter } from './controller/context.ts';
import { ROOT_CA_PUBLISHER_CONTROLLER, RootCaPublisher, type ConfigMap } from './controllers/certificates/root-ca-publisher.ts';
import {
  CLUSTER_ROLE_AGGREGATION_CONTROLLER,
  ClusterRoleAggregationController,
  type ClusterRole,
} from './controllers/clusterroleaggregation/clusterrole-aggregation-controller.ts';
import { endpointsControllerStarter } from './controllers/endpoint/starter.ts';
import { endpointSliceControllerStarter } from './controllers/endpointslice/starter.ts';
import { nodeIpamStarter } from './controllers/nodeipam/starter.ts';
import { nodeLifecycleStarter, taintEvictionStarter } from './controllers/nodelifecycle/starter.ts';
import { deploymentStarter } from './controllers/deployment/starter.ts';
import { replicaSetStarter } from './controllers/replicaset/starter.ts';
import { jobStarter } from './controllers/job/starter.ts';
import { statefulSetStarter } from './controllers/statefulset/starter.ts';
import { daemonSetStarter } from './controllers/daemonset/starter.ts';
import { podGcStarter } from './controllers/podgc/starter.ts';
import { cronJobStarter } from './controllers/cronjob/starter.ts';
import { ttlAfterFinishedStarter } from './controllers/ttlafterfinished/starter.ts';
import { disruptionStarter } from './controllers/disruption/starter.ts';
import { horizontalPodAutoscalerStarter } from './controllers/podautoscaler/starter.ts';
import { resourceQuotaStarter } from './controllers/resourcequota/starter.ts';
import { garbageCollectorStarter } from './controllers/garbagecollector/starter.ts';
import { namespaceControllerStarter } from './controllers/namespace/starter.ts';
import { persistentVolumeBinderStarter, pvcProtectionStarter, pvProtectionStarter } from './controllers/volume/starter.ts';
import { LegacyTokenGenerator } from './controllers/serviceaccount/legacy-token.ts';
import type { Namespace } from './controllers/namespaces.ts';
import { SERVICE_ACCOUNT_CONTROLLER, ServiceAccountsController } from './controllers/serviceaccount/serviceaccounts-controller.ts';
import { TOKENS_CONTROLLER, TokensController, type Secret, type ServiceAccount } from './controllers/serviceaccount/tokens-controller.ts';

const NAMESPACES = { group: '', version: 'v1', kind: 'Namespace' };
const SERVICE_ACCOUNTS = { group: '', version: 'v1', kind: 'ServiceAccount' };
const SECRETS = { group: '', version: 'v1', kind: 'Secret' };
const CONFIG_MAPS = { group: '', version: 'v1', kind: 'ConfigMap' };
const CLUSTER_ROLES = { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole' };

const serviceAccountToken: ControllerStarter = {
  name: TOKENS_CONTROLLER,
  async init(ctx) {
    const keyFile = ctx.options.serviceAccountPrivateKeyFile;
    if (keyFile === '') return { notStarted: `"${TOKENS_CONTROLLER}" is disabled because there is no private key` };
    let generator: LegacyTokenGenerator;
    try {
      generator = new LegacyTokenGenerator(ctx.readFile(keyFile));
    } catch (err) {
      throw new Error(`error reading key for service account token controller: ${(err as Error).message}`, { cause: err });
    }
    const client = ctx.rootClient;
    return new TokensController({
      serviceAccounts: ctx.informers.forKind<ServiceAccount>(SERVICE_ACCOUNTS),
      secrets: ctx.informers.forKind<Secret>(SECRETS),
      serviceAccountClient: client.forKind<ServiceAccount>(SERVICE_ACCOUNTS),
      secretClient: client.forKind<Secret>(SECRETS),
      generator,
      rootCa: ctx.rootCa,
      serviceAccountQueue: ctx.newQueue('serviceaccount_tokens_service'),
      secretQueue: ctx.newQueue('serviceaccount_tokens_secret'),
      workers: ctx.options.concurrency['concurrent-serviceaccount-token-syncs'],
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};

const serviceAccount: ControllerStarter = {
  name: SERVICE_ACCOUNT_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('service-account-controller');
    return new ServiceAccountsController({
      namespaces: ctx.informers.forKind<Namespace>(NAMESPACES),
      serviceAccounts: ctx.informers.forKind<KubeObject>(SERVICE_ACCOUNTS),
      serviceAccountClient: client.forKind(SERVICE_ACCOUNTS),
      queue: ctx.newQueue('serviceaccount'),
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};

const rootCaPublisher: ControllerStarter = {
  name: ROOT_CA_PUBLISHER_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('root-ca-cert-publisher');
    return new RootCaPublisher({
      configMaps: ctx.informers.forKind<ConfigMap>(CONFIG_MAPS),
      namespaces: ctx.informers.forKind<Namespace>(NAMESPACES),
      configMapClient: client.forKind<ConfigMap>(CONFIG_MAPS),
      rootCa: ctx.rootCa,
      queue: ctx.newQueue('root_ca_cert_publisher'),
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};

const clusterRoleAggregation: ControllerStarter = {
  name: CLUSTER_ROLE_AGGREGATION_CONTROLLER,
  async init(ctx) {
    const client = await ctx.clientFor('clusterrole-aggregation-controller');
    return new ClusterRoleAggregationController({
      clusterRoles: ctx.informers.forKind<ClusterRole>(CLUSTER_ROLES),
      clusterRoleClient: client.forKind<ClusterRole>(CLUSTER_ROLES),
      queue: ctx.newQueue('ClusterRoleAggregator'),
      clock: ctx.clock,
      logger: ctx.logger,
    });
  },
};

/** In start order. */
export const CONTROLLER_STARTERS: readonly ControllerStarter[] = [
  serviceAccountToken,
  serviceAccount,
  rootCaPublisher,
  clusterRoleAggregation,
  replicaSetStarter,
  deploymentStarter,
  jobStarter,
  statefulSetStarter,
  daemonSetStarter,
  namespaceControllerStarter,
  garbageCollectorStarter,
  endpointsControllerStarter,
  endpointSliceControllerStarter,
  nodeIpamStarter,
  nodeLifecycleStarter,
  taintEvictionStarter,
  podGcStarter,
  cronJobStarter,
  ttlAfterFinishedStarter,
  disruptionStarter,
  persistentVolumeBinderStarter,
  pvcProtectionStarter,
  pvProtectionStarter,
  horizontalPodAutoscalerStarter,
  resourceQuotaStarter,
];
