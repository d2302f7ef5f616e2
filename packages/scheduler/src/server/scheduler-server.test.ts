import { MetricsRegistry } from '@k8ts/controller-manager/metrics/registry.ts';
import { Healthz } from '@k8ts/controller-manager/server/healthz.ts';
import { describe, expect, it } from 'vitest';
import { DecisionLog } from '../debug/decision-log.ts';
import { schedulerHandler } from './scheduler-server.ts';

function setup(): { handle: ReturnType<typeof schedulerHandler>; decisions: DecisionLog; logged: string[]; synced: { value: boolean } } {
  const health = new Healthz();
  const ready = new Healthz();
  const synced = { value: false };
  health.add({ name: 'ping', check: () => undefined });
  ready.add({ name: 'ping', check: () => undefined }, { name: 'sched-handler-sync', check: () => (synced.value ? undefined : 'not synced') });
  const decisions = new DecisionLog(2);
  const logged: string[] = [];
  const handle = schedulerHandler({ health, ready, metrics: new MetricsRegistry(), decisions, logFailure: (d) => logged.push(d) });
  return { handle, decisions, logged, synced };
}

const at = (path: string) => new URL(path, 'https://localhost');

describe('schedulerHandler', () => {
  it('answers /livez like /healthz, and /readyz until the informers sync with a 500', () => {
    const { handle, logged, synced } = setup();
    expect(handle('GET', at('/livez?verbose'))).toMatchObject({ status: 200, body: '[+]ping ok\nlivez check passed\n' });
    expect(handle('GET', at('/readyz'))).toMatchObject({ status: 500, body: '[+]ping ok\n[-]sched-handler-sync failed: reason withheld\nreadyz check failed\n' });
    expect(logged.join('\n')).toContain('sched-handler-sync failed: not synced');
    synced.value = true;
    expect(handle('GET', at('/readyz'))).toMatchObject({ status: 200, body: 'ok' });
    expect(handle('GET', at('/readyz/sched-handler-sync'))).toMatchObject({ status: 200, body: 'ok' });
  });

  it('explains the last decision per pod, forgetting the oldest beyond its capacity', () => {
    const { handle, decisions } = setup();
    for (const pod of ['a', 'b', 'c']) decisions.record({ namespace: 'default', pod, uid: pod, time: '2025-01-01T00:00:00Z', attempt: 1, result: 'scheduled', node: 'n1' });
    expect(JSON.parse(handle('GET', at('/debug/scheduler/explain')).body)).toEqual({ pods: ['default/b', 'default/c'] });
    expect(handle('GET', at('/debug/scheduler/explain?namespace=default&pod=a')).status).toBe(404);
    const answer = handle('GET', at('/debug/scheduler/explain?namespace=default&pod=c'));
    expect(answer.contentType).toBe('application/json');
    expect(JSON.parse(answer.body)).toMatchObject({ pod: 'c', result: 'scheduled', node: 'n1' });
    expect(handle('GET', at('/debug/scheduler/explain?pod=c')).status).toBe(400);
  });

  it('serves nothing else', () => {
    const { handle } = setup();
    expect(handle('GET', at('/debug/pprof')).status).toBe(404);
    expect(handle('POST', at('/metrics')).status).toBe(404);
  });
});
