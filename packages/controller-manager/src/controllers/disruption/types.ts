// The parts of policy/v1 PodDisruptionBudgets, and of the workload controllers whose scale a
// budget counts against, that the disruption controller reads and writes.
import type { KubeObject } from '@k8ts/api';
import type { LabelSelectorObject } from '@k8ts/api/selectors/index.ts';

export const PDB_KIND = { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' };
export const DEPLOYMENT_KIND = { group: 'apps', version: 'v1', kind: 'Deployment' };
export const REPLICASET_KIND = { group: 'apps', version: 'v1', kind: 'ReplicaSet' };
export const STATEFULSET_KIND = { group: 'apps', version: 'v1', kind: 'StatefulSet' };
export const REPLICATION_CONTROLLER_KIND = { group: '', version: 'v1', kind: 'ReplicationController' };

/** An intstr.IntOrString: 2 or "50%". */
export type IntOrString = number | string;

/** metav1.Condition, as status.conditions holds it. */
export interface MetaCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface PodDisruptionBudgetStatus {
  observedGeneration?: number;
  /** pod name → when the eviction handler let it go */
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions?: MetaCondition[];
}

export interface PodDisruptionBudget extends KubeObject {
  spec?: {
    minAvailable?: IntOrString;
    maxUnavailable?: IntOrString;
    selector?: LabelSelectorObject | null;
    unhealthyPodEvictionPolicy?: 'IfHealthyBudget' | 'AlwaysAllow';
  };
  status?: PodDisruptionBudgetStatus;
}

/** Deployments, ReplicaSets, StatefulSets and ReplicationControllers: only their scale matters here. */
export interface ScaledWorkload extends KubeObject {
  spec?: { replicas?: number; [field: string]: unknown };
}
