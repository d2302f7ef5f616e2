// How many pods a PodDisruptionBudget expects and how many must stay healthy
// (getExpectedPodCount). An integer minAvailable counts the pods the selector matches; a
// percentage minAvailable, or any maxUnavailable, is taken of the scale of the pods'
// controllers (a Deployment's replicas for its ReplicaSets' pods, a StatefulSet's, …), each
// controller counted once. Pods without a controller cannot be scaled against: they are
// reported as unmanaged. A pod whose controller is of a kind without scale is an error.
import type { OwnerReference } from '@k8ts/api';
import { controllerRefOf } from '../../controller/controller-utils.ts';
import type { Pod } from '../../controller/workload-types.ts';
import { scaledValue } from '../deployment/fenceposts.ts';
import type { PodDisruptionBudget } from './types.ts';

/** A pod's controller and its desired scale. */
export interface ControllerAndScale {
  uid: string;
  scale: number;
}

/**
 * Looks up the controller a pod's controller reference names: its scale, undefined when this
 * finder does not handle that reference (or the controller is gone), or throws.
 */
export type ControllerFinder = (ref: OwnerReference, namespace: string) => Promise<ControllerAndScale | undefined>;

export interface ExpectedCount {
  expectedCount: number;
  desiredHealthy: number;
  /** names of selected pods without a controller */
  unmanagedPods: string[];
}

export async function expectedPodCount(pdb: PodDisruptionBudget, pods: readonly Pod[], finders: readonly ControllerFinder[]): Promise<ExpectedCount> {
  const spec = pdb.spec ?? {};
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const { expectedCount, unmanagedPods } = await expectedScale(pods, finders);
    const maxUnavailable = scaledValue(spec.maxUnavailable, expectedCount, true);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - maxUnavailable), unmanagedPods };
  }
  if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanagedPods: [] };
    const { expectedCount, unmanagedPods } = await expectedScale(pods, finders);
    return { expectedCount, desiredHealthy: scaledValue(spec.minAvailable, expectedCount, true), unmanagedPods };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}

/** getExpectedScale: the sum of the scales of the selected pods' controllers. */
async function expectedScale(pods: readonly Pod[], finders: readonly ControllerFinder[]): Promise<{ expectedCount: number; unmanagedPods: string[] }> {
  const scales = new Map<string, number>();
  const unmanagedPods: string[] = [];
  for (const pod of pods) {
    const ref = controllerRefOf(pod);
    if (!ref) {
      unmanagedPods.push(pod.metadata.name ?? '');
      continue;
    }
    if (scales.has(ref.uid)) continue;
    let found: ControllerAndScale | undefined;
    for (const finder of finders) {
      found = await finder(ref, pod.metadata.namespace ?? '');
      if (found) break;
    }
    if (!found) throw new Error(`found no controllers for pod ${JSON.stringify(pod.metadata.name ?? '')}`);
    scales.set(found.uid, found.scale);
  }
  let expectedCount = 0;
  for (const scale of scales.values()) expectedCount += scale;
  return { expectedCount, unmanagedPods };
}
