import { afterEach, describe, expect, it } from 'vitest';
import { isNotStarted } from '../../controller/context.ts';
import { parseControllerManagerOptions, type ControllerManagerOptions } from '../../options/options.ts';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { disruptionStarter } from './starter.ts';
import type { PodDisruptionBudget } from './types.ts';

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

const budget: PodDisruptionBudget = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web', namespace: 'default', generation: 1 },
  spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
};

describe('disruption-controller starter', () => {
  it('starts under its own name and identity, with events from "controllermanager"', async () => {
    const h = (harness = new ControllerHarness(namespace('default'), budget));
    const { ctx, identities, components, queues } = h.recordingContext(parseControllerManagerOptions([]) as ControllerManagerOptions);
    expect(disruptionStarter.name).toBe('disruption-controller');
    const controller = await disruptionStarter.init(ctx);
    if (isNotStarted(controller)) throw new Error(controller.notStarted);
    expect({ identities, components, queues }).toEqual({ identities: ['disruption-controller'], components: ['controllermanager'], queues: ['disruption'] });
    await h.start(controller);
    await h.until(() => h.api.get<PodDisruptionBudget>('policy/v1', 'PodDisruptionBudget', 'default', 'web')?.status?.observedGeneration === 1, 'the status');
    expect(h.eventLines()).toEqual(['Normal NoPods No matching pods found']);
  });
});
