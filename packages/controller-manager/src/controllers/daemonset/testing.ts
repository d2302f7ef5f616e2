// Test support for the DaemonSet controller: DaemonSets as the apiserver would default them,
// nodes, daemon pods, the controller on a ControllerHarness, and a stand-in for the scheduler
// and the kubelets (binds each pinned pod to its node, reports it Running and Ready, and
// finishes graceful deletions).
import type { KubeObject } from '@k8ts/api';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { targetNodeName } from './daemon-pods.ts';
import { DaemonSetController } from './daemonset-controller.ts';
import {
  CONTROLLER_REVISIONS,
  DAEMON_SETS,
  NODES,
  PODS,
  TEMPLATE_GENERATION_ANNOTATION,
  type ControllerRevision,
  type DaemonSet,
  type DaemonSetSpec,
  type Node,
  type Pod,
  type Taint,
} from './types.ts';

export function daemonSet(name: string, spec: Partial<DaemonSetSpec> & { image?: string } = {}): DaemonSet {
  const { image = 'redis:7', ...rest } = spec;
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, generation: 1, annotations: { [TEMPLATE_GENERATION_ANNOTATION]: '1' } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image }] } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
      ...rest,
    },
  };
}

export function node(name: string, labels: Record<string, string> = {}, taints: Taint[] = []): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    spec: taints.length > 0 ? { taints } : {},
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

type PodPhase = NonNullable<NonNullable<Pod['status']>['phase']>;

/** A pod of `ds` on `nodeName` (bound), labelled with `hash`, created at `created`. */
export function daemonPod(ds: DaemonSet, name: string, nodeName: string, options: { hash?: string; created?: string; phase?: PodPhase; ready?: boolean; readySince?: string } = {}): Pod {
  const { hash = 'old', created = '2025-01-01T00:00:00Z', phase = 'Running', ready = true, readySince = created } = options;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      creationTimestamp: created,
      labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), 'controller-revision-hash': hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name ?? '', uid: ds.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: { nodeName, containers: [{ name: 'main', image: 'redis:7' }] },
    status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: readySince }] },
  };
}

export async function startController(...objects: KubeObject[]): Promise<{ h: ControllerHarness; controller: DaemonSetController }> {
  const h = new ControllerHarness(namespace('default'), ...objects);
  const controller = new DaemonSetController({
    daemonSets: h.informers.forKind<DaemonSet>(DAEMON_SETS),
    revisions: h.informers.forKind<ControllerRevision>(CONTROLLER_REVISIONS),
    pods: h.informers.forKind<Pod>(PODS),
    nodes: h.informers.forKind<Node>(NODES),
    daemonSetClient: h.client.forKind<DaemonSet>(DAEMON_SETS),
    revisionClient: h.client.forKind<ControllerRevision>(CONTROLLER_REVISIONS),
    podClient: h.client.forKind<Pod>(PODS),
    recorder: h.recorder('daemonset-controller'),
    queue: h.newQueue('daemonset'),
    workers: 2,
    clock: h.clock,
    logger: h.logger,
  });
  await h.start(controller);
  return { h, controller };
}

export const podsOf = (h: ControllerHarness): Pod[] => h.api.list<Pod>('v1', 'Pod');
export const livePodsOf = (h: ControllerHarness): Pod[] => podsOf(h).filter((p) => !p.metadata.deletionTimestamp);
export const revisionsOf = (h: ControllerHarness): ControllerRevision[] => h.api.list<ControllerRevision>('apps/v1', 'ControllerRevision');
export const daemonSetIn = (h: ControllerHarness, name: string): DaemonSet => h.api.get<DaemonSet>('apps/v1', 'DaemonSet', 'default', name)!;

/** "node: pod-hash" for every live pod, sorted — where the daemon runs and which revision. */
export function placement(h: ControllerHarness): string[] {
  return livePodsOf(h)
    .map((p) => `${targetNodeName(p)}: ${p.metadata.labels?.['controller-revision-hash'] ?? ''}`)
    .sort();
}

/**
 * One step of the scheduler and the kubelets: pods being deleted go; pods pinned to a node are
 * bound to it and become Running and Ready (unless `ready` says otherwise for that pod).
 */
export async function simulateNodes(h: ControllerHarness, ready: (pod: Pod) => boolean = () => true): Promise<void> {
  const pods = h.client.forKind<Pod>(PODS).namespace('default');
  for (const pod of podsOf(h)) {
    const name = pod.metadata.name ?? '';
    if (pod.metadata.deletionTimestamp) {
      await pods.delete(name, { gracePeriodSeconds: 0 });
      continue;
    }
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    const isReady = ready(pod);
    const wasReady = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    if (pod.spec?.nodeName && wasReady === isReady) continue;
    const now = new Date(h.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    let current = pod;
    if (!pod.spec?.nodeName) {
      await pods.bind({ apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: 'default' }, target: { kind: 'Node', name: targetNodeName(pod) } } as KubeObject);
      current = h.api.get<Pod>('v1', 'Pod', 'default', name)!;
    }
    const status = { phase: 'Running' as const, conditions: [{ type: 'Ready', status: isReady ? ('True' as const) : ('False' as const), lastTransitionTime: now }] };
    await pods.updateStatus({ ...current, status });
  }
}

/** Runs the world and the controller until `done` holds (at most `limitMs` of simulated time). */
export async function runUntil(h: ControllerHarness, done: () => boolean, what: string, options: { stepMs?: number; limitMs?: number; ready?: (pod: Pod) => boolean } = {}): Promise<void> {
  const { stepMs = 50, limitMs = 60_000, ready } = options;
  for (let waited = 0; waited <= limitMs; waited += stepMs) {
    if (done()) return;
    await simulateNodes(h, ready);
    await h.clock.advance(stepMs);
  }
  throw new Error(`timed out waiting for ${what}\nplacement: ${placement(h).join(', ')}\nlogs:\n${h.logs.join('\n')}`);
}
