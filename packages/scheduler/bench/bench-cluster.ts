// The cluster one bench run measures, every part its own process on 127.0.0.1: a `k8ts store`,
// a `k8ts apiserver` on it (plain HTTP: the bench measures scheduling, not TLS), a `k8ts
// controller-manager` running node IPAM and node lifecycle (podCIDRs for the hollow nodes' pod
// IPs; the not-ready taint admission puts on new nodes lifted once they are Ready), a `k8ts
// scheduler`, and the nodes. Everything it starts is stopped by PID in stop().
import fs from 'node:fs';
import path from 'node:path';
import { RestClient } from '@k8ts/client';
import { ControlPlane } from '../../../test/support/control-plane.ts';
import { ComponentProcess } from './component-process.ts';

/**
 * Pod CIDRs for node IPAM: a /9 holds 32,768 /24s, enough for any node count the bench runs
 * (`k8ts up`'s 10.244.0.0/16 holds 256). The addresses are only written into objects.
 */
export const BENCH_CLUSTER_CIDR = '10.128.0.0/9';
/**
 * Client rate limits of the scheduler and the controller-manager. kube-scheduler's default
 * (50 QPS) would cap bindings at 50 pods/s; scheduler_perf raises it the same way.
 */
export const COMPONENT_QPS = 5_000;

/**
 * Where the nodes come from. "hollow": one `k8ts hollow-nodes` process (Node, Lease heartbeats,
 * pods walked to Running). "objects": Node objects the bench writes itself, Ready and never
 * heartbeating (scheduler_perf's way: the scheduler alone, without kubelet load on the apiserver).
 */
export type NodeSource = 'hollow' | 'objects';

export interface BenchClusterOptions {
  /** A directory of its own for kubeconfig and logs; kept by the caller. */
  directory: string;
  nodeSource: NodeSource;
  /** Write V8 CPU profiles of the apiserver and the scheduler here. */
  profileDirectory?: string;
  /** The controller-manager's --controllers (default: what the nodes need, node IPAM and node lifecycle) */
  controllers?: string;
}

const START_TIMEOUT_MS = 60_000;

export class BenchCluster {
  private readonly components: ComponentProcess[] = [];
  private stopped: Promise<void> | undefined;
  readonly client: RestClient;
  schedulerUrl = '';

  private constructor(
    private readonly options: BenchClusterOptions,
    private readonly plane: ControlPlane,
    readonly kubeconfig: string,
  ) {
    // The bench's own client: no client-side rate limit, so it goes as fast as the apiserver answers.
    this.client = new RestClient({ host: plane.url, qps: -1, userAgent: 'k8ts-bench-scheduler' });
  }

  static async start(options: BenchClusterOptions): Promise<BenchCluster> {
    const profile = options.profileDirectory ? ['--cpu-prof', '--cpu-prof-dir', options.profileDirectory] : [];
    // Nodes the bench writes itself never get the not-ready taint lifted (no kubelet heartbeats
    // for node lifecycle to judge), so admission must not add it.
    const admission = options.nodeSource === 'objects' ? ['--disable-admission-plugins=ServiceAccount,TaintNodesByCondition'] : [];
    const plane = await ControlPlane.start('k8ts', admission, { nodeFlags: profile });
    const kubeconfig = path.join(options.directory, 'kubeconfig');
    fs.writeFileSync(kubeconfig, kubeconfigFor(plane.url));
    const cluster = new BenchCluster(options, plane, kubeconfig);
    try {
      const controllers = options.controllers ?? (options.nodeSource === 'hollow' ? 'nodeipam,nodelifecycle' : 'nodeipam');
      cluster.startComponent('controller-manager', [
        'controller-manager',
        `--kubeconfig=${kubeconfig}`,
        `--controllers=${controllers}`,
        '--allocate-node-cidrs=true',
        `--cluster-cidr=${BENCH_CLUSTER_CIDR}`,
        '--leader-elect=false',
        '--bind-address=127.0.0.1',
        '--secure-port=0',
        `--kube-api-qps=${COMPONENT_QPS}`,
        `--kube-api-burst=${COMPONENT_QPS}`,
      ]);
      const scheduler = cluster.startComponent(
        'scheduler',
        [
          'scheduler',
          `--kubeconfig=${kubeconfig}`,
          '--leader-elect=false',
          '--bind-address=127.0.0.1',
          '--secure-port=0',
          `--kube-api-qps=${COMPONENT_QPS}`,
          `--kube-api-burst=${COMPONENT_QPS}`,
        ],
        profile,
      );
      cluster.schedulerUrl = (await scheduler.waitForLog(/serving \S+.* on (https:\/\/\S+)/, START_TIMEOUT_MS))[1]!;
      return cluster;
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }

  /** `k8ts hollow-nodes`: `count` simulated nodes named <prefix>0 … <prefix>(count-1), in one process. */
  startHollowNodes(count: number, prefix: string): ComponentProcess {
    return this.startComponent('hollow-nodes', ['hollow-nodes', `--kubeconfig=${this.kubeconfig}`, `--nodes=${count}`, `--name-prefix=${prefix}`]);
  }

  private startComponent(name: string, args: string[], nodeFlags: string[] = []): ComponentProcess {
    const component = ComponentProcess.start(name, args, path.join(this.options.directory, `${name}.log`), nodeFlags);
    this.components.push(component);
    return component;
  }

  component(name: string): ComponentProcess | undefined {
    return this.components.find((c) => c.name === name);
  }

  /** Every process of the cluster, for CPU accounting. */
  processes(): { name: string; pid: number }[] {
    return [
      { name: 'store', pid: this.plane.store.pid! },
      { name: 'apiserver', pid: this.plane.apiserverPid! },
      ...this.components.filter((c) => c.running).map((c) => ({ name: c.name, pid: c.pid })),
    ];
  }

  get apiserverUrl(): string {
    return this.plane.url;
  }

  /** The component processes first (nodes, then scheduler, then controller-manager), the control plane last; once. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      for (const component of [...this.components].reverse()) await component.stop();
      await this.plane.stop();
    })();
    return this.stopped;
  }
}

function kubeconfigFor(server: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: bench
  cluster:
    server: ${server}
users:
- name: bench
  user: {}
contexts:
- name: bench
  context:
    cluster: bench
    user: bench
current-context: bench
`;
}
