import type { KubeObject } from '@k8ts/api';
import { MetricsRegistry } from '@k8ts/controller-manager/metrics/registry.ts';
import { namespace } from '@k8ts/controller-manager/testing/fixtures.ts';
import { ControllerHarness } from '@k8ts/controller-manager/testing/harness.ts';
import { afterEach, describe, expect, it } from 'vitest';
import type { Node, Pod } from '../framework/types.ts';
import { defaultSchedulingConfiguration } from '../options/options.ts';
import { Scheduler } from './scheduler.ts';

function node(name: string, cpu: string, extra: { taints?: NonNullable<Node['spec']>['taints']; labels?: Record<string, string> } = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...extra.labels } },
    spec: extra.taints ? { taints: extra.taints } : {},
    status: { allocatable: { cpu, memory: '8Gi', pods: '110' }, capacity: { cpu, memory: '8Gi', pods: '110' } },
  };
}

const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const };

function pod(name: string, cpu: string, extra: Partial<Pod['spec']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { schedulerName: 'default-scheduler', containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu } } }], ...extra },
  };
}

let harness: ControllerHarness;
let scheduler: Scheduler;
let metrics: MetricsRegistry;

async function start(...objects: KubeObject[]): Promise<void> {
  harness = new ControllerHarness(namespace('default'), ...objects);
  metrics = new MetricsRegistry();
  scheduler = new Scheduler({
    client: harness.client,
    informers: harness.informers,
    recorder: harness.recorder('default-scheduler'),
    scheduling: defaultSchedulingConfiguration(),
    clock: harness.clock,
    random: () => 0,
    logger: harness.logger,
    metrics,
  });
  await harness.start(scheduler);
}

function livePod(name: string): Pod | undefined {
  return harness.api.get<Pod>('v1', 'Pod', 'default', name);
}

function podsApi() {
  return harness.client.forKind<Pod>({ group: '', version: 'v1', kind: 'Pod' }).namespace('default');
}

afterEach(async () => {
  await harness?.shutdown();
});

