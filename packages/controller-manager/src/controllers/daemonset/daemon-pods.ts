// What a DaemonSet's pods look like (pkg/controller/daemon/util): the template stamped with the
// revision's hash and the template generation, the tolerations every daemon pod gets so that
// node problems never evict it, and the required node affinity on metadata.name that pins each
// pod to its node — since 1.12 the default scheduler, not the controller, binds daemon pods,
// and this affinity is how it knows where.
import { isDeepStrictEqual } from 'node:util';
import type { NodeSelectorTermJson } from '@k8ts/api/storage/types.ts';
import { timeOf } from '../../controller/controller-utils.ts';
import {
  CONTROLLER_REVISION_HASH_LABEL,
  POD_TEMPLATE_GENERATION_LABEL,
  TEMPLATE_GENERATION_ANNOTATION,
  daemonPodSpecOf,
  type DaemonPodSpec,
  type DaemonSet,
  type Pod,
  type PodTemplateSpec,
  type Toleration,
} from './types.ts';

/** metav1.ObjectNameField: the one node field a node selector term may match. */
const NODE_NAME_FIELD = 'metadata.name';

/**
 * AddOrUpdateDaemonPodTolerations: daemon pods tolerate a not-ready or unreachable node
 * (NoExecute, forever: the node controller must not evict them) and every condition taint
 * (TaintNodesByCondition): disk, memory and PID pressure, unschedulable, and — for pods on the
 * host network, which need no pod network — network-unavailable.
 */
export function addDaemonPodTolerations(spec: DaemonPodSpec): void {
  const wanted: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (spec.hostNetwork) wanted.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  for (const toleration of wanted) addOrUpdateToleration(spec, toleration);
}

/** Toleration.MatchToleration: the same key, operator, value and effect. */
function sameToleration(a: Toleration, b: Toleration): boolean {
  return (
    (a.key ?? '') === (b.key ?? '') &&
    (a.operator ?? '') === (b.operator ?? '') &&
    (a.value ?? '') === (b.value ?? '') &&
    (a.effect ?? '') === (b.effect ?? '')
  );
}

/**
 * AddOrUpdateTolerationInPodSpec: a toleration matching `toleration` is replaced by it (a user's
 * tolerationSeconds on not-ready is dropped: daemon pods stay); otherwise it is appended.
 */
function addOrUpdateToleration(spec: DaemonPodSpec, toleration: Toleration): void {
  const existing = spec.tolerations ?? [];
  let replaced = false;
  const next = existing.map((t) => {
    if (!sameToleration(t, toleration)) return t;
    replaced = true;
    return isDeepStrictEqual(t, toleration) ? t : { ...toleration };
  });
  if (!replaced) next.push({ ...toleration });
  spec.tolerations = next;
}

/**
 * The pod the DaemonSet would run on `nodeName` (NewPod), as the placement checks see it: the
 * template's spec with the node set and the daemon tolerations added.
 */
export function newDaemonPod(ds: DaemonSet, nodeName: string): Pod {
  const spec = structuredClone(daemonPodSpecOf(ds.spec?.template ?? {}));
  spec.nodeName = nodeName;
  addDaemonPodTolerations(spec);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...structuredClone(ds.spec?.template?.metadata ?? {}), namespace: ds.metadata.namespace ?? '' },
    spec,
  };
}

/**
 * util.GetTemplateGeneration: the template generation the apiserver keeps in the
 * deprecated.daemonset.template.generation annotation; undefined when absent or not a number
 * (the revision hash alone then decides which pods are current).
 */
export function templateGenerationOf(ds: DaemonSet): number | undefined {
  const value = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (value === undefined || !/^-?[0-9]+$/.test(value)) return undefined;
  return Number(value);
}

/**
 * util.CreatePodTemplate: the template every new pod of revision `hash` is made from: the
 * daemon tolerations, and the labels pod-template-generation (when known) and
 * controller-revision-hash.
 */
