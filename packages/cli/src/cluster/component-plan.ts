// The command line of every component of a cluster, in start order, with the flags a kubeadm
// control plane runs it with (see kubeadm's static Pod manifests): TLS on the apiserver, client
// certificates checked against the cluster CA, Node and RBAC authorization, NodeRestriction,
// ServiceAccount keys, bootstrap tokens, and anonymous access only to the health endpoints.
// Each component talks to the apiserver with its own kubeconfig, never the admin's.
//
// Every component is a subcommand of this same k8ts, so the flags are the ones those commands
// take today (packages/cli/src/commands/apiserver.ts, packages/controller-manager/src/options/);
// component-plan.test.ts parses each command line with the component's own parser. kubeadm flags
// a component does not have yet are not passed (the controller-manager and the scheduler have no
// --authentication-kubeconfig, --authorization-kubeconfig, --client-ca-file or --cluster-signing-*:
// they serve /healthz to anyone and sign no certificates).
//
// Nodes run one kubelet process each, named kubelet-<node> (`--runtime fake`: hollow nodes, whose
// containers are simulated; the Docker runtime is not built yet).
import { computeMemberId } from '@k8ts/store/server/ids.ts';
import { componentKubeconfig, type ClusterPaths } from './cluster-paths.ts';
import type { ClusterRecord, ComponentSpec } from './cluster-record.ts';
import { withExtraFlags } from './extra-config.ts';

export interface ComponentPlan {
  /** the store's members, apiserver, controller-manager */
  components: ComponentSpec[];
  /** components of a full cluster this k8ts cannot run yet */
  notBuilt: string[];
}

type PlannedRecord = Pick<ClusterRecord, 'name' | 'createdAt' | 'settings' | 'ports'>;

/** kube-apiserver's default --service-account-issuer (and what kubeadm sets). */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** Paths the apiserver lets anonymous users reach (the rest answer 401), as the issue asks. */
export const ANONYMOUS_PATHS = ['/healthz', '/livez', '/readyz', '/version'];

/** Node components k8ts has no command for yet: named only for a cluster with nodes. */
const NODE_COMPONENTS_NOT_BUILT = ['proxy'];

/** The pod network kind and flannel use; node IPAM gives each node a /24 of it. */
export const POD_NETWORK_CIDR = '10.244.0.0/16';

/** The cluster DNS Service's address (the tenth of the service range, as kubeadm chooses). */
export const CLUSTER_DNS_IP = '10.96.0.10';

/**
 * The controller-manager's and scheduler's leader election: Kubernetes' defaults (lease 15s,
 * renew deadline 10s, retry 2s), spelled out because shorter ones flap on a loaded 2-core
 * machine — a renewal held up for a few seconds by a busy apiserver ends leadership, and the
 * component exits.
 */
const LEADER_ELECTION = { leaseDuration: '15s', renewDeadline: '10s', retryPeriod: '2s' };

/** Store member names: one member is "store"; a replicated store has store-1 … store-N. */
export function storeMemberNames(members: number): string[] {
  return members === 1 ? ['store'] : Array.from({ length: members }, (_, i) => `store-${i + 1}`);
}

/**
 * The client and peer port roles of store member `index` (0-based): the first member's are
 * storeClient and storePeer, further members' carry their number (storeClient-2, storePeer-2).
 */
function storePortRoles(index: number): { client: string; peer: string } {
  const suffix = index === 0 ? '' : `-${index + 1}`;
  return { client: `storeClient${suffix}`, peer: `storePeer${suffix}` };
}

/** Port roles a cluster reserves (see ports.ts): chosen on its first `up`, kept in cluster.json. */
export function portRoles(storeMembers: number): string[] {
  const store = storeMemberNames(storeMembers).flatMap((_, i) => Object.values(storePortRoles(i)));
  return [...store, 'apiserver', 'controllerManager', 'scheduler'];
}

/** Nodes are named after their cluster, as kind and minikube name theirs: <cluster>-node-1 … */
export function nodeNames(cluster: string, nodes: number): string[] {
  return Array.from({ length: nodes }, (_, i) => `${cluster}-node-${i + 1}`);
}

/** The first address of an IPv4 CIDR: the ClusterIP of the `kubernetes` Service. */
export function firstServiceIp(cidr: string): string {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  const octets = match?.slice(1, 5).map(Number);
  const bits = Number(match?.[5]);
  if (!octets || octets.some((o) => o > 255) || !(bits >= 1 && bits <= 30)) throw new Error(`invalid service CIDR "${cidr}" (want an IPv4 range such as 10.96.0.0/12)`);
  const base = (octets.reduce((n, o) => n * 256 + o, 0) & ~((1 << (32 - bits)) - 1)) >>> 0;
  const first = base + 1;
  return [24, 16, 8, 0].map((shift) => (first >>> shift) & 255).join('.');
}

