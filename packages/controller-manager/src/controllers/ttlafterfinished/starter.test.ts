import { afterEach, describe, expect, it } from 'vitest';
import { isNotStarted } from '../../controller/context.ts';
import { parseControllerManagerOptions, type ControllerManagerOptions } from '../../options/options.ts';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import type { Job } from '../cronjob/types.ts';
import { ttlAfterFinishedStarter } from './starter.ts';

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

const finished: Job = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'done', namespace: 'default' },
  spec: { ttlSecondsAfterFinished: 0 },
  status: { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: '2024-12-31T23:00:00Z' }] },
};

describe('ttl-after-finished-controller starter', () => {
  it('starts under its own name and identity, and deletes an expired Job', async () => {
    const h = (harness = new ControllerHarness(namespace('default'), finished));
    const { ctx, identities, queues } = h.recordingContext(parseControllerManagerOptions([]) as ControllerManagerOptions);
    expect(ttlAfterFinishedStarter.name).toBe('ttl-after-finished-controller');
    const controller = await ttlAfterFinishedStarter.init(ctx);
    if (isNotStarted(controller)) throw new Error(controller.notStarted);
    expect({ identities, queues }).toEqual({ identities: ['ttl-after-finished-controller'], queues: ['ttl_jobs_to_delete'] });
    await h.start(controller);
    await h.until(() => h.api.writes().some((w) => w.verb === 'delete' && w.name === 'done'), 'the delete');
  });
});
