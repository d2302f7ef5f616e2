import { afterEach, describe, expect, it } from 'vitest';
import { isNotStarted } from '../../controller/context.ts';
import { parseControllerManagerOptions, type ControllerManagerOptions } from '../../options/options.ts';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { daemonSetStarter } from './starter.ts';
import { daemonSet, node } from './testing.ts';

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

describe('daemonset-controller starter', () => {
  it('starts under its own name and identity, with its events from "daemonset-controller"', async () => {
    const h = (harness = new ControllerHarness(namespace('default'), node('n1'), node('n2'), daemonSet('redis')));
    const options = parseControllerManagerOptions(['--concurrent-daemonset-syncs=3']) as ControllerManagerOptions;
    const { ctx, identities, components, queues } = h.recordingContext(options);
    expect(daemonSetStarter.name).toBe('daemonset-controller');
    const controller = await daemonSetStarter.init(ctx);
    if (isNotStarted(controller)) throw new Error(controller.notStarted);
    expect({ identities, components, queues }).toEqual({ identities: ['daemon-set-controller'], components: ['daemonset-controller'], queues: ['daemonset'] });
    await h.start(controller);
    await h.until(() => h.api.list('v1', 'Pod').length === 2, 'a pod per node');
    expect(h.logs).toContain('I Caches are synced for daemon sets');
  });
});
