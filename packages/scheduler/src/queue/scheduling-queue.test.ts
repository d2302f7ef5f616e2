import type { KubeObject } from '@k8ts/api';
import { describe, expect, it } from 'vitest';
import { ASSIGNED_POD_DELETE, NODE_ADD, nodeUpdateEvents } from './cluster-events.ts';
import { SchedulingQueue, type QueuedPodInfo } from './scheduling-queue.ts';

function pod(name: string, priority = 0, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { priority, containers: [{ name: 'c', image: 'nginx' }], ...extra } };
}

/** PrioritySort: higher priority first, then the earlier queued. */
function prioritySort(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = (a.pod.spec as { priority?: number }).priority ?? 0;
  const pb = (b.pod.spec as { priority?: number }).priority ?? 0;
  return pa > pb || (pa === pb && a.timestamp < b.timestamp);
}

function setup(): { queue: SchedulingQueue; clock: { t: number } } {
  const clock = { t: 1_000_000 };
  const queue = new SchedulingQueue({ now: () => clock.t, less: prioritySort });
  return { queue, clock };
}

/** Pops the pod and reports it unschedulable because of `plugins`. */
function failWith(queue: SchedulingQueue, name: string, ...plugins: string[]): QueuedPodInfo {
  const cycle = queue.schedulingCycle();
  const info = queue.pop()!;
  expect(info.pod.metadata!.name).toBe(name);
  info.unschedulablePlugins = new Set(plugins);
  queue.addUnschedulableIfNotPresent(info, cycle + 1);
  return info;
}

