// The parts of apps/v1 DaemonSet the DaemonSet controller reads and writes, as they travel in
// JSON (zero-valued status counters are omitted on the wire, so every counter is optional), and
// the labels and annotations that tie a DaemonSet's pods to the revision they were made from.
import type { KubeObject } from '@k8ts/api';
import type { NodeSelectorTermJson } from '@k8ts/api/storage/types.ts';
import type { LabelSelectorObject } from '@k8ts/api/selectors/index.ts';
import type { Pod, PodSpec, PodTemplateSpec } from '../../controller/workload-types.ts';
import type { Taint, Toleration } from '../nodelifecycle/node-types.ts';

export type { Pod, PodTemplateSpec } from '../../controller/workload-types.ts';
export type { Node, Taint, Toleration } from '../nodelifecycle/node-types.ts';
export type { ControllerRevision } from '../../controller/history.ts';
export { CONTROLLER_REVISION_HASH_LABEL } from '../../controller/history.ts';

export const DAEMON_SETS = { group: 'apps', version: 'v1', kind: 'DaemonSet' };
export const CONTROLLER_REVISIONS = { group: 'apps', version: 'v1', kind: 'ControllerRevision' };
export const PODS = { group: '', version: 'v1', kind: 'Pod' };
export const NODES = { group: '', version: 'v1', kind: 'Node' };

/**
 * extensions.DaemonSetTemplateGenerationKey: the label carrying the DaemonSet's template
 * generation on its pods (kept beside the revision hash for pods made before revisions existed).
 */
export const POD_TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

/** apps/v1's DeprecatedTemplateGeneration: the apiserver counts template changes in this annotation. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/** An intstr.IntOrString: 1 or "10%". */
export type IntOrString = number | string;

export type DaemonSetUpdateStrategyType = 'RollingUpdate' | 'OnDelete';

export interface DaemonSetSpec {
  selector?: LabelSelectorObject | null;
  template?: PodTemplateSpec;
  updateStrategy?: {
    type?: DaemonSetUpdateStrategyType;
    rollingUpdate?: { maxUnavailable?: IntOrString; maxSurge?: IntOrString } | null;
  };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
}

export interface DaemonSetStatus {
  currentNumberScheduled?: number;
  numberMisscheduled?: number;
  desiredNumberScheduled?: number;
  numberReady?: number;
  observedGeneration?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  collisionCount?: number;
  conditions?: unknown[];
}

export interface DaemonSet extends KubeObject {
  spec?: DaemonSetSpec;
  status?: DaemonSetStatus;
}

/** The pod spec fields the DaemonSet controller reasons about (placement and tolerations). */
export interface DaemonPodSpec extends PodSpec {
  nodeSelector?: Record<string, string> | null;
  hostNetwork?: boolean;
  tolerations?: Toleration[] | null;
  affinity?: {
    nodeAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTermJson[] | null } | null;
      [field: string]: unknown;
    } | null;
    [field: string]: unknown;
  } | null;
}

export function daemonPodSpecOf(pod: Pod | PodTemplateSpec): DaemonPodSpec {
  return (pod.spec ?? {}) as DaemonPodSpec;
}

/** The node's taints, or none. */
export function taintsOf(node: { spec?: { taints?: Taint[] | null } }): Taint[] {
  return node.spec?.taints ?? [];
}
