import type { KubeObject } from '@k8ts/api';
import { FakeClock, type Logger } from '@k8ts/client';
import { FakeApi } from '@k8ts/controller-manager/testing/fake-api.ts';
import { afterEach, describe, expect, it } from 'vitest';
import type { Lease } from './node/heartbeat.ts';
import type { Node, NodeConfig } from './node/node-object.ts';
import { runNodeHost } from './node-host.ts';
import type { Pod } from './pod/pod-types.ts';
import { FakeRuntime } from './runtime/fake/fake-runtime.ts';

function nodeConfig(name: string): NodeConfig {
  return {
    nodeName: name,
    hostname: name,
    nodeIP: '172.18.0.2',
    labels: {},
    taints: [],
    cpu: '4',
    memory: '16Gi',
    maxPods: 110,
    ephemeralStorage: '100Gi',
    containerRuntimeVersion: 'fake://1.0.0',
    machineID: 'm',
    bootID: 'b',
  };
}

function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

function boundPod(name: string, spec: Partial<Pod['spec']> = {}, annotations: Record<string, string> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', annotations },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }], qosClass: 'BestEffort' },
  };
}

class Cluster {
  readonly clock = new FakeClock(Date.UTC(2025, 0, 1));
  readonly api = new FakeApi(this.clock);
  readonly logs: string[] = [];
  private readonly stop = new AbortController();
  private running: Promise<void> | undefined;
  ready = false;

  constructor(...nodes: string[]) {
    this.api.seed(namespace('default'), namespace('kube-node-lease'));
    const logger: Logger = { info: (m) => this.logs.push(`I ${m}`), warn: (m) => this.logs.push(`W ${m}`) };
    this.running = runNodeHost(
      {
        client: this.api.client(),
        clock: this.clock,
        logger,
        nodes: nodes.map(nodeConfig),
        runtimeFor: (c) => new FakeRuntime({ clock: this.clock, idSeed: c.nodeName }),
        runtimeName: 'fake',
        recordNodeEvents: true,
        random: () => 0.5,
        onReady: () => (this.ready = true),
      },
      this.stop.signal,
    );
  }

  pod(name: string): Pod | undefined {
    return this.api.get<Pod>('v1', 'Pod', 'default', name);
  }

  events(): { reason: string; message: string; fieldPath?: string }[] {
    return this.api.list<KubeObject & { reason: string; message: string; involvedObject: { fieldPath?: string } }>('v1', 'Event').map((e) => ({
      reason: e.reason,
      message: e.message,
      ...(e.involvedObject.fieldPath ? { fieldPath: e.involvedObject.fieldPath } : {}),
    }));
  }

  async until(predicate: () => boolean, what: string, limitMs = 60_000): Promise<void> {
    for (let waited = 0; waited <= limitMs; waited += 50) {
      if (predicate()) return;
      await this.clock.advance(50);
    }
    throw new Error(`timed out waiting for ${what}\n${this.logs.join('\n')}`);
  }

  async assignCidr(node: string, cidr: string): Promise<void> {
    await this.api.client().forKind({ group: '', version: 'v1', kind: 'Node' }).patch(node, 'strategic', { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
  }

  async shutdown(): Promise<void> {
    this.stop.abort();
    this.api.closeWatches();
    await this.clock.advance(1000);
    await this.running;
  }
}

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.shutdown();
  cluster = undefined;
});

async function readyCluster(): Promise<Cluster> {
  const c = (cluster = new Cluster('node-1'));
  await c.until(() => c.ready, 'the node host to be ready');
  await c.assignCidr('node-1', '10.244.1.0/24');
  return c;
}