interface StoreMember {
  name: string;
  clientUrl: string;
  peerUrl: string;
}

function storeMembers({ ports, settings }: Pick<ClusterRecord, 'ports' | 'settings'>): StoreMember[] {
  return storeMemberNames(settings.storeMembers).map((name, i) => {
    const roles = storePortRoles(i);
    return { name, clientUrl: `http://127.0.0.1:${ports[roles.client]}`, peerUrl: `http://127.0.0.1:${ports[roles.peer]}` };
  });
}

export function apiserverUrl(ports: Readonly<Record<string, number>>): string {
  return `https://127.0.0.1:${ports.apiserver}`;
}

/** The AuthenticationConfiguration that limits anonymous requests to the health endpoints. */
export function authenticationConfiguration(): string {
  return [
    'apiVersion: apiserver.config.k8s.io/v1beta1',
    'kind: AuthenticationConfiguration',
    'anonymous:',
    '  enabled: true',
    '  conditions:',
    ...ANONYMOUS_PATHS.map((path) => `  - path: ${path}`),
    '',
  ].join('\n');
}

/**
 * The store's --initial-cluster-token: unique to this cluster (its name and creation time), so
 * that members of different clusters never join each other and never share a member ID.
 */
export function storeClusterToken(record: Pick<ClusterRecord, 'name' | 'createdAt'>): string {
  return `k8ts-${record.name}-${Date.parse(record.createdAt).toString(36)}`;
}

/** One component per store member, all founding the same cluster (etcd's static bootstrap). */
function storeSpecs(record: PlannedRecord, paths: ClusterPaths): ComponentSpec[] {
  const members = storeMembers(record);
  const initialCluster = members.map((m) => `${m.name}=${m.peerUrl}`).join(',');
  const token = storeClusterToken(record);
  return members.map(({ name, clientUrl, peerUrl }) => ({
    name,
    args: [
      'store',
      `--name=${name}`,
      `--data-dir=${paths.storeDir}/${name}`,
      `--listen-client-urls=${clientUrl}`,
      `--advertise-client-urls=${clientUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=${initialCluster}`,
      `--initial-cluster-token=${token}`,
      // kubeadm's etcd manifest: a snapshot (and Raft log compaction) every 10,000 entries rather
      // than etcd's 100,000 keeps a member's in-memory log small on a lab machine.
      '--snapshot-count=10000',
    ],
    probe: { kind: 'store', endpoint: clientUrl, memberId: computeMemberId([peerUrl], token) },
  }));
}

/**
 * The components the supervisor starts together, in order: a store's members need each other
 * for a quorum (a member alone never serves), so they are one step; every other component is a
 * step of its own, started once the steps before it serve.
 */
export function startSteps<T extends { probe: ComponentSpec['probe'] }>(components: T[]): T[][] {
  const steps: T[][] = [];
  for (const component of components) {
    const previous = steps[steps.length - 1];
    if (component.probe.kind === 'store' && previous?.[0]?.probe.kind === 'store') previous.push(component);
    else steps.push([component]);
  }
  return steps;
}

