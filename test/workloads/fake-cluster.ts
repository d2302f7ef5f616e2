// A cluster of hollow nodes for the workload journeys: `k8ts up --runtime fake --nodes N`, then
// real kubectl 1.32 as its admin, and a watch through @k8ts/client for tests that must see every
// intermediate state (a rollout's surge and unavailability), which polling kubectl would miss.
import { clientConfig, loadKubeconfig, processIO, RestClient, type WatchEvent } from '@k8ts/client';
import type { KubeObject } from '@k8ts/api';
import { eventually, K8tsHome } from '../cluster/k8ts-home.ts';

export const SLOW = 300_000;

export interface Pod extends KubeObject {
  spec: { nodeName?: string; containers: { name: string; image: string }[]; tolerations?: unknown[] };
  status?: { phase?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[]; podIP?: string };
}

const POD = { group: '', version: 'v1', kind: 'Pod' };

export function isReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export class FakeCluster {
  readonly home = new K8tsHome();
  readonly name: string;

  /** `upArgs`: more `k8ts up` flags, e.g. ['--extra-config=controller-manager.horizontal-pod-autoscaler-sync-period=5s'] */
  constructor(
    base: string,
    readonly nodes: number,
    readonly upArgs: readonly string[] = [],
  ) {
    this.name = this.home.cluster(base);
  }

  async up(): Promise<string> {
    return this.home.ok(['up', '--name', this.name, '--runtime', 'fake', '--nodes', String(this.nodes), ...this.upArgs], SLOW);
  }

  nodeNames(): string[] {
    return Array.from({ length: this.nodes }, (_, i) => `${this.name}-node-${i + 1}`);
  }

  kubectl(args: string[], stdin?: string) {
    return this.home.kubectl(this.name, args, { stdin, timeoutMs: 120_000 });
  }

  kubectlOk(args: string[], stdin?: string): Promise<string> {
    return this.home.kubectlOk(this.name, args, { stdin, timeoutMs: 120_000 });
  }

  async json<T = KubeObject>(args: string[]): Promise<T> {
    return JSON.parse(await this.kubectlOk([...args, '-o', 'json'])) as T;
  }

  async pods(namespace: string, selector: string): Promise<Pod[]> {
    return (await this.json<{ items: Pod[] }>(['get', 'pods', '-n', namespace, '-l', selector])).items;
  }

  /** Waits until `check` returns a value, polling kubectl (or anything) every 250 ms. */
  eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 120_000): Promise<T> {
    return eventually(what, check, timeoutMs);
  }

  /** The admin's client (the test's own view of the cluster, for watches). */
  client(): RestClient {
    const config = clientConfig(loadKubeconfig({ explicitPath: this.home.adminKubeconfig(this.name) }), {}, processIO);
    return new RestClient(config.restConfig);
  }

  /**
   * Watches pods matching `selector` from now on, calling `onChange` with the live set after each
   * event; stop() ends it.
   */
  async watchPods(namespace: string, selector: string, onChange: (pods: Map<string, Pod>) => void): Promise<{ stop(): void }> {
    const pods = this.client().forKind<Pod>(POD).namespace(namespace);
    const list = await pods.list({ labelSelector: selector });
    const live = new Map(list.items.map((p) => [p.metadata.name!, p]));
    const watch = await pods.watch({ labelSelector: selector, resourceVersion: list.metadata.resourceVersion });
    void (async () => {
      for await (const event of watch as AsyncIterable<WatchEvent<Pod>>) {
        if (event.type === 'ERROR' || event.type === 'BOOKMARK') continue;
        if (event.type === 'DELETED') live.delete(event.object.metadata.name!);
        else live.set(event.object.metadata.name!, event.object);
        onChange(live);
      }
    })();
    return { stop: () => watch.stop() };
  }

  /** The pid the supervisor records for a component ("scheduler", "kubelet-<node>", …). */
  pidOf(component: string): number {
    const entry = this.home.processes(this.name).components.find((c) => c.name === component);
    if (!entry?.pid) throw new Error(`no running component "${component}" in cluster ${this.name}`);
    return entry.pid;
  }

  cleanup(): Promise<void> {
    return this.home.cleanup();
  }
}