describe('SchedulingQueue', () => {
  it('pops by priority, then by the time pods were queued', () => {
    const { queue, clock } = setup();
    queue.add(pod('low-early', 0));
    clock.t += 1;
    queue.add(pod('high', 1000));
    clock.t += 1;
    queue.add(pod('low-late', 0));
    expect([queue.pop(), queue.pop(), queue.pop()].map((i) => i?.pod.metadata!.name)).toEqual(['high', 'low-early', 'low-late']);
    expect(queue.pop()).toBeUndefined();
    expect(queue.schedulingCycle()).toBe(3);
  });

  it('keeps an unschedulable pod out of activeQ until an event that may help it', () => {
    const { queue, clock } = setup();
    queue.add(pod('picky'));
    failWith(queue, 'picky', 'NodeAffinity');
    expect(queue.whereIs(pod('picky'))).toBe('unschedulable');
    expect(queue.pendingPods()).toEqual({ active: 0, backoff: 0, unschedulable: 1, gated: 0 });
    // Neither a taint change nor a deleted pod changes which nodes match its affinity.
    const taintChange = nodeUpdateEvents({ metadata: {}, spec: {} }, { metadata: {}, spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } });
    expect(taintChange.map((e) => e.label)).toEqual(['NodeTaintChange']);
    expect(queue.moveAllToActiveOrBackoffQueue(taintChange[0]!)).toBe(0);
    expect(queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_DELETE)).toBe(0);
    clock.t += 5_000; // past the 1 s backoff of the first attempt
    const relabel = nodeUpdateEvents({ metadata: { labels: { a: '1' } } }, { metadata: { labels: { a: '2' } } });
    expect(relabel.map((e) => e.label)).toEqual(['NodeLabelChange']);
    expect(queue.moveAllToActiveOrBackoffQueue(relabel[0]!)).toBe(1);
    expect(queue.whereIs(pod('picky'))).toBe('active');
  });

  it('retries a pod short of resources when an assigned pod is deleted', () => {
    const { queue, clock } = setup();
    queue.add(pod('big'));
    failWith(queue, 'big', 'NodeResourcesFit');
    clock.t += 5_000;
    expect(queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_DELETE)).toBe(1);
    expect(queue.whereIs(pod('big'))).toBe('active');
  });

  it('sends a moved pod through backoffQ while its backoff lasts (1 s, doubling, at most 10 s)', () => {
    const { queue, clock } = setup();
    expect([1, 2, 3, 4, 5, 6].map((n) => queue.backoffDurationMs(n))).toEqual([1000, 2000, 4000, 8000, 10000, 10000]);
    queue.add(pod('p'));
    failWith(queue, 'p', 'NodeAffinity');
    queue.moveAllToActiveOrBackoffQueue(NODE_ADD);
    expect(queue.whereIs(pod('p'))).toBe('backoff');
    clock.t += 999;
    queue.flushBackoffQCompleted();
    expect(queue.whereIs(pod('p'))).toBe('backoff');
    clock.t += 1;
    queue.flushBackoffQCompleted();
    expect(queue.whereIs(pod('p'))).toBe('active');
    expect(queue.pop()?.attempts).toBe(2);
  });

  it('retries a pod that failed with an error (no plugin to blame) after its backoff', () => {
    const { queue } = setup();
    queue.add(pod('p'));
    failWith(queue, 'p');
    expect(queue.whereIs(pod('p'))).toBe('backoff');
  });

  it('sends a pod to backoffQ when a move happened while it was being scheduled', () => {
    const { queue } = setup();
    queue.add(pod('p'));
    const cycle = queue.schedulingCycle();
    const info = queue.pop()!;
    queue.moveAllToActiveOrBackoffQueue(NODE_ADD); // a node came while the cycle ran
    info.unschedulablePlugins = new Set(['NodeResourcesFit']);
    queue.addUnschedulableIfNotPresent(info, cycle + 1);
    expect(queue.whereIs(pod('p'))).toBe('backoff');
  });

  it('flushes pods unschedulable for more than 5 minutes', () => {
    const { queue, clock } = setup();
    queue.add(pod('p'));
    failWith(queue, 'p', 'TaintToleration');
    clock.t += 5 * 60_000;
    queue.flushUnschedulablePodsLeftover();
    expect(queue.whereIs(pod('p'))).toBe('unschedulable');
    clock.t += 1;
    queue.flushUnschedulablePodsLeftover();
    expect(queue.whereIs(pod('p'))).toBe('active');
  });

  it('holds gated pods until an update removes spec.schedulingGates', () => {
    const { queue } = setup();
    const gated = pod('g', 0, { schedulingGates: [{ name: 'example.com/wait' }] });
    queue.add(gated);
    expect(queue.pendingPods()).toEqual({ active: 0, backoff: 0, unschedulable: 0, gated: 1 });
    expect(queue.moveAllToActiveOrBackoffQueue(NODE_ADD)).toBe(0);
    const released = pod('g');
    queue.update(gated, released);
    expect(queue.whereIs(released)).toBe('active');
  });

  it('moves an unschedulable pod back when its spec changes, not when only its status does', () => {
    const { queue, clock } = setup();
    const original = pod('p');
    queue.add(original);
    failWith(queue, 'p', 'NodeAffinity');
    const statusOnly: KubeObject = { ...original, status: { conditions: [{ type: 'PodScheduled', status: 'False' }] } };
    queue.update(original, statusOnly);
    expect(queue.whereIs(original)).toBe('unschedulable');
    clock.t += 2_000;
    const relabelled: KubeObject = { ...statusOnly, spec: { ...(statusOnly.spec as object), nodeSelector: { disk: 'ssd' } } };
    queue.update(statusOnly, relabelled);
    expect(queue.whereIs(original)).toBe('active');
    expect(queue.pop()?.pod).toBe(relabelled);
  });

  it('forgets deleted pods, wherever they wait', () => {
    const { queue } = setup();
    queue.add(pod('a'));
    queue.add(pod('b'));
    failWith(queue, 'a', 'NodeName');
    queue.delete(pod('a'));
    queue.delete(pod('b'));
    expect(queue.pendingPods()).toEqual({ active: 0, backoff: 0, unschedulable: 0, gated: 0 });
  });

  it('wakes a waiting scheduler when a pod arrives, and ends the wait on close', async () => {
    const { queue } = setup();
    const stop = new AbortController();
    const waiting = queue.next(stop.signal);
    queue.add(pod('late'));
    expect((await waiting)?.pod.metadata!.name).toBe('late');
    const second = queue.next(stop.signal);
    queue.close();
    expect(await second).toBeUndefined();
  });

  it('tracks nominated pods per node', () => {
    const { queue } = setup();
    queue.add({ ...pod('p'), status: { nominatedNodeName: 'node-1' } });
    queue.addNominatedPod(pod('q'), 'node-1');
    expect(queue.nominatedPodsForNode('node-1')).toEqual(['default/p', 'default/q']);
    queue.delete(pod('p'));
    expect(queue.nominatedPodsForNode('node-1')).toEqual(['default/q']);
  });
});
