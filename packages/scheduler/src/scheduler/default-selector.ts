// helper.DefaultSelector: the combined selector of the Services, ReplicationControllers,
// ReplicaSets and StatefulSets in a pod's namespace that select it. PodTopologySpread's system
// default constraints spread pods that share it (the replicas of a Deployment, a Service's
// backends) over hostnames and zones.
import type { KubeObject } from '@k8ts/api';
import { labelSelectorFromObject, matchesLabels, type LabelSelector, type LabelSelectorObject } from '@k8ts/api/selectors/index.ts';

export interface SelectingObjects {
  /** the objects of these kinds in `namespace` */
  services(namespace: string): KubeObject[];
  replicationControllers(namespace: string): KubeObject[];
  replicaSets(namespace: string): KubeObject[];
  statefulSets(namespace: string): KubeObject[];
}

type Spec = { selector?: unknown };

/** Services and RCs select with a plain label map; an empty one selects nothing. */
function mapSelector(obj: KubeObject): LabelSelector | null {
  const selector = (obj.spec as Spec | undefined)?.selector;
  if (!selector || typeof selector !== 'object' || Object.keys(selector).length === 0) return null;
  return labelSelectorFromObject({ matchLabels: selector as Record<string, string> });
}

/** ReplicaSets and StatefulSets use a LabelSelector; an invalid one is skipped. */
function labelSelector(obj: KubeObject): LabelSelector | null {
  try {
    const selector = labelSelectorFromObject((obj.spec as Spec | undefined)?.selector as LabelSelectorObject | undefined);
    return selector === null || selector.length === 0 ? null : selector;
  } catch {
    return null;
  }
}

/** The requirements of every selecting object, together; null when none selects the pod. */
export function defaultSelector(pod: KubeObject, objects: SelectingObjects): LabelSelector | null {
  const namespace = pod.metadata.namespace ?? '';
  const labels = pod.metadata.labels ?? {};
  const requirements: LabelSelector = [];
  const take = (selector: LabelSelector | null): void => {
    if (selector !== null && matchesLabels(selector, labels)) requirements.push(...selector);
  };
  for (const svc of objects.services(namespace)) take(mapSelector(svc));
  for (const rc of objects.replicationControllers(namespace)) take(mapSelector(rc));
  for (const rs of objects.replicaSets(namespace)) take(labelSelector(rs));
  for (const ss of objects.statefulSets(namespace)) take(labelSelector(ss));
  return requirements.length === 0 ? null : requirements;
}
