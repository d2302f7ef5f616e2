import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { isNotStarted } from '../../controller/context.ts';
import { parseControllerManagerOptions, type ControllerManagerOptions } from '../../options/options.ts';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { resourceQuotaStarter } from './starter.ts';

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

const quota: KubeObject = {
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'dev-qt', namespace: 'dev' },
  spec: { hard: { pods: '5', services: '2', 'count/ingresses.networking.k8s.io': '1' } },
};
const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'dev' }, spec: { type: 'ClusterIP', ports: [{ port: 80 }] } };
const ingress: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'dev' }, spec: {} };

describe('resourcequota-controller starter', () => {
  it('starts under its own name and identity, and counts watched and listed kinds', async () => {
    const h = (harness = new ControllerHarness(namespace('dev'), quota, service, ingress));
    const options = parseControllerManagerOptions(['--concurrent-resource-quota-syncs=1']) as ControllerManagerOptions;
    const { ctx, identities, queues } = h.recordingContext(options);
    expect(resourceQuotaStarter.name).toBe('resourcequota-controller');
    const controller = await resourceQuotaStarter.init(ctx);
    if (isNotStarted(controller)) throw new Error(controller.notStarted);
    expect({ identities, queues }).toEqual({ identities: ['resourcequota-controller'], queues: ['resourcequota_primary', 'resourcequota_priority'] });
    await h.start(controller);
    await h.until(() => h.api.get('v1', 'ResourceQuota', 'dev', 'dev-qt')?.status !== undefined, 'quota status');
    expect(h.api.get('v1', 'ResourceQuota', 'dev', 'dev-qt')?.status).toEqual({
      hard: { 'count/ingresses.networking.k8s.io': '1', pods: '5', services: '2' },
      used: { 'count/ingresses.networking.k8s.io': '1', pods: '0', services: '1' },
    });
  });
});
