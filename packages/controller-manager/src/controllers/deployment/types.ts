// The parts of apps/v1 Deployment the deployment controller reads and writes, as they travel in
// JSON (zero-valued status counters are omitted on the wire, so every counter is optional);
// ReplicaSets and Pods are the workload controllers' shared types.
import type { KubeObject } from '@k8ts/api';
import type { LabelSelectorObject } from '@k8ts/api/selectors/index.ts';
import type { PodTemplateSpec, ReplicaSet } from '../../controller/workload-types.ts';

export type { Pod, PodTemplateSpec, ReplicaSet, ReplicaSetCondition } from '../../controller/workload-types.ts';
export { POD_TEMPLATE_HASH_LABEL } from '../../controller/controller-utils.ts';

export const DEPLOYMENTS = { group: 'apps', version: 'v1', kind: 'Deployment' };
export const REPLICA_SETS = { group: 'apps', version: 'v1', kind: 'ReplicaSet' };
export const PODS = { group: '', version: 'v1', kind: 'Pod' };

/** An intstr.IntOrString: 3 or "25%". */
export type IntOrString = number | string;

export type StrategyType = 'RollingUpdate' | 'Recreate';

export interface DeploymentCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface DeploymentSpec {
  replicas?: number;
  selector?: LabelSelectorObject;
  template: PodTemplateSpec;
  strategy?: { type?: StrategyType; rollingUpdate?: { maxSurge?: IntOrString; maxUnavailable?: IntOrString } };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
  collisionCount?: number;
}

export interface Deployment extends KubeObject {
  spec: DeploymentSpec;
  status?: DeploymentStatus;
}

/** spec.replicas, which the apiserver defaults to 1. */
export function replicasOf(obj: Deployment | ReplicaSet): number {
  return obj.spec?.replicas ?? 1;
}

/** A ReplicaSet's pod template ({} when missing, which validation never lets happen). */
export function templateOf(rs: ReplicaSet): PodTemplateSpec {
  return rs.spec?.template ?? {};
}