describe('a hollow node', () => {
  it('registers its Node, heartbeats a Lease and reports Ready', async () => {
    const c = (cluster = new Cluster('node-1'));
    await c.until(() => c.ready, 'ready');
    const node = c.api.get<Node>('v1', 'Node', undefined, 'node-1')!;
    expect(node.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 'node-1', 'kubernetes.io/os': 'linux' });
    expect(node.status!.conditions!.find((x) => x.type === 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    await c.until(() => c.api.get('coordination.k8s.io/v1', 'Lease', 'kube-node-lease', 'node-1') !== undefined, 'the lease');
    const lease = c.api.get<Lease>('coordination.k8s.io/v1', 'Lease', 'kube-node-lease', 'node-1')!;
    expect(lease.spec).toMatchObject({ holderIdentity: 'node-1', leaseDurationSeconds: 40 });
    expect(lease.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: node.metadata.uid }]);
    const firstRenew = lease.spec.renewTime!;
    await c.clock.advance(10_000);
    expect(c.api.get<Lease>('coordination.k8s.io/v1', 'Lease', 'kube-node-lease', 'node-1')!.spec.renewTime).not.toBe(firstRenew);
    expect(c.events().map((e) => e.reason)).toEqual(expect.arrayContaining(['Starting', 'NodeHasSufficientMemory', 'NodeReady']));
  });

  it('reports Ready again at once when someone else marked its node Unknown, with a new transition time', async () => {
    const c = (cluster = new Cluster('node-1'));
    await c.until(() => c.ready, 'ready');
    const ready = () => c.api.get<Node>('v1', 'Node', undefined, 'node-1')!.status!.conditions!.find((x) => x.type === 'Ready')!;
    const unknown = { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: '2025-01-01T00:00:30Z' };
    // what the node lifecycle controller writes for a node it has not heard from
    await c.api.client().forKind({ group: '', version: 'v1', kind: 'Node' }).patch('node-1', 'strategic', { status: { conditions: [unknown] } }, { subresource: 'status' });
    expect(ready().status).toBe('Unknown');
    await c.until(() => ready().status === 'True', 'Ready again', 11_000);
    expect(ready()).toMatchObject({ reason: 'KubeletReady', message: 'kubelet is posting ready status' });
    expect(ready().lastTransitionTime).not.toBe('2025-01-01T00:00:00Z');
  });

  it('keeps pods ContainerCreating until the node has a pod CIDR, then runs them with an IP from it', async () => {
    const c = (cluster = new Cluster('node-1'));
    await c.until(() => c.ready, 'ready');
    c.api.seed(boundPod('web'));
    await c.until(() => c.events().some((e) => e.reason === 'FailedCreatePodSandBox'), 'the sandbox failure');
    expect(c.pod('web')!.status!.containerStatuses![0]!.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    await c.assignCidr('node-1', '10.244.1.0/24');
    await c.until(() => c.pod('web')?.status?.phase === 'Running', 'the pod to run');
    const status = c.pod('web')!.status!;
    expect(status).toMatchObject({ podIP: '10.244.1.2', hostIP: '172.18.0.2' });
    expect(status.conditions!.map((x) => `${x.type}=${x.status}`)).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    expect(status.containerStatuses![0]).toMatchObject({ ready: true, started: true, restartCount: 0, image: 'docker.io/library/nginx:1.27' });
    expect(status.containerStatuses![0]!.containerID).toMatch(/^fake:\/\/[0-9a-f]{64}$/);
    expect(c.events().filter((e) => e.fieldPath === 'spec.containers{app}')).toEqual([
      { reason: 'Pulled', message: 'Container image "nginx:1.27" already present on machine', fieldPath: 'spec.containers{app}' },
      { reason: 'Created', message: 'Created container: app', fieldPath: 'spec.containers{app}' },
      { reason: 'Started', message: 'Started container app', fieldPath: 'spec.containers{app}' },
    ]);
  });

  it('runs a `sleep` pod to completion', async () => {
    const c = await readyCluster();
    c.api.seed(boundPod('job', { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 5'] }] }));
    await c.until(() => c.pod('job')?.status?.phase === 'Running', 'running');
    const started = c.clock.now();
    await c.until(() => c.pod('job')?.status?.phase === 'Succeeded', 'success');
    expect(c.clock.now() - started).toBeGreaterThanOrEqual(4000);
    expect(c.pod('job')!.status!.containerStatuses![0]!.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(c.pod('job')!.status!.conditions!.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('restarts a crashing container with growing back-off', async () => {
    const c = await readyCluster();
    c.api.seed(boundPod('crash', {}, { 'fake.k8ts.io/exit-after': '1', 'fake.k8ts.io/exit-code': '1' }));
    await c.until(() => c.pod('crash')?.status?.containerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff', 'CrashLoopBackOff', 120_000);
    const status = c.pod('crash')!.status!;
    expect(status.phase).toBe('Running');
    expect(status.containerStatuses![0]).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 1, reason: 'Error' } } });
    expect(status.containerStatuses![0]!.state.waiting!.message).toMatch(/^back-off 10s restarting failed container=app pod=crash_default\(/);
    expect(c.events().some((e) => e.reason === 'BackOff' && e.message.startsWith('Back-off restarting failed container app in pod crash_default('))).toBe(true);
    await c.until(() => c.pod('crash')!.status!.containerStatuses![0]!.restartCount === 2, 'the second restart', 20_000);
  });

  it('runs init containers first, then the app', async () => {
    const c = await readyCluster();
    c.api.seed(boundPod('init', { initContainers: [{ name: 'setup', image: 'busybox:1.36', command: ['sleep', '3'] }] }));
    await c.until(() => c.pod('init')?.status?.initContainerStatuses?.[0]?.state.running !== undefined, 'the init container');
    expect(c.pod('init')!.status!.containerStatuses![0]!.state).toEqual({ waiting: { reason: 'PodInitializing' } });
    await c.until(() => c.pod('init')?.status?.phase === 'Running', 'the app');
    expect(c.pod('init')!.status!.initContainerStatuses![0]!.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('stops a deleted pod, reports its final status, then removes it', async () => {
    const c = await readyCluster();
    c.api.seed(boundPod('web'));
    await c.until(() => c.pod('web')?.status?.phase === 'Running', 'running');
    await c.api.client().forKind({ group: '', version: 'v1', kind: 'Pod' }).namespace('default').delete('web');
    expect(c.pod('web')?.metadata.deletionTimestamp).toBeTruthy();
    await c.until(() => c.pod('web') === undefined, 'the pod to be removed');
    expect(c.events().some((e) => e.reason === 'Killing' && e.message === 'Stopping container app')).toBe(true);
    const deletes = c.api.writes().filter((a) => a.verb === 'delete' && a.resource === 'pods');
    expect(deletes.at(-1)!.body).toMatchObject({ gracePeriodSeconds: 0, preconditions: { uid: expect.any(String) } });
    // The address is free again.
    c.api.seed(boundPod('next'));
    await c.until(() => c.pod('next')?.status?.podIP !== undefined, 'the next pod IP');
    expect(c.pod('next')!.status!.podIP).toBe('10.244.1.2');
  });

  it('deletes a pod that had finished before the kubelet started without rewriting its status', async () => {
    const c = await readyCluster();
    const done = boundPod('done', { restartPolicy: 'Never' });
    const finished = { state: { terminated: { exitCode: 0, reason: 'Completed' } }, lastState: {}, name: 'app', ready: false, restartCount: 0, image: 'nginx:1.27', imageID: '' };
    done.status = { ...done.status, phase: 'Succeeded', containerStatuses: [finished] };
    c.api.seed(done);
    await c.clock.advance(1000);
    expect(c.pod('done')!.status!.phase).toBe('Succeeded');
    await c.api.client().forKind({ group: '', version: 'v1', kind: 'Pod' }).namespace('default').delete('done');
    await c.until(() => c.pod('done') === undefined, 'the pod to be removed');
    expect(c.api.writes().filter((a) => a.name === 'done' && a.subresource === 'status')).toEqual([]);
  });

  it('writes a pod status only when it changes', async () => {
    const c = await readyCluster();
    c.api.seed(boundPod('web'));
    await c.until(() => c.pod('web')?.status?.phase === 'Running', 'running');
    await c.clock.advance(2000);
    const before = c.api.writes().filter((a) => a.resource === 'pods' && a.subresource === 'status').length;
    await c.clock.advance(60_000);
    expect(c.api.writes().filter((a) => a.resource === 'pods' && a.subresource === 'status').length).toBe(before);
  });
});

describe('many hollow nodes in one process', () => {
  it('shares one pod watch and dispatches pods by node', async () => {
    const c = (cluster = new Cluster('node-1', 'node-2', 'node-3'));
    await c.until(() => c.ready, 'ready');
    for (const [i, name] of ['node-1', 'node-2', 'node-3'].entries()) await c.assignCidr(name, `10.244.${i}.0/24`);
    c.api.seed({ ...boundPod('a'), spec: { ...boundPod('a').spec, nodeName: 'node-2' } }, { ...boundPod('b'), spec: { ...boundPod('b').spec, nodeName: 'node-3' } });
    await c.until(() => c.pod('a')?.status?.phase === 'Running' && c.pod('b')?.status?.phase === 'Running', 'both pods');
    expect(c.pod('a')!.status!.podIP).toBe('10.244.1.2');
    expect(c.pod('b')!.status!.podIP).toBe('10.244.2.2');
    expect(c.api.actions.filter((a) => a.resource === 'pods' && a.verb === 'watch').length).toBe(1);
  });
});
