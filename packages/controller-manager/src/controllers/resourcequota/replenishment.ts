// Which changes give quota back (the quota monitor's update filter). Creations are charged by
// admission as they happen, and deletions always replenish; an update matters only when it ends
// a charge: a pod that finished (or outlived its deletion grace period), a Service that stopped
// or started being NodePort/LoadBalancer, a claim whose allocated storage changed.
import type { KubeObject } from '@k8ts/api';
import { podChargesCompute } from '@k8ts/api/quota/pods.ts';
import type { PodShape } from '@k8ts/api/quota/pod-resources.ts';
import { quotaServiceType } from '@k8ts/api/quota/services.ts';

function allocatedStorage(claim: KubeObject): unknown {
  return (claim.status as { allocatedResources?: { storage?: unknown } } | undefined)?.allocatedResources?.storage;
}

export function requiresReplenishment(group: string, resource: string, old: KubeObject, current: KubeObject, now: Date): boolean {
  if (group !== '') return false;
  switch (resource) {
    case 'pods':
      return podChargesCompute(old as PodShape, now) && !podChargesCompute(current as PodShape, now);
    case 'services':
      return quotaServiceType(old) !== quotaServiceType(current);
    case 'persistentvolumeclaims':
      return allocatedStorage(old) !== allocatedStorage(current);
    default:
      return false;
  }
}
