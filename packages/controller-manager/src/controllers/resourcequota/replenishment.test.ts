import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@k8ts/api';
import { requiresReplenishment } from './replenishment.ts';

const NOW = new Date('2025-01-01T00:00:00Z');
const object = (fields: Partial<KubeObject>): KubeObject => ({ metadata: { name: 'x', namespace: 'dev' }, ...fields });

describe('which updates give quota back', () => {
  it('a pod that finishes or outlives its grace period, not one that merely changes', () => {
    const running = object({ status: { phase: 'Running' } });
    expect(requiresReplenishment('', 'pods', running, object({ status: { phase: 'Failed' } }), NOW)).toBe(true);
    const overdue = object({ metadata: { name: 'x', deletionTimestamp: '2024-12-31T23:00:00Z', deletionGracePeriodSeconds: 30 }, status: { phase: 'Running' } });
    expect(requiresReplenishment('', 'pods', running, overdue, NOW)).toBe(true);
    expect(requiresReplenishment('', 'pods', running, object({ status: { phase: 'Running', podIP: '10.0.0.1' } }), NOW)).toBe(false);
  });

  it('a service whose quota type changes, a claim whose allocation changes', () => {
    const clusterIp = object({ spec: { type: 'ClusterIP' } });
    expect(requiresReplenishment('', 'services', object({ spec: { type: 'LoadBalancer' } }), clusterIp, NOW)).toBe(true);
    expect(requiresReplenishment('', 'services', object({ spec: { type: 'ExternalName' } }), clusterIp, NOW)).toBe(false);
    const claim = (storage?: string) => object({ status: storage ? { allocatedResources: { storage } } : {} });
    expect(requiresReplenishment('', 'persistentvolumeclaims', claim('1Gi'), claim('2Gi'), NOW)).toBe(true);
    expect(requiresReplenishment('', 'persistentvolumeclaims', claim('1Gi'), claim('1Gi'), NOW)).toBe(false);
    expect(requiresReplenishment('apps', 'deployments', object({}), object({ spec: { replicas: 3 } }), NOW)).toBe(false);
  });
});