export function daemonPodTemplate(ds: DaemonSet, hash: string): PodTemplateSpec {
  const template = structuredClone(ds.spec?.template ?? {});
  const spec = (template.spec ?? {}) as DaemonPodSpec;
  addDaemonPodTolerations(spec);
  template.spec = spec;
  const labels = { ...(template.metadata?.labels ?? {}) };
  const generation = templateGenerationOf(ds);
  if (generation !== undefined) labels[POD_TEMPLATE_GENERATION_LABEL] = String(generation);
  if (hash) labels[CONTROLLER_REVISION_HASH_LABEL] = hash;
  template.metadata = { ...(template.metadata ?? {}), labels };
  return template;
}

/**
 * ReplaceDaemonSetPodNodeNameNodeAffinity: the pod's required node affinity becomes the single
 * term "metadata.name In [node]" — the controller has already checked the user's terms against
 * the node, so nothing is lost; preferred terms and pod (anti-)affinity stay.
 */
export function pinToNode(template: PodTemplateSpec, nodeName: string): PodTemplateSpec {
  const pinned = structuredClone(template);
  const spec = (pinned.spec ?? {}) as DaemonPodSpec;
  const terms: NodeSelectorTermJson[] = [{ matchFields: [{ key: NODE_NAME_FIELD, operator: 'In', values: [nodeName] }] }];
  const affinity = spec.affinity ?? {};
  const nodeAffinity = affinity.nodeAffinity ?? {};
  spec.affinity = {
    ...affinity,
    nodeAffinity: {
      ...nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: { ...(nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution ?? {}), nodeSelectorTerms: terms },
    },
  };
  pinned.spec = spec;
  return pinned;
}

/**
 * util.GetTargetNodeName: the node a daemon pod belongs to — its spec.nodeName once bound, else
 * the node its metadata.name affinity pins it to. Throws (with Kubernetes' words) for a pod
 * that names neither.
 */
export function targetNodeName(pod: Pod): string {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const podName = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
  const required = daemonPodSpecOf(pod).affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) throw new Error(`no spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution for pod ${podName}`);
  const terms = required.nodeSelectorTerms ?? [];
  if (terms.length < 1) throw new Error(`no nodeSelectorTerms in requiredDuringSchedulingIgnoredDuringExecution of pod ${podName}`);
  for (const term of terms) {
    for (const field of term.matchFields ?? []) {
      if (field.key !== NODE_NAME_FIELD || field.operator !== 'In') continue;
      const values = field.values ?? [];
      if (values.length !== 1) throw new Error(`the matchFields value of '${NODE_NAME_FIELD}' is not unique for pod ${podName}`);
      return values[0]!;
    }
  }
  throw new Error(`no node name found for pod ${podName}`);
}

/**
 * util.IsPodUpdated: the pod was made from the current revision — its hash label matches, or
 * (for pods older than revisions) its pod-template-generation label matches the template
 * generation.
 */
export function isPodUpdated(pod: Pod, hash: string, templateGeneration: number | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const generationMatches = templateGeneration !== undefined && labels[POD_TEMPLATE_GENERATION_LABEL] === String(templateGeneration);
  const hashMatches = hash.length > 0 && labels[CONTROLLER_REVISION_HASH_LABEL] === hash;
  return hashMatches || generationMatches;
}

/**
 * podByCreationTimestampAndPhase: bound pods before unbound ones, then oldest first, then by
 * name — the first pod on a node is the one a DaemonSet keeps and reports.
 */
export function compareByCreationAndBinding(a: Pod, b: Pod): number {
  const [boundA, boundB] = [Boolean(a.spec?.nodeName), Boolean(b.spec?.nodeName)];
  if (boundA !== boundB) return boundA ? -1 : 1;
  const [createdA, createdB] = [timeOf(a.metadata.creationTimestamp), timeOf(b.metadata.creationTimestamp)];
  if (createdA !== createdB) return createdA - createdB;
  const [nameA, nameB] = [a.metadata.name ?? '', b.metadata.name ?? ''];
  return nameA < nameB ? -1 : nameA > nameB ? 1 : 0;
}
