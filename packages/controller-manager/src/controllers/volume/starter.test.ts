import type { PersistentVolumeClaim } from '@k8ts/api/storage/types.ts';
import { afterEach, describe, expect, it } from 'vitest';
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

describe('volume protection starters', () => {
  it('start under the Kubernetes names and identities', async () => {
    const h = (harness = new ControllerHarness(namespace('default')));
    const { ctx, identities, components, queues } = h.recordingContext(parseControllerManagerOptions([]) as ControllerManagerOptions);
    for (const starter of [pvcProtectionStarter, pvProtectionStarter]) {
      const controller = await starter.init(ctx);
      if (isNotStarted(controller)) throw new Error(controller.notStarted);
    }
    expect([pvcProtectionStarter.name, pvProtectionStarter.name]).toEqual(['persistentvolumeclaim-protection-controller', 'persistentvolume-protection-controller']);
    expect({ identities, components, queues }).toEqual({ identities: ['pvc-protection-controller', 'pv-protection-controller'], components: [], queues: ['pvcprotection', 'pvprotection'] });
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
    const { ctx, identities, components, queues } = h.recordingContext(parseControllerManagerOptions([]) as ControllerManagerOptions);
    expect(persistentVolumeBinderStarter.name).toBe('persistentvolume-binder-controller');
    const controller = await persistentVolumeBinderStarter.init(ctx);
    if (isNotStarted(controller)) throw new Error(controller.notStarted);
    expect({ identities, components, queues }).toEqual({
      identities: ['persistent-volume-binder'],
      components: ['persistentvolume-controller', 'k8ts.io/local-path'],
      queues: ['volumes', 'claims', 'local_path_provisioner'],
    });
    await h.start(controller);
    await h.until(() => h.api.get<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', 'default', 'data')?.status?.phase === 'Bound', 'claim Bound');
    expect(h.logs).toContain('I Caches are synced for persistent volume');
  });
});
