import type { KubeObject } from '@k8ts/api';
import { FakeClock, RestClient, type HttpTransport } from '@k8ts/client';
import { FakeApi } from '@k8ts/controller-manager/testing/fake-api.ts';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pod, PodStatus } from '../pod/pod-types.ts';
import { PodStatusManager } from './status-manager.ts';

const clock = new FakeClock(Date.UTC(2025, 0, 1));
let stop = new AbortController();

function setup() {
  stop = new AbortController();
  const api = new FakeApi(clock);
  api.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } as KubeObject);
  api.seed({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { nodeName: 'n', containers: [{ name: 'app' }] }, status: { phase: 'Pending' } } as Pod);
  const manager = new PodStatusManager({ client: api.client(), clock, logger: { info: () => {}, warn: () => {} } });
  void manager.run(stop.signal);
  const pod = () => api.get<Pod>('v1', 'Pod', 'default', 'web');
  const statusWrites = () => api.writes().filter((a) => a.subresource === 'status').length;
  return { api, manager, pod, statusWrites };
}

afterEach(() => stop.abort());

const running: PodStatus = { phase: 'Running', podIP: '10.244.0.2', podIPs: [{ ip: '10.244.0.2' }] };

describe('PodStatusManager', () => {
  it('writes a changed status once, with the pod uid as precondition', async () => {
    const { manager, pod, statusWrites, api } = setup();
    manager.setPodStatus(pod()!, running);
    manager.setPodStatus(pod()!, running);
    await clock.advance(100);
    expect(pod()!.status).toEqual(running);
    expect(statusWrites()).toBe(1);
    expect(api.writes()[0]!.body).toMatchObject({ metadata: { uid: pod()!.metadata.uid } });
    manager.setPodStatus(pod()!, running);
    await clock.advance(100);
    expect(statusWrites()).toBe(1);
  });

  it('writes only the latest of statuses set while a write is queued', async () => {
    const { manager, pod, statusWrites } = setup();
    manager.setPodStatus(pod()!, { phase: 'Pending', podIP: '10.244.0.2' });
    manager.setPodStatus(pod()!, running);
    await clock.advance(100);
    expect(statusWrites()).toBe(1);
    expect(pod()!.status!.phase).toBe('Running');
  });

  it('retries a failed write', async () => {
    const { manager, pod, api } = setup();
    api.failNext('patch', 'pods', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 500, reason: 'InternalError', message: 'boom' });
    manager.setPodStatus(pod()!, running);
    await clock.advance(1000);
    expect(pod()!.status).toEqual(running);
  });

  it('deletes a terminated pod with grace 0 once its final status is written', async () => {
    const { manager, pod, api } = setup();
    manager.setPodStatus(pod()!, { phase: 'Succeeded' }, true);
    await clock.advance(100);
    expect(pod()).toBeUndefined();
    const del = api.writes().find((a) => a.verb === 'delete')!;
    expect(del.body).toMatchObject({ gracePeriodSeconds: 0, preconditions: { uid: expect.any(String) } });
    expect(api.writes().findIndex((a) => a.verb === 'patch')).toBeLessThan(api.writes().indexOf(del));
  });

  it('writes a status set while the previous write was on the wire', async () => {
    const { api, pod } = setup();
    // A transport that holds status writes until released, as a slow apiserver would.
    const held: (() => void)[] = [];
    const transport: HttpTransport = async (request) => {
      if (request.method === 'PATCH') await new Promise<void>((resolve) => held.push(resolve));
      return api.transport(request);
    };
    const client = new RestClient({ host: 'http://fake.invalid', qps: -1 }, { transport, clock });
    const manager = new PodStatusManager({ client, clock, logger: { info: () => {}, warn: () => {} } });
    void manager.run(stop.signal);
    manager.setPodStatus(pod()!, { phase: 'Pending', podIP: '10.244.0.2' });
    await clock.advance(10);
    expect(held).toHaveLength(1);
    manager.setPodStatus(pod()!, running);
    held.shift()!();
    await clock.advance(10);
    expect(pod()!.status!.phase).toBe('Pending');
    held.shift()?.();
    await clock.advance(10);
    expect(pod()!.status).toEqual(running);
  });
});
