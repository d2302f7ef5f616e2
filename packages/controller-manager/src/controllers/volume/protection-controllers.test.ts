import type { KubeObject } from '@k8ts/api';
import type { PersistentVolume, PersistentVolumeClaim } from '@k8ts/api/storage/types.ts';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pod } from '../../controller/workload-types.ts';
import { namespace } from '../../testing/fixtures.ts';
import { ControllerHarness } from '../../testing/harness.ts';
import { PvProtectionController } from './pv-protection-controller.ts';
import { PvcProtectionController } from './pvc-protection-controller.ts';

const PVS = { group: '', version: 'v1', kind: 'PersistentVolume' };
const PVCS = { group: '', version: 'v1', kind: 'PersistentVolumeClaim' };
const PODS = { group: '', version: 'v1', kind: 'Pod' };

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.shutdown();
  harness = undefined;
});

const claim: PersistentVolumeClaim = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  status: { phase: 'Bound' },
};

function podUsingData(name: string, extra: { node?: string; phase?: 'Running' | 'Succeeded' } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { ...(extra.node ? { nodeName: extra.node } : {}), containers: [{ name: 'app', image: 'nginx' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] },
    status: { phase: extra.phase ?? 'Pending' },
  };
}

async function startPvc(...objects: KubeObject[]): Promise<ControllerHarness> {
  const h = (harness = new ControllerHarness(namespace('default'), ...objects));
  await h.start(
    new PvcProtectionController({
      claims: h.informers.forKind<PersistentVolumeClaim>(PVCS),
      pods: h.informers.forKind<Pod>(PODS),
      claimClient: h.client.forKind<PersistentVolumeClaim>(PVCS),
      podClient: h.client.forKind<Pod>(PODS),
      queue: h.newQueue('pvcprotection'),
      clock: h.clock,
      logger: h.logger,
    }),
  );
  return h;
}

const claimNow = (h: ControllerHarness) => h.api.get<PersistentVolumeClaim>('v1', 'PersistentVolumeClaim', 'default', 'data');

describe('PVC protection', () => {
  it('protects every claim, and keeps a deleted one while a running pod on a node uses it', async () => {
    const h = await startPvc(claim, podUsingData('user', { node: 'n1', phase: 'Running' }), podUsingData('unscheduled'), podUsingData('done', { node: 'n1', phase: 'Succeeded' }));
    await h.until(() => (claimNow(h)?.metadata.finalizers ?? []).includes('kubernetes.io/pvc-protection'), 'finalizer added');
    await h.client.forKind<PersistentVolumeClaim>(PVCS).namespace('default').delete('data');
    await h.settle(2000);
    expect(claimNow(h)?.metadata.deletionTimestamp).toBeTruthy();
    // The unscheduled and the finished pod do not hold it; the running one goes.
    await h.client.forKind<Pod>(PODS).namespace('default').delete('user', { gracePeriodSeconds: 0 });
    await h.until(() => claimNow(h) === undefined, 'claim gone');
  });
});

describe('PV protection', () => {
  it('protects every volume, and keeps a deleted one while it is Bound', async () => {
    const volume: PersistentVolume = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { capacity: { storage: '1Gi' } }, status: { phase: 'Bound' } };
    const h = (harness = new ControllerHarness(volume));
    await h.start(
      new PvProtectionController({
        volumes: h.informers.forKind<PersistentVolume>(PVS),
        volumeClient: h.client.forKind<PersistentVolume>(PVS),
        queue: h.newQueue('pvprotection'),
        clock: h.clock,
        logger: h.logger,
      }),
    );
    const volumeNow = () => h.api.get<PersistentVolume>('v1', 'PersistentVolume', undefined, 'pv');
    await h.until(() => (volumeNow()?.metadata.finalizers ?? []).includes('kubernetes.io/pv-protection'), 'finalizer added');
    await h.client.forKind<PersistentVolume>(PVS).delete('pv');
    await h.settle(2000);
    expect(volumeNow()?.metadata.deletionTimestamp).toBeTruthy();
    await h.client.forKind<PersistentVolume>(PVS).updateStatus({ ...volumeNow()!, status: { phase: 'Released' } });
    await h.until(() => volumeNow() === undefined, 'volume gone');
  });
});