function apiserverSpec(record: PlannedRecord, paths: ClusterPaths): ComponentSpec {
  const { ports, settings } = record;
  return {
    name: 'apiserver',
    args: [
      'apiserver',
      `--etcd-servers=${storeMembers(record).map((m) => m.clientUrl).join(',')}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${ports.apiserver}`,
      `--tls-cert-file=${paths.pki.apiserverCert}`,
      `--tls-private-key-file=${paths.pki.apiserverKey}`,
      `--client-ca-file=${paths.pki.caCert}`,
      `--service-cluster-ip-range=${settings.serviceClusterIpRange}`,
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction',
      `--authentication-config=${paths.authenticationConfig}`,
      '--enable-bootstrap-token-auth',
      `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
      `--service-account-key-file=${paths.pki.serviceAccountPub}`,
      `--service-account-signing-key-file=${paths.pki.serviceAccountKey}`,
      `--kubelet-client-certificate=${paths.pki.apiserverKubeletClientCert}`,
      `--kubelet-client-key=${paths.pki.apiserverKubeletClientKey}`,
    ],
    probe: { kind: 'https', url: `${apiserverUrl(ports)}/readyz`, verify: 'cluster-ca' },
  };
}

/** Its /healthz is served over HTTPS with a self-signed certificate (no --tls-cert-file, as kubeadm). */
function controllerManagerSpec(record: PlannedRecord, paths: ClusterPaths): ComponentSpec {
  const { ports } = record;
  return {
    name: 'controller-manager',
    args: [
      'controller-manager',
      `--kubeconfig=${componentKubeconfig(paths, 'controller-manager')}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${ports.controllerManager}`,
      `--root-ca-file=${paths.pki.caCert}`,
      `--service-account-private-key-file=${paths.pki.serviceAccountKey}`,
      '--use-service-account-credentials=true',
      '--allocate-node-cidrs=true',
      `--cluster-cidr=${POD_NETWORK_CIDR}`,
      `--service-cluster-ip-range=${record.settings.serviceClusterIpRange}`,
      '--leader-elect=true',
      `--leader-elect-lease-duration=${LEADER_ELECTION.leaseDuration}`,
      `--leader-elect-renew-deadline=${LEADER_ELECTION.renewDeadline}`,
      `--leader-elect-retry-period=${LEADER_ELECTION.retryPeriod}`,
    ],
    probe: { kind: 'https', url: `https://127.0.0.1:${ports.controllerManager}/healthz`, verify: 'none' },
  };
}

/** Its /healthz is served over HTTPS with a self-signed certificate, as the controller-manager's. */
function schedulerSpec({ ports }: PlannedRecord, paths: ClusterPaths): ComponentSpec {
  return {
    name: 'scheduler',
    args: [
      'scheduler',
      `--kubeconfig=${componentKubeconfig(paths, 'scheduler')}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${ports.scheduler}`,
      '--leader-elect=true',
      `--leader-elect-lease-duration=${LEADER_ELECTION.leaseDuration}`,
      `--leader-elect-renew-deadline=${LEADER_ELECTION.renewDeadline}`,
      `--leader-elect-retry-period=${LEADER_ELECTION.retryPeriod}`,
    ],
    probe: { kind: 'https', url: `https://127.0.0.1:${ports.scheduler}/healthz`, verify: 'none' },
  };
}

/**
 * The address hollow node `index` (0-based) reports: 127.18.0.2, 127.18.0.3, … — kind's node
 * addresses (172.18.0.x) moved into the loopback range, where every address is the machine's own
 * (Linux routes all of 127.0.0.0/8 to lo): each hollow kubelet binds its server to its node's
 * address and the apiserver reaches it there, yet simulated hosts never take a real network's
 * addresses.
 */
export function hollowNodeIp(index: number): string {
  const n = index + 1;
  return `127.18.${Math.floor(n / 254)}.${(n % 254) + 1}`;
}

/**
 * One kubelet per node, as the node's own identity (system:node:<node>). Their healthz ports are
 * picked free (--healthz-port=0): running is all there is to probe; their readiness is the
 * Node's Ready condition, which `up` waits for. Their API ports too (--port=0): each Node's
 * status says where its kubelet serves, which is how the apiserver finds it.
 */
function kubeletSpecs(record: PlannedRecord, paths: ClusterPaths): ComponentSpec[] {
  if (record.settings.runtime !== 'fake') return [];
  return nodeNames(record.name, record.settings.nodes).map((node, index) => ({
    name: `kubelet-${node}`,
    args: [
      'kubelet',
      `--kubeconfig=${componentKubeconfig(paths, `kubelet-${node}`)}`,
      `--hostname-override=${node}`,
      `--node-ip=${hollowNodeIp(index)}`,
      '--runtime=fake',
      `--cluster-dns=${CLUSTER_DNS_IP}`,
      '--cluster-domain=cluster.local',
      '--healthz-port=0',
      // hollow nodes of clusters running side by side share addresses: each picks a free port
      '--port=0',
    ],
    probe: { kind: 'process' },
  }));
}

export function planComponents(record: PlannedRecord, paths: ClusterPaths): ComponentPlan {
  const { nodes, runtime } = record.settings;
  const nodeComponentsNotBuilt = runtime === 'docker' ? ['kubelet (--runtime docker)', ...NODE_COMPONENTS_NOT_BUILT] : NODE_COMPONENTS_NOT_BUILT;
  const components = [
    ...storeSpecs(record, paths),
    apiserverSpec(record, paths),
    controllerManagerSpec(record, paths),
    schedulerSpec(record, paths),
    ...kubeletSpecs(record, paths),
  ];
  const extra = record.settings.extraConfig ?? [];
  return {
    components: components.map((c) => ({ ...c, args: withExtraFlags(c.name, c.args, extra) })),
    notBuilt: nodes > 0 ? nodeComponentsNotBuilt : [],
  };
}
