import type { KubeObject } from '@k8ts/api';
import { afterEach, describe, expect, it } from 'vitest';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { JOB_KIND, type Job } from '../cronjob/types.ts';
import { TtlAfterFinishedController } from './ttl-after-finished-controller.ts';

// The harness clock starts at 2025-01-01T00:00:00Z.
const T0 = Date.UTC(2025, 0, 1);

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

const stamp = (ms: number) => new Date(ms).toISOString().replace('.000', '');

function job(name: string, ttl: number | undefined, finished?: { type: 'Complete' | 'Failed'; at: number }): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { ...(ttl !== undefined ? { ttlSecondsAfterFinished: ttl } : {}), template: {} },
    status: finished ? { conditions: [{ type: finished.type, status: 'True', lastTransitionTime: stamp(finished.at) }] } : {},
  };
}

async function start(...objects: KubeObject[]): Promise<ControllerHarness> {
  const h = (harness = new ControllerHarness(namespace('default'), ...objects));
  const controller = new TtlAfterFinishedController({
    jobs: h.informers.forKind<Job>(JOB_KIND),
    jobClient: h.client.forKind<Job>(JOB_KIND),
    queue: h.newQueue('ttl_jobs_to_delete'),
    workers: 2,
    clock: h.clock,
    logger: h.logger,
  });
  await h.start(controller);
  return h;
}

const exists = (h: ControllerHarness, name: string) => h.api.get('batch/v1', 'Job', 'default', name) !== undefined;

describe('TTL-after-finished controller', () => {
  it('deletes a finished Job once its TTL has run out, in the foreground, and not before', async () => {
    const h = await start(job('done', 30, { type: 'Complete', at: T0 - 10_000 }));
    // 20 s left
    await h.until(() => h.clock.now() >= T0 + 19_500, 'almost 20 s');
    expect(exists(h, 'done')).toBe(true);
    await h.until(() => h.api.writes().some((w) => w.verb === 'delete'), 'the delete', 2000);
    const del = h.api.writes().find((w) => w.verb === 'delete')!;
    expect({ resource: del.resource, name: del.name, body: del.body }).toEqual({
      resource: 'jobs.batch',
      name: 'done',
      body: { propagationPolicy: 'Foreground', preconditions: { uid: 'uid-done' } },
    });
  });

  it('deletes failed Jobs too, and at once when the TTL is already over', async () => {
    const h = await start(job('failed', 0, { type: 'Failed', at: T0 - 1000 }));
    await h.until(() => h.api.writes().some((w) => w.verb === 'delete' && w.name === 'failed'), 'the delete', 1000);
  });

  it('leaves running Jobs and Jobs without a TTL alone, and starts the clock when a Job finishes', async () => {
    const h = await start(job('running', 5), job('keep', undefined, { type: 'Complete', at: T0 - 3_600_000 }));
    await h.settle(10_000);
    expect(h.api.writes()).toEqual([]);
    const finishedAt = h.clock.now();
    await h.client.forKind<Job>(JOB_KIND).namespace('default').patch(
      'running',
      'merge',
      { status: { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: stamp(finishedAt - (finishedAt % 1000)) }] } },
      { subresource: 'status' },
    );
    await h.until(() => h.api.writes().some((w) => w.verb === 'delete'), 'the delete');
    expect(h.clock.now() - finishedAt).toBeGreaterThanOrEqual(4000);
    expect(h.api.writes().filter((w) => w.verb === 'delete').map((w) => w.name)).toEqual(['running']);
  });

  it('goes by the TTL as it is when the time comes, not as it was cached', async () => {
    const h = await start(job('extended', 10, { type: 'Complete', at: T0 }));
    // Someone raises the TTL; the controller's cache has not seen it yet when the old TTL expires.
    h.api.prependReactor((action) => {
      if (action.verb !== 'get' || action.name !== 'extended') return undefined;
      return { ...job('extended', 3600, { type: 'Complete', at: T0 }), metadata: { name: 'extended', namespace: 'default', uid: 'uid-extended', resourceVersion: '999' } };
    });
    await h.settle(15_000);
    expect(h.api.actions.some((a) => a.verb === 'get' && a.name === 'extended')).toBe(true);
    expect(h.api.writes().filter((w) => w.verb === 'delete')).toEqual([]);
  });
});
