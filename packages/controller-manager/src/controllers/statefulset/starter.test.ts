import { afterEach, describe, expect, it } from 'vitest';
import { isNotStarted } from '../../controller/context.ts';
import { parseControllerManagerOptions, type ControllerManagerOptions } from '../../options/options.ts';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { statefulSetStarter } from './starter.ts';
import { statefulSet } from './testing.ts';

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

describe('statefulset-controller starter', () => {
  it('starts under its own name and identity, with its events from "statefulset-controller"', async () => {
    const h = (harness = new ControllerHarness(namespace('default'), statefulSet('web', { replicas: 1 })));
    const options = parseControllerManagerOptions(['--concurrent-statefulset-syncs=2']) as ControllerManagerOptions;
    const { ctx, identities, components, queues } = h.recordingContext(options);
    expect(statefulSetStarter.name).toBe('statefulset-controller');
    const controller = await statefulSetStarter.init(ctx);
    if (isNotStarted(controller)) throw new Error(controller.notStarted);
    expect({ identities, components, queues }).toEqual({ identities: ['statefulset-controller'], components: ['statefulset-controller'], queues: ['statefulset'] });
    await h.start(controller);
    await h.until(() => h.api.list('v1', 'Pod').length === 1, 'web-0');
    expect(h.logs).toContain('I Caches are synced for stateful set');
    expect(h.eventLines()).toContain('Normal SuccessfulCreate create Pod web-0 in StatefulSet web successful');
  });
});
