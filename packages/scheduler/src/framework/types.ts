// The scheduling framework's vocabulary (k8s.io/kubernetes/pkg/scheduler/framework): the
// objects it reads, the status every plugin answers with, and what one scheduling attempt
// produces. Objects stay the wire JSON; these interfaces name only the fields the scheduler reads.
import type { KubeObject } from '@k8ts/api';
import type { FitError } from './fit-error.ts';
import type { CycleState } from './interfaces.ts';

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: TaintEffect | '';
  tolerationSeconds?: number;
}

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[] | null;
  matchFields?: NodeSelectorRequirement[] | null;
}

export interface LabelSelectorJson {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key: string; operator: string; values?: string[] | null }[] | null;
}

export interface PodAffinityTermJson {
  labelSelector?: LabelSelectorJson | null;
  namespaces?: string[] | null;
  topologyKey: string;
  namespaceSelector?: LabelSelectorJson | null;
}

export interface WeightedPodAffinityTermJson {
  weight: number;
  podAffinityTerm: PodAffinityTermJson;
}

export interface PodAffinityJson {
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTermJson[] | null;
  preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTermJson[] | null;
}

export interface Affinity {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] } | null;
    preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[] | null;
  } | null;
  podAffinity?: PodAffinityJson | null;
  podAntiAffinity?: PodAffinityJson | null;
}

export interface ContainerPort {
  containerPort: number;
  hostPort?: number;
  hostIP?: string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  name?: string;
}

export interface Container {
  name: string;
  image?: string;
  ports?: ContainerPort[];
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  /** "Always" on an init container makes it a sidecar that keeps running beside the app containers. */
  restartPolicy?: string;
}

export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector?: LabelSelectorJson | null;
  minDomains?: number;
  nodeAffinityPolicy?: 'Honor' | 'Ignore';
  nodeTaintsPolicy?: 'Honor' | 'Ignore';
  matchLabelKeys?: string[];
}

export interface PodSpec {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity | null;
  tolerations?: Toleration[] | null;
  containers: Container[];
  initContainers?: Container[] | null;
  overhead?: Record<string, string | number> | null;
  priority?: number;
  priorityClassName?: string;
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
  schedulerName?: string;
  topologySpreadConstraints?: TopologySpreadConstraint[] | null;
  terminationGracePeriodSeconds?: number;
  [field: string]: unknown;
}

export interface Pod extends KubeObject {
  spec: PodSpec;
  status?: {
    phase?: string;
    nominatedNodeName?: string;
    startTime?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    [field: string]: unknown;
  };
}

export interface Node extends KubeObject {
  spec?: { unschedulable?: boolean; taints?: Taint[] | null; podCIDR?: string; [field: string]: unknown };
  status?: {
    capacity?: Record<string, string | number>;
    allocatable?: Record<string, string | number>;
    images?: { names?: string[] | null; sizeBytes?: number }[] | null;
    [field: string]: unknown;
  };
}

export interface PodDisruptionBudget extends KubeObject {
  spec?: { selector?: LabelSelectorJson | null; [field: string]: unknown };
  status?: { disruptionsAllowed?: number; disruptedPods?: Record<string, string> | null; [field: string]: unknown };
}

/** framework.Resource: what a node offers or a pod asks for, in k8s' integer units. */
export interface Resource {
  milliCpu: number;
  /** bytes */
  memory: number;
  /** bytes */
  ephemeralStorage: number;
  allowedPodNumber: number;
  /** extended resources, hugepages-*: their integer Value() */
  scalar: Record<string, number>;
}

export function emptyResource(): Resource {
  return { milliCpu: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: {} };
}

/**
 * framework.Code. Unschedulable: preemption might help; UnschedulableAndUnresolvable: it
 * cannot (the node is excluded from preemption); Skip: the plugin has nothing to do for this pod.
 */
export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip' | 'Pending';

/** framework.Status: a code, reasons (joined by ", " into the message), and the plugin that said it. */
export class PluginStatus {
  constructor(
    readonly code: Code,
    readonly reasons: string[] = [],
    public plugin = '',
  ) {}

  static success(): PluginStatus {
    return SUCCESS;
  }

  isSuccess(): boolean {
    return this.code === 'Success';
  }

  /** Unschedulable or UnschedulableAndUnresolvable: the pod does not fit (an Error is not a rejection). */
  isRejected(): boolean {
    return this.code === 'Unschedulable' || this.code === 'UnschedulableAndUnresolvable' || this.code === 'Pending';
  }

  message(): string {
    return this.reasons.join(', ');
  }

  withPlugin(plugin: string): PluginStatus {
    return new PluginStatus(this.code, this.reasons, plugin);
  }
}

const SUCCESS = new PluginStatus('Success');

/** framework.Diagnosis: why a pod fitted nowhere, kept for FitError and for PostFilter. */
export interface Diagnosis {
  /** nodes a filter rejected (or, for a PreFilter rejection, none: see absentNodesStatus) */
  nodeToStatus: Map<string, PluginStatus>;
  /**
   * NodeToStatus.AbsentNodesStatus: the status of every node missing from nodeToStatus — set
   * when PreFilter rejected the pod or narrowed the nodes to evaluate.
   */
  absentNodesStatus?: PluginStatus;
  /** plugins that rejected the pod; the queue re-queues it on events these plugins care about */
  unschedulablePlugins: Set<string>;
  pendingPlugins: Set<string>;
  preFilterMsg?: string;
  postFilterMsg?: string;
}

/** One score plugin's view of a feasible node, for the explanation. */
export interface PluginScore {
  plugin: string;
  raw: number;
  normalized: number;
  weight: number;
  weighted: number;
}

export interface NodeExplanation {
  node: string;
  /** Present when a filter rejected the node (or PreFilter excluded it). */
  rejectedBy?: { plugin: string; code: Code; reasons: string[] };
  /** Present for feasible nodes that were scored. */
  scores?: PluginScore[];
  totalScore?: number;
}

/**
 * What one scheduling attempt looked at: each evaluated node with the filter that rejected it
 * or its per-plugin scores. Backs the scheduler's debug endpoint.
 */
export interface Explanation {
  pod: string;
  numAllNodes: number;
  numNodesToFind: number;
  /** A PreFilter plugin that rejected the pod outright, with its message. */
  preFilterRejection?: { plugin: string; message: string };
  /** PreFilter plugins narrowed the search to these nodes (e.g. DaemonSet matchFields). */
  preFilterNodeNames?: string[];
  /** Score plugins skipped by PreScore for this pod. */
  skippedScorePlugins: string[];
  nodes: NodeExplanation[];
  selectedNode?: string;
}

export type ScheduleResult =
  | {
      kind: 'scheduled';
      suggestedHost: string;
      /** nodes run through the filters (feasible + rejected) */
      evaluatedNodes: number;
      feasibleNodes: number;
      explanation: Explanation;
      /** where the next pod's filter pass starts (round robin over the node list) */
      nextStartIndex: number;
      /** what the plugins computed in this cycle, for Reserve and PreBind */
      state: CycleState;
    }
  | { kind: 'unschedulable'; fitError: FitError; explanation: Explanation; nextStartIndex: number };

/** DefaultPreemption's answer for a pod that fitted nowhere. */
export interface PreemptionResult {
  /** the node the pod should be nominated to; undefined when preemption cannot help */
  nominatedNodeName?: string;
  /** pods to delete on that node, most important first */
  victims: Pod[];
  /** the PostFilter status message ("preemption: ..."), '' on success; becomes Diagnosis.postFilterMsg */
  message: string;
}
