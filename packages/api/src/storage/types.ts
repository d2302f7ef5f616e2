// The storage objects the volume binder, the provisioner and the scheduler read and write:
// PersistentVolume, PersistentVolumeClaim and StorageClass as their wire JSON, naming only the
// fields these components use, and the annotations through which they talk to each other.
import type { KubeObject } from '../object.ts';
import type { LabelSelectorObject } from '../selectors/index.ts';

export type AccessMode = 'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod';
export type VolumeMode = 'Filesystem' | 'Block';
export type ReclaimPolicy = 'Retain' | 'Delete' | 'Recycle';
export type VolumePhase = 'Pending' | 'Available' | 'Bound' | 'Released' | 'Failed';
export type ClaimPhase = 'Pending' | 'Bound' | 'Lost';
export type VolumeBindingMode = 'Immediate' | 'WaitForFirstConsumer';

export interface NodeSelectorRequirementJson {
  key: string;
  operator: string;
  values?: string[] | null;
}

export interface NodeSelectorTermJson {
  matchExpressions?: NodeSelectorRequirementJson[] | null;
  matchFields?: NodeSelectorRequirementJson[] | null;
}

/** core/v1 ObjectReference as a PV's claimRef carries it. */
export interface ClaimReference {
  kind?: string;
  apiVersion?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
}

export interface PersistentVolume extends KubeObject {
  spec?: {
    capacity?: Record<string, string>;
    accessModes?: AccessMode[] | null;
    claimRef?: ClaimReference | null;
    persistentVolumeReclaimPolicy?: ReclaimPolicy;
    storageClassName?: string;
    volumeMode?: VolumeMode | null;
    nodeAffinity?: { required?: { nodeSelectorTerms: NodeSelectorTermJson[] } | null } | null;
    hostPath?: { path: string; type?: string };
    [field: string]: unknown;
  };
  status?: { phase?: VolumePhase; message?: string; reason?: string; lastPhaseTransitionTime?: string };
}

export interface PersistentVolumeClaim extends KubeObject {
  spec?: {
    accessModes?: AccessMode[] | null;
    selector?: LabelSelectorObject | null;
    resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
    volumeName?: string;
    storageClassName?: string | null;
    volumeMode?: VolumeMode | null;
    [field: string]: unknown;
  };
  status?: {
    phase?: ClaimPhase;
    accessModes?: AccessMode[] | null;
    capacity?: Record<string, string> | null;
    [field: string]: unknown;
  };
}

export interface StorageClass extends KubeObject {
  provisioner: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: ReclaimPolicy;
  volumeBindingMode?: VolumeBindingMode;
  allowedTopologies?: { matchLabelExpressions?: { key: string; values: string[] }[] | null }[] | null;
}

/** The claim the volume binder completed binding for (set on the claim, value "yes"). */
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
/** The binder (not the user) chose this pairing (set on claim and volume, value "yes"). */
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
/** On a provisioned volume: the provisioner that created it and must delete it. */
export const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';
/** On a claim: the provisioner asked to make its volume (both spellings are written). */
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
/** On a claim: the node the scheduler picked for its first consumer (WaitForFirstConsumer). */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
/** The legacy class annotation, which still wins over spec.storageClassName. */
export const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
/** StorageClass annotations that make a class the default. */
export const ANN_IS_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
export const ANN_BETA_IS_DEFAULT_CLASS = 'storageclass.beta.kubernetes.io/is-default-class';
/** A class whose volumes are made by hand: nothing provisions them. */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';
