import { afterEach, describe, expect, it } from 'vitest';
import { isNotStarted } from '../../controller/context.ts';
import { parseControllerManagerOptions, type ControllerManagerOptions } from '../../options/options.ts';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { cronJobStarter } from './starter.ts';
import type { CronJob } from './types.ts';

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

const cronJob: CronJob = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'hello', namespace: 'default', creationTimestamp: '2024-12-31T23:59:30Z' },
  spec: { schedule: '* * * * *', concurrencyPolicy: 'Allow', jobTemplate: { spec: { template: {} } } },
};

describe('cronjob-controller starter', () => {
  it('starts under its own name and identity, with its events from "cronjob-controller"', async () => {
    const h = (harness = new ControllerHarness(namespace('default'), cronJob));
    const { ctx, identities, components, queues } = h.recordingContext(parseControllerManagerOptions([]) as ControllerManagerOptions);
    expect(cronJobStarter.name).toBe('cronjob-controller');
    const controller = await cronJobStarter.init(ctx);
    if (isNotStarted(controller)) throw new Error(controller.notStarted);
    expect({ identities, components, queues }).toEqual({ identities: ['cronjob-controller'], components: ['cronjob-controller'], queues: ['cronjob'] });
    await h.start(controller);
    await h.until(() => h.api.list('batch/v1', 'Job').length === 1, 'a job');
    expect(h.logs).toContain('I Caches are synced for cronjob');
  });
});