describe('Scheduler', () => {
  it('binds a pod to a node that fits it and says so in a Scheduled event', async () => {
    await start(node('control-plane', '4', { taints: [CONTROL_PLANE_TAINT] }), node('worker', '2'), pod('web', '500m'));
    await harness.until(() => Boolean(livePod('web')?.spec.nodeName), 'web to be bound');
    expect(livePod('web')!.spec.nodeName).toBe('worker');
    const binding = harness.api.actions.find((a) => a.subresource === 'binding');
    expect(binding?.body).toMatchObject({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web', namespace: 'default' }, target: { kind: 'Node', name: 'worker' } });
    await harness.until(() => harness.eventLines().length > 0, 'the event');
    expect(harness.eventLines()).toEqual(['Normal Scheduled Successfully assigned default/web to worker']);
    const event = harness.api.list<KubeObject & { source?: { component?: string }; reportingComponent?: string }>('v1', 'Event')[0]!;
    expect(event.source?.component).toBe('default-scheduler');
    expect(event.reportingComponent).toBe('default-scheduler');
    expect(metrics.expose()).toContain('scheduler_schedule_attempts_total{profile="default-scheduler",result="scheduled"} 1');
  });

  it('leaves a pod that fits nowhere Pending with the FitError message, and schedules it when a node that fits arrives', async () => {
    await start(node('control-plane', '4', { taints: [CONTROL_PLANE_TAINT] }), node('w1', '1'), node('w2', '1'), pod('big', '2'));
    const expected =
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
    await harness.until(() => harness.eventLines().length > 0, 'the FailedScheduling event');
    expect(harness.eventLines()).toEqual([`Warning FailedScheduling ${expected}`]);
    await harness.until(() => Boolean(livePod('big')?.status?.conditions), 'the PodScheduled condition');
    expect(livePod('big')!.status!.conditions).toEqual([
      expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: expected }),
    ]);
    expect(scheduler.queue.whereIs(livePod('big')!)).toBe('unschedulable');
    expect(scheduler.decisions.get('default', 'big')).toMatchObject({ result: 'unschedulable', message: expected });
    expect(metrics.expose()).toContain('scheduler_pending_pods{queue="unschedulable"} 1');

    await harness.client.forKind<Node>({ group: '', version: 'v1', kind: 'Node' }).create(node('w3', '4'));
    await harness.until(() => livePod('big')?.spec.nodeName === 'w3', 'big to be bound to the new node', 15_000);
  });

  it('retries a pod whose binding failed, and counts it on its node only once', async () => {
    await start(node('w1', '1'));
    let failed = false;
    harness.api.prependReactor((action) => {
      if (failed || action.subresource !== 'binding') return undefined;
      failed = true;
      return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'etcdserver: request timed out', reason: 'InternalError', code: 500 };
    });
    await podsApi().create(pod('web', '600m'));
    await harness.until(() => Boolean(livePod('web')?.spec.nodeName), 'web to be bound after a retry', 30_000);
    expect(harness.eventLines()[0]).toMatch(/^Warning FailedScheduling running Bind plugin "DefaultBinder": /);
    expect(harness.eventLines().at(-1)).toBe('Normal Scheduled Successfully assigned default/web to w1');
    // A second pod of the same size no longer fits: the first is counted, once.
    await podsApi().create(pod('second', '600m'));
    await harness.until(() => harness.eventLines().some((l) => l.includes('0/1 nodes are available: 1 Insufficient cpu.')), 'second to be refused');
  });

  it('preempts a lower-priority pod for a higher-priority one and nominates the node', async () => {
    const victim = pod('victim', '800m', { priority: 0, nodeName: 'w1' });
    await start(node('w1', '1'), victim);
    await podsApi().create(pod('important', '800m', { priority: 1000 }));
    await harness.until(() => livePod('important')?.status?.nominatedNodeName === 'w1', 'the nomination');
    const important = livePod('important')!;
    expect(livePod('victim')!.metadata.deletionTimestamp).toBeDefined();
    expect(livePod('victim')!.status!.conditions).toEqual([
      expect.objectContaining({ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod' }),
    ]);
    await harness.until(() => harness.eventLines().some((l) => l.startsWith('Normal Preempted')), 'the Preempted event');
    expect(harness.eventLines()).toContain(`Normal Preempted Preempted by pod ${important.metadata.uid} on node w1`);
    expect(scheduler.decisions.get('default', 'important')?.preemption).toEqual({ nominatedNodeName: 'w1', victims: ['default/victim'] });
    // The kubelet finishes the graceful deletion; the preemptor then takes the room.
    await podsApi().delete('victim', { gracePeriodSeconds: 0 });
    await harness.until(() => livePod('important')?.spec.nodeName === 'w1', 'important to be bound', 30_000);
    expect(metrics.expose()).toContain('scheduler_preemption_attempts_total 1');
  });

  it('holds a pod with scheduling gates until they are removed', async () => {
    await start(node('w1', '4'), pod('gated', '100m', { schedulingGates: [{ name: 'example.com/quota' }] }));
    await harness.settle(3000);
    expect(livePod('gated')!.spec.nodeName).toBeUndefined();
    expect(metrics.expose()).toContain('scheduler_pending_pods{queue="gated"} 1');
    const gated = livePod('gated')!;
    await podsApi().update({ ...gated, spec: { ...gated.spec, schedulingGates: [] } });
    await harness.until(() => livePod('gated')?.spec.nodeName === 'w1', 'the released pod to be bound');
  });

  it('ignores pods that name another scheduler', async () => {
    await start(node('w1', '4'), pod('mine', '100m'), pod('theirs', '100m', { schedulerName: 'my-scheduler' }));
    await harness.until(() => Boolean(livePod('mine')?.spec.nodeName), 'mine to be bound');
    await harness.settle(2000);
    expect(livePod('theirs')!.spec.nodeName).toBeUndefined();
  });

  it('spreads many pods over the nodes, binding each exactly once', async () => {
    const nodes = Array.from({ length: 10 }, (_, i) => node(`n${i}`, '4'));
    const pods = Array.from({ length: 60 }, (_, i) => pod(`p${i}`, '100m'));
    await start(...nodes, ...pods);
    await harness.until(() => harness.api.list<Pod>('v1', 'Pod').every((p) => p.spec.nodeName), 'every pod to be bound', 30_000);
    const bindings = harness.api.actions.filter((a) => a.subresource === 'binding');
    expect(bindings).toHaveLength(60);
    const perNode = new Map<string, number>();
    for (const p of harness.api.list<Pod>('v1', 'Pod')) perNode.set(p.spec.nodeName!, (perNode.get(p.spec.nodeName!) ?? 0) + 1);
    expect(perNode.size).toBe(10);
    expect(Math.max(...perNode.values()) - Math.min(...perNode.values())).toBeLessThanOrEqual(1);
  });
});
