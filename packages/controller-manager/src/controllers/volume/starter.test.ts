import type { PersistentVolumeClaim } from '@k8ts/api/storage/types.ts';
import { afterEach, describe, expect, it } from 'vitest';
import type { ControllerContext } from '../../controller/context.ts';
import { isNotStarted } from '../../controller/context.ts';
import { parseControllerManagerOptions, type ControllerManagerOptions } from '../../options/options.ts';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { persistentVolumeBinderStarter, pvcProtectionStarter, pvProtectionStarter } from './starter.ts';

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

function contextFor(h: ControllerHarness, seen: { identities: string[]; components: string[]; queues: string[] }): ControllerContext {
  return {
    options: parseControllerManagerOptions([]) as ControllerManagerOptions,
    informers: h.informers,
    clientFor: async (name) => {
      seen.identities.push(name);
      return h.client;
    },
    rootClient: h.client,
    eventRecorder: (client, component) => {
      seen.components.push(component);
      return h.recorder(component, client);
    },
    newQueue: (name) => {
      seen.queues.push(name);
      return h.newQueue(name);
    },
    rootCa: '',
    readFile: () => '',
    clock: h.clock,
    logger: h.logger,
  };
}

describe('volume protection starters', () => {
  it('start under the Kubernetes names and identities', async () => {
    const h = (harness = new ControllerHarness(namespace('default')));
    const seen = { identities: [] as string[], components: [] as string[], queues: [] as string[] };
    for (const starter of [pvcProtectionStarter, pvProtectionStarter]) {
      const controller = await starter.init(contextFor(h, seen));
      if (isNotStarted(controller)) throw new Error(controller.notStarted);
    }
    expect([pvcProtectionStarter.name, pvProtectionStarter.name]).toEqual(['persistentvolumeclaim-protection-controller', 'persistentvolume-protection-controller']);
    expect(seen).toEqual({ identities: ['pvc-protection-controller', 'pv-protection-controller'], components: [], queues: ['pvcprotection', 'pvprotection'] });
  });
});

describe('persistentvolume-binder-controller starter', () => {
  it('starts the binder and the local-path provisioner as "persistent-volume-binder"', async () => {
    const h = (harness = new ControllerHarness(
      namespace('default'),
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard' }, provisioner: 'k8ts.io/local-path', volumeBindingMode: 'Immediate' } as never,
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data', namespace: 'default' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard' },
        status: { phase: 'Pending' },
      },
    ));
    const seen = { identities: [] as string[], components: [] as string[], queues: [] as string[] };
    const ctx = contextFor(h, seen);
    expect(persistentVolumeBinderStarter.name).toBe('persistentvolume-binder-controller');
    const controller = await persistentVolumeBinderStarter.init(ctx);
    if (isNotStarted(controller)) throw new Error(controller.notStarted);
    expect(seen).toEqual({
      identities: ['persistent-volume-binder'],
      components: ['persistentvolume-controller', 'k8ts.io/local-path'],
      queues: ['volumes', 'claims', 'local_path_provisioner'],
    });
    await h.start(controller);
    await h.until(() => h.api.get<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', 'default', 'data')?.status?.phase === 'Bound', 'claim Bound');
    expect(h.logs).toContain('I Caches are synced for persistent volume');
  });
});
