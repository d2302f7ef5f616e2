// The whole scheduler process over the in-memory API: leader election, scheduling, and what it
// serves on its HTTPS port. Real time, real sockets (loopback), no apiserver.
import https from 'node:https';
import type { KubeObject } from '@k8ts/api';
import { realClock, type HttpTransport } from '@k8ts/client';
import { namespace } from '@k8ts/controller-manager/testing/fixtures.ts';
import { FakeApi } from '@k8ts/controller-manager/testing/fake-api.ts';
import { describe, expect, it } from 'vitest';
import { parseSchedulerOptions } from './options/options.ts';
import { runScheduler } from './run.ts';

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { rejectUnauthorized: false }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

async function eventually(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The fake API plus the apiserver's /healthz, which the scheduler waits for. */
function withHealthz(api: FakeApi): HttpTransport {
  return async (request) => {
    if (request.url.pathname !== '/healthz') return api.transport(request);
    return { status: 200, headers: { 'content-type': ['text/plain'] }, body: (async function* () { yield Buffer.from('ok'); })() };
  };
}

describe('runScheduler', () => {
  it('leads, schedules, explains its decisions, and hands the lease back when stopped', async () => {
    const api = new FakeApi(realClock);
    api.seed(
      namespace('default'),
      namespace('kube-system'),
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } }, status: { allocatable: { cpu: '1', memory: '1Gi', pods: '110' } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m' } } }] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'huge', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '8' } } }] } },
    );
    const options = parseSchedulerOptions(['--master', 'http://fake.invalid', '--secure-port=0', '--bind-address=127.0.0.1'], () => null);
    if (options === 'help') throw new Error('unexpected help');
    const logs: string[] = [];
    const stop = new AbortController();
    const exited = runScheduler(options, stop.signal, {
      logger: { info: (m) => logs.push(m), warn: (m) => logs.push(`warning: ${m}`) },
      loadConfig: () => ({ host: 'http://fake.invalid' }),
      readFile: () => '',
      hostname: 'node-a',
      uuid: () => 'id-1',
      clock: realClock,
      transport: withHealthz(api),
    });
    try {
      await eventually('the pod to be bound', () => Boolean((api.get('v1', 'Pod', 'default', 'web') as KubeObject & { spec: { nodeName?: string } }).spec.nodeName));
      const lease = api.get('coordination.k8s.io/v1', 'Lease', 'kube-system', 'kube-scheduler') as KubeObject & { spec: { holderIdentity: string } };
      expect(lease.spec.holderIdentity).toBe('node-a_id-1');
      const url = /serving .* on (https:\/\/\S+)/.exec(logs.join('\n'))![1]!;
      await eventually('huge to be refused', () => api.list<KubeObject & { reason?: string }>('v1', 'Event').some((e) => e.reason === 'FailedScheduling'));

      const explained = await get(`${url}/debug/scheduler/explain?namespace=default&pod=huge`);
      expect(explained.status).toBe(200);
      expect(JSON.parse(explained.body)).toMatchObject({
        namespace: 'default',
        pod: 'huge',
        result: 'unschedulable',
        message: '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
        explanation: { nodes: [{ node: 'n1', rejectedBy: { plugin: 'NodeResourcesFit', reasons: ['Insufficient cpu'] } }] },
      });
      expect(JSON.parse((await get(`${url}/debug/scheduler/explain`)).body).pods).toEqual(expect.arrayContaining(['default/web', 'default/huge']));
      expect((await get(`${url}/debug/scheduler/explain?namespace=default&pod=nope`)).status).toBe(404);
      expect(await get(`${url}/readyz?verbose`)).toEqual({ status: 200, body: '[+]ping ok\n[+]sched-handler-sync ok\n[+]leaderElection ok\nreadyz check passed\n' });
      expect(await get(`${url}/healthz`)).toEqual({ status: 200, body: 'ok' });
      const metrics = (await get(`${url}/metrics`)).body;
      expect(metrics).toContain('scheduler_schedule_attempts_total{profile="default-scheduler",result="scheduled"} 1');
      expect(metrics).toContain('leader_election_master_status{name="kube-scheduler"} 1');
    } finally {
      stop.abort();
    }
    expect(await exited).toBe(0);
    const released = api.get('coordination.k8s.io/v1', 'Lease', 'kube-system', 'kube-scheduler') as KubeObject & { spec: { holderIdentity?: string } };
    expect(released.spec.holderIdentity ?? '').toBe('');
  });
});
