// What a ResourceStore serves from stored bytes when its version is not the storage version. The
// store's I/O parts are not touched by these reads, so they stand in as empty objects.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { schema } from '@k8ts/api';
import type { AdmissionControl } from '../../admission/chain.ts';
import type { ObjectStorage } from '../../storage/object-storage.ts';
import { encodeStored, StoredValue } from '../../storage/stored-value.ts';
import type { WatchCache } from '../../storage/watch-cache.ts';
import { ResourceStore } from '../resource-store.ts';
import { converterFor } from './converter.ts';

function storeFor(group: string, version: string, resource: string): ResourceStore {
  const info = schema.resourceFor(group, version, resource)!;
  const cache = { prefix: `/registry/${resource}/` } as WatchCache;
  return new ResourceStore(info, {} as ObjectStorage, cache, {}, {} as AdmissionControl, converterFor(group, resource));
}

const storedHpa: KubeObject = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', uid: 'u1' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 1,
    maxReplicas: 4,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
  },
  status: { currentReplicas: 1, desiredReplicas: 1 },
};

describe('a resource served in two versions', () => {
  const value = new StoredValue(encodeStored(storedHpa), 42);

  it('serves the stored v2 object through v1 as v1, with its resourceVersion', () => {
    const v1 = storeFor('autoscaling', 'v1', 'horizontalpodautoscalers');
    expect(v1.converts).toBe(true);
    expect(v1.storageGvk.version).toBe('v2');
    const served = JSON.parse(v1.servedValue(value).served({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler' }).toString());
    expect(served).toEqual({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { resourceVersion: '42', name: 'web', namespace: 'default', uid: 'u1' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 4, targetCPUUtilizationPercentage: 50 },
      status: { currentReplicas: 1, desiredReplicas: 1 },
    });
    // Converted once per stored value (a watch cache's objects are served again and again).
    expect(v1.servedValue(value)).toBe(v1.servedValue(value));
  });

  it('serves the stored bytes unchanged through the storage version', () => {
    const v2 = storeFor('autoscaling', 'v2', 'horizontalpodautoscalers');
    expect(v2.converts).toBe(false);
    expect(v2.servedValue(value)).toBe(value);
    expect(v2.toServed(storedHpa)).toBe(storedHpa);
  });

  it('leaves resources of one shape alone', () => {
    const pods = storeFor('', 'v1', 'pods');
    expect(pods.converts).toBe(false);
    expect(pods.storageGvk).toEqual(pods.gvk);
  });
});
