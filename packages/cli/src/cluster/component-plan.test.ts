import { parseControllerManagerOptions } from '@k8ts/controller-manager';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseApiserverFlags } from '../commands/apiserver.ts';
import { clusterPaths } from './cluster-paths.ts';
import { parseSchedulerOptions } from '@k8ts/scheduler';
import { authenticationConfiguration, firstServiceIp, hollowNodeIp, nodeNames, planComponents, portRoles, startSteps, storeMemberNames } from './component-plan.ts';
import { choosePorts } from './ports.ts';
import { resolveSettings } from './up-settings.ts';

const paths = clusterPaths('/home/u/.k8ts', 'dev');
const record = {
  name: 'dev',
  createdAt: '2025-01-01T00:00:00Z',
  settings: resolveSettings('dev', {}, undefined),
  ports: { storeClient: 2381, storePeer: 2382, apiserver: 6444, controllerManager: 10258, scheduler: 10260 },
};

function component(name: string) {
  const spec = planComponents(record, paths).components.find((c) => c.name === name);
  if (!spec) throw new Error(`no ${name} in the plan`);
  return spec;
}

/** A command line without its leading subcommand, checked to be that subcommand's. */
function flagsOf(name: string): string[] {
  const [subcommand, ...flags] = component(name).args;
  expect(subcommand).toBe(name.startsWith('kubelet-') ? 'kubelet' : name);
  return flags;
}

