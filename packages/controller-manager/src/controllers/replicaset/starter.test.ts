import { afterEach, describe, expect, it } from 'vitest';
import { isNotStarted } from '../../controller/context.ts';
import type { ReplicaSet } from '../../controller/workload-types.ts';
import { parseControllerManagerOptions, type ControllerManagerOptions } from '../../options/options.ts';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { replicaSetStarter } from './starter.ts';

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

const rs: ReplicaSet = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web', namespace: 'default', generation: 1 },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
};

describe('replicaset-controller starter', () => {
  it('starts under its own name and identity, with its events from "replicaset-controller"', async () => {
    const h = (harness = new ControllerHarness(namespace('default'), rs));
    const options = parseControllerManagerOptions(['--concurrent-replicaset-syncs=2']) as ControllerManagerOptions;
    const { ctx, identities, components, queues } = h.recordingContext(options);
    expect(replicaSetStarter.name).toBe('replicaset-controller');
    const controller = await replicaSetStarter.init(ctx);
    if (isNotStarted(controller)) throw new Error(controller.notStarted);
    expect({ identities, components, queues }).toEqual({ identities: ['replicaset-controller'], components: ['replicaset-controller'], queues: ['replicaset'] });
    await h.start(controller);
    await h.until(() => h.api.list('v1', 'Pod').length === 2, 'two pods');
    expect(h.logs).toContain('I Caches are synced for ReplicaSet');
  });
});
