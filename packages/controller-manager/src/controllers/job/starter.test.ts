import { afterEach, describe, expect, it } from 'vitest';
import { isNotStarted } from '../../controller/context.ts';
import { parseControllerManagerOptions, type ControllerManagerOptions } from '../../options/options.ts';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { jobStarter } from './starter.ts';
import { job } from './testing.ts';

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

describe('job-controller starter', () => {
  it('starts under its own name and identity, with its events from "job-controller"', async () => {
    const h = (harness = new ControllerHarness(namespace('default'), job('pi', { completions: 3, parallelism: 3 })));
    const options = parseControllerManagerOptions(['--concurrent-job-syncs=2']) as ControllerManagerOptions;
    const { ctx, identities, components, queues, rateLimiters } = h.recordingContext(options);
    expect(jobStarter.name).toBe('job-controller');
    const controller = await jobStarter.init(ctx);
    if (isNotStarted(controller)) throw new Error(controller.notStarted);
    expect({ identities, components, queues }).toEqual({ identities: ['job-controller'], components: ['job-controller'], queues: ['job', 'job_orphan_pod'] });
    // Kubernetes' Job API back-off (1 s doubling to 1 min), not the default controller rate limiter's 5 ms start:
    // the delays a key failing four times in a row waits, per queue
    const backoffs = [...rateLimiters.values()].map((limiter) => {
      const delays = [1, 2, 3, 4].map(() => limiter.when('default/pi'));
      limiter.forget('default/pi');
      return delays;
    });
    expect(backoffs).toEqual([
      [1_000, 2_000, 4_000, 8_000],
      [1_000, 2_000, 4_000, 8_000],
    ]);
    await h.start(controller);
    await h.until(() => h.api.list('v1', 'Pod').length === 3, 'three pods');
    expect(h.logs).toContain('I Caches are synced for job');
  });
});