describe('planComponents', () => {
  it('starts the store, the apiserver, the controller-manager, the scheduler and a kubelet per node, in that order', () => {
    expect(planComponents(record, paths).components.map((c) => c.name)).toEqual(['store', 'apiserver', 'controller-manager', 'scheduler', 'kubelet-dev-node-1']);
  });

  it('runs the store on the cluster\'s ports with its data under store/', () => {
    const store = component('store');
    expect(store.args).toEqual([
      'store',
      '--name=store',
      '--data-dir=/home/u/.k8ts/dev/store/store',
      '--listen-client-urls=http://127.0.0.1:2381',
      '--advertise-client-urls=http://127.0.0.1:2381',
      '--listen-peer-urls=http://127.0.0.1:2382',
      '--initial-advertise-peer-urls=http://127.0.0.1:2382',
      '--initial-cluster=store=http://127.0.0.1:2382',
      '--initial-cluster-token=k8ts-dev-m5d4ruo0',
      '--snapshot-count=10000',
    ]);
    expect(store.probe).toMatchObject({ kind: 'store', endpoint: 'http://127.0.0.1:2381', memberId: expect.stringMatching(/^\d+$/) });
  });

  it('runs the apiserver secured as kubeadm runs it, probing /readyz against the cluster CA', () => {
    const apiserver = component('apiserver');
    expect(apiserver.args).toEqual([
      'apiserver',
      '--etcd-servers=http://127.0.0.1:2381',
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      '--secure-port=6444',
      '--tls-cert-file=/home/u/.k8ts/dev/pki/apiserver.crt',
      '--tls-private-key-file=/home/u/.k8ts/dev/pki/apiserver.key',
      '--client-ca-file=/home/u/.k8ts/dev/pki/ca.crt',
      '--service-cluster-ip-range=10.96.0.0/12',
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction',
      '--authentication-config=/home/u/.k8ts/dev/authentication-config.yaml',
      '--enable-bootstrap-token-auth',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      '--service-account-key-file=/home/u/.k8ts/dev/pki/sa.pub',
      '--service-account-signing-key-file=/home/u/.k8ts/dev/pki/sa.key',
      '--kubelet-client-certificate=/home/u/.k8ts/dev/pki/apiserver-kubelet-client.crt',
      '--kubelet-client-key=/home/u/.k8ts/dev/pki/apiserver-kubelet-client.key',
    ]);
    expect(apiserver.probe).toEqual({ kind: 'https', url: 'https://127.0.0.1:6444/readyz', verify: 'cluster-ca' });
  });

  it('runs the controller-manager with its own kubeconfig and Kubernetes\' leader election timings, probing /healthz on its secure port', () => {
    const controllerManager = component('controller-manager');
    expect(controllerManager.args).toEqual([
      'controller-manager',
      '--kubeconfig=/home/u/.k8ts/dev/kubeconfigs/controller-manager.kubeconfig',
      '--bind-address=127.0.0.1',
      '--secure-port=10258',
      '--root-ca-file=/home/u/.k8ts/dev/pki/ca.crt',
      '--service-account-private-key-file=/home/u/.k8ts/dev/pki/sa.key',
      '--use-service-account-credentials=true',
      '--allocate-node-cidrs=true',
      '--cluster-cidr=10.244.0.0/16',
      '--service-cluster-ip-range=10.96.0.0/12',
      '--leader-elect=true',
      '--leader-elect-lease-duration=15s',
      '--leader-elect-renew-deadline=10s',
      '--leader-elect-retry-period=2s',
    ]);
    expect(controllerManager.probe).toEqual({ kind: 'https', url: 'https://127.0.0.1:10258/healthz', verify: 'none' });
  });

  it('gives the apiserver a command line `k8ts apiserver` accepts, meaning what kubeadm\'s does', () => {
    expect(parseApiserverFlags(flagsOf('apiserver'))).toMatchObject({
      etcdServers: ['http://127.0.0.1:2381'],
      bindAddress: '127.0.0.1',
      securePort: 6444,
      clientCaFile: '/home/u/.k8ts/dev/pki/ca.crt',
      authorizationMode: ['Node', 'RBAC'],
      enableAdmissionPlugins: ['NodeRestriction'],
      authenticationConfigFile: '/home/u/.k8ts/dev/authentication-config.yaml',
      enableBootstrapTokenAuth: true,
      serviceAccountIssuers: ['https://kubernetes.default.svc.cluster.local'],
      serviceAccountKeyFiles: ['/home/u/.k8ts/dev/pki/sa.pub'],
      serviceAccountSigningKeyFile: '/home/u/.k8ts/dev/pki/sa.key',
    });
  });

  it('gives the controller-manager a command line `k8ts controller-manager` accepts, with leader election no shorter than 15s/10s/2s', () => {
    expect(parseControllerManagerOptions(flagsOf('controller-manager'))).toMatchObject({
      kubeconfig: '/home/u/.k8ts/dev/kubeconfigs/controller-manager.kubeconfig',
      bindAddress: '127.0.0.1',
      securePort: 10258,
      rootCaFile: '/home/u/.k8ts/dev/pki/ca.crt',
      serviceAccountPrivateKeyFile: '/home/u/.k8ts/dev/pki/sa.key',
      useServiceAccountCredentials: true,
      allocateNodeCidrs: true,
      clusterCidr: '10.244.0.0/16',
      leaderElection: { leaderElect: true, leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
    });
  });

  it('gives the scheduler its own kubeconfig, a secure port probed at /healthz, and the controller-manager\'s leader election', () => {
    const options = parseSchedulerOptions(flagsOf('scheduler'), () => null);
    expect(options).toMatchObject({ kubeconfig: '/home/u/.k8ts/dev/kubeconfigs/scheduler.kubeconfig', bindAddress: '127.0.0.1', securePort: 10260 });
    expect(component('scheduler').probe).toEqual({ kind: 'https', url: 'https://127.0.0.1:10260/healthz', verify: 'none' });
  });

  it('runs each hollow node as a kubelet of its own identity and address, never the machine\'s', () => {
    expect(flagsOf('kubelet-dev-node-1' as 'kubelet')).toEqual([
      '--kubeconfig=/home/u/.k8ts/dev/kubeconfigs/kubelet-dev-node-1.kubeconfig',
      '--hostname-override=dev-node-1',
      '--node-ip=127.18.0.2',
      '--runtime=fake',
      '--cluster-dns=10.96.0.10',
      '--cluster-domain=cluster.local',
      '--healthz-port=0',
      '--port=0',
    ]);
    expect([0, 252, 253, 999].map(hollowNodeIp)).toEqual(['127.18.0.2', '127.18.0.254', '127.18.1.1', '127.18.3.239']);
  });

  it('appends --extra-config flags to the components they name', () => {
    const tuned = { ...record, settings: { ...record.settings, extraConfig: ['controller-manager.horizontal-pod-autoscaler-sync-period=5s', 'kubelet.v=4'] } };
    const components = planComponents(tuned, paths).components;
    expect(components.find((c) => c.name === 'controller-manager')!.args.at(-1)).toBe('--horizontal-pod-autoscaler-sync-period=5s');
    expect(components.find((c) => c.name === 'kubelet-dev-node-1')!.args.at(-1)).toBe('--v=4');
    expect(components.find((c) => c.name === 'scheduler')!.args.some((a) => a.startsWith('--horizontal'))).toBe(false);
  });

  it('names what is not built: the proxy when there are nodes, and the kubelet when they would need Docker', () => {
    expect(planComponents(record, paths).notBuilt).toEqual(['proxy']);
    const noNodes = { ...record, settings: { ...record.settings, nodes: 0 } };
    expect(planComponents(noNodes, paths).notBuilt).toEqual([]);
    const docker = { ...record, settings: { ...record.settings, runtime: 'docker' as const } };
    expect(planComponents(docker, paths).notBuilt).toEqual(['kubelet (--runtime docker)', 'proxy']);
    expect(planComponents(docker, paths).components.map((c) => c.name)).not.toContain('kubelet-dev-node-1');
  });
});

describe('a replicated store', () => {
  const replicated = {
    ...record,
    settings: { ...record.settings, storeMembers: 3 },
    ports: { storeClient: 2379, storePeer: 2380, 'storeClient-2': 2381, 'storePeer-2': 2382, 'storeClient-3': 2383, 'storePeer-3': 2384, apiserver: 6443, controllerManager: 10257 },
  };
  const plan = planComponents(replicated, paths).components;
  const flag = (args: string[], name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);

  it('reserves a client and a peer port per member, walking up from etcd\'s 2379 and 2380', async () => {
    expect(portRoles(1)).toEqual(['storeClient', 'storePeer', 'apiserver', 'controllerManager', 'scheduler']);
    expect(portRoles(3)).toEqual(['storeClient', 'storePeer', 'storeClient-2', 'storePeer-2', 'storeClient-3', 'storePeer-3', 'apiserver', 'controllerManager', 'scheduler']);
    expect(await choosePorts(portRoles(3), {}, new Set([2381]), async () => true)).toEqual({
      storeClient: 2379, storePeer: 2380, 'storeClient-2': 2382, 'storePeer-2': 2383, 'storeClient-3': 2384, 'storePeer-3': 2385, apiserver: 6443, controllerManager: 10257, scheduler: 10259,
    });
  });

  it('runs one member per store-N on its own ports and data dir, all founding one cluster with one token', () => {
    expect(plan.map((c) => c.name)).toEqual(['store-1', 'store-2', 'store-3', 'apiserver', 'controller-manager', 'scheduler', 'kubelet-dev-node-1']);
    const members = plan.slice(0, 3);
    const initialCluster = 'store-1=http://127.0.0.1:2380,store-2=http://127.0.0.1:2382,store-3=http://127.0.0.1:2384';
    members.forEach((member, i) => {
      expect(flag(member.args, 'name')).toBe(`store-${i + 1}`);
      expect(flag(member.args, 'data-dir')).toBe(`/home/u/.k8ts/dev/store/store-${i + 1}`);
      expect(flag(member.args, 'listen-client-urls')).toBe(`http://127.0.0.1:${2379 + 2 * i}`);
      expect(flag(member.args, 'initial-advertise-peer-urls')).toBe(`http://127.0.0.1:${2380 + 2 * i}`);
      expect(flag(member.args, 'initial-cluster')).toBe(initialCluster);
      expect(member.probe).toMatchObject({ kind: 'store', endpoint: `http://127.0.0.1:${2379 + 2 * i}` });
    });
    expect(new Set(members.map((m) => flag(m.args, 'initial-cluster-token'))).size).toBe(1);
    expect(new Set(members.map((m) => (m.probe.kind === 'store' ? m.probe.memberId : undefined))).size).toBe(3);
  });

  it('gives the apiserver every member\'s client URL', () => {
    const [subcommand, ...flags] = plan.find((c) => c.name === 'apiserver')!.args;
    expect(subcommand).toBe('apiserver');
    expect(parseApiserverFlags(flags)).toMatchObject({ etcdServers: ['http://127.0.0.1:2379', 'http://127.0.0.1:2381', 'http://127.0.0.1:2383'] });
  });

  it('starts the members together (they need each other for a quorum), then each other component after the one before', () => {
    const rest = [['apiserver'], ['controller-manager'], ['scheduler'], ['kubelet-dev-node-1']];
    expect(startSteps(plan).map((step) => step.map((c) => c.name))).toEqual([['store-1', 'store-2', 'store-3'], ...rest]);
    expect(startSteps(planComponents(record, paths).components).map((step) => step.map((c) => c.name))).toEqual([['store'], ...rest]);
  });
});

describe('store identity', () => {
  it('gives clusters of the same name created at different times different store tokens and member IDs', () => {
    const probe = (createdAt: string) => planComponents({ ...record, createdAt }, paths).components[0]!;
    const first = probe('2025-01-01T00:00:00Z');
    const second = probe('2025-01-01T00:00:01Z');
    const token = (spec: typeof first) => spec.args.find((arg) => arg.startsWith('--initial-cluster-token='));
    expect(token(first)).not.toBe(token(second));
    expect(first.probe).not.toEqual(second.probe);
    expect(probe('2025-01-01T00:00:00Z').probe).toEqual(first.probe);
  });
});

describe('naming and addresses', () => {
  it('names one store member "store" and replicated members store-1 … store-N', () => {
    expect(storeMemberNames(1)).toEqual(['store']);
    expect(storeMemberNames(3)).toEqual(['store-1', 'store-2', 'store-3']);
  });

  it('names nodes after their cluster', () => {
    expect(nodeNames('dev', 2)).toEqual(['dev-node-1', 'dev-node-2']);
  });

  it('finds the first address of the service range (the kubernetes Service)', () => {
    expect(firstServiceIp('10.96.0.0/12')).toBe('10.96.0.1');
    expect(firstServiceIp('10.100.7.9/16')).toBe('10.100.0.1');
    expect(firstServiceIp('192.168.0.0/24')).toBe('192.168.0.1');
    expect(() => firstServiceIp('fd00::/108')).toThrow('invalid service CIDR "fd00::/108"');
  });
});

describe('authenticationConfiguration', () => {
  it('allows anonymous requests on the health and version endpoints only', () => {
    expect(parse(authenticationConfiguration())).toEqual({
      apiVersion: 'apiserver.config.k8s.io/v1beta1',
      kind: 'AuthenticationConfiguration',
      anonymous: { enabled: true, conditions: [{ path: '/healthz' }, { path: '/livez' }, { path: '/readyz' }, { path: '/version' }] },
    });
  });
});
