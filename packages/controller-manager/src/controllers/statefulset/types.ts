// The parts of apps/v1 StatefulSet and core/v1 PersistentVolumeClaim the StatefulSet
// controller reads and writes, as they travel in JSON (zero-valued status counters are omitted
// on the wire, so they are optional), and the labels it puts on its pods.
import type { KubeObject, ObjectMeta } from '@k8ts/api';
import type { LabelSelectorObject } from '@k8ts/api/selectors/index.ts';
import type { PodTemplateSpec } from '../../controller/workload-types.ts';

export type { Pod, PodTemplateSpec } from '../../controller/workload-types.ts';

export const STATEFUL_SETS = { group: 'apps', version: 'v1', kind: 'StatefulSet' };
export const PODS = { group: '', version: 'v1', kind: 'Pod' };
export const PERSISTENT_VOLUME_CLAIMS = { group: '', version: 'v1', kind: 'PersistentVolumeClaim' };

/** apps.StatefulSetPodNameLabel: each pod's own name, so a Service can select exactly one pod. */
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** apps.PodIndexLabel (PodIndexLabel, on by default since 1.28): the pod's ordinal. */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export type PodManagementPolicy = 'OrderedReady' | 'Parallel';
export type RetentionPolicyType = 'Retain' | 'Delete';

export interface StatefulSetUpdateStrategy {
  type?: 'RollingUpdate' | 'OnDelete';
  rollingUpdate?: { partition?: number; maxUnavailable?: number | string } | null;
}

export interface PersistentVolumeClaimTemplate {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: unknown;
}

export interface StatefulSetSpec {
  replicas?: number;
  selector?: LabelSelectorObject | null;
  template?: PodTemplateSpec;
  volumeClaimTemplates?: PersistentVolumeClaimTemplate[];
  serviceName?: string;
  podManagementPolicy?: PodManagementPolicy;
  updateStrategy?: StatefulSetUpdateStrategy;
  revisionHistoryLimit?: number;
  minReadySeconds?: number;
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: RetentionPolicyType; whenScaled?: RetentionPolicyType } | null;
  ordinals?: { start?: number } | null;
}

export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
  availableReplicas?: number;
  conditions?: unknown[];
}

export interface StatefulSet extends KubeObject {
  spec?: StatefulSetSpec;
  status?: StatefulSetStatus;
}

export interface PersistentVolumeClaim extends KubeObject {
  spec?: Record<string, unknown>;
  status?: { phase?: string; [field: string]: unknown };
}

/** spec.replicas as defaulted (1). */
export function replicasOf(set: StatefulSet): number {
  return set.spec?.replicas ?? 1;
}

/** The StatefulSet as cached, naming its own type (events and owner references need it). */
export function ownerObject(set: StatefulSet): StatefulSet {
  return { ...set, apiVersion: 'apps/v1', kind: 'StatefulSet' };
}
