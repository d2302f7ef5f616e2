// How workload controllers create, delete and patch their pods (kube-controller-manager's
// RealPodControl), and the events `kubectl describe` shows on the owner for each: a pod is
// stamped from the owner's template with generateName "<owner>-", the template's labels,
// annotations and finalizers, and a controller owner reference back to the owner.
import type { JsonObject, KubeObject, OwnerReference } from '@k8ts/api';
import { errorMessage, isNotFound, type EventRecorder, type Logger, type ResourceClient } from '@k8ts/client';
import { hasStatusCause, NAMESPACE_TERMINATING_CAUSE } from '../controllers/namespaces.ts';
import type { Pod, PodTemplateSpec } from './workload-types.ts';

/** The event reasons Kubernetes records on a pod's owner. */
export const FAILED_CREATE_POD_REASON = 'FailedCreate';
export const SUCCESSFUL_CREATE_POD_REASON = 'SuccessfulCreate';
export const FAILED_DELETE_POD_REASON = 'FailedDelete';
export const SUCCESSFUL_DELETE_POD_REASON = 'SuccessfulDelete';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** metav1.NewControllerRef: the owner reference a controller puts on what it creates. */
export function newControllerRef(owner: KubeObject, gvk: GroupVersionKind): OwnerReference {
  return {
    apiVersion: gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`,
    kind: gvk.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** A DNS-subdomain name may be at most this long (the generated suffix is added after it). */
const MAX_NAME_LENGTH = 253;

/** The pod that `template` describes, owned by `owner` (GetPodFromTemplate). */
export function podFromTemplate(template: PodTemplateSpec, owner: KubeObject, controllerRef?: OwnerReference): Pod {
  const ownerName = owner.metadata.name ?? '';
  // "<owner>-" unless that would be too long a name, as getPodsPrefix does.
  const prefix = ownerName.length + 1 <= MAX_NAME_LENGTH ? `${ownerName}-` : ownerName;
  const meta = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: prefix,
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ...(controllerRef ? { ownerReferences: [controllerRef] } : {}),
    },
    spec: structuredClone(template.spec ?? {}),
  };
}

export interface PodControlDeps {
  pods: ResourceClient<Pod>;
  /** records the events on the owner (its source component is the controller's) */
  recorder: EventRecorder;
  logger: Logger;
}

export class PodControl {
  constructor(private readonly deps: PodControlDeps) {}

  /** Creates one pod from the template in `namespace`; throws the API's error. */
  async createPods(namespace: string, template: PodTemplateSpec, owner: KubeObject, controllerRef: OwnerReference): Promise<void> {
    await this.create(namespace, podFromTemplate(template, owner, controllerRef), owner);
  }

  /** As createPods, but named `<generateName><suffix>` (Jobs and DaemonSets choose their own prefix). */
  async createPodsWithGenerateName(
    namespace: string,
    template: PodTemplateSpec,
    owner: KubeObject,
    controllerRef: OwnerReference,
    generateName: string,
  ): Promise<void> {
    const pod = podFromTemplate(template, owner, controllerRef);
    if (generateName) pod.metadata.generateName = generateName;
    await this.create(namespace, pod, owner);
  }

  /**
   * Deletes a pod. A pod already gone rethrows NotFound without an event (callers count it as
   * deleted); other failures are recorded as FailedDelete and thrown as "unable to delete pods".
   */
  async deletePod(namespace: string, name: string, owner: KubeObject): Promise<void> {
    const { pods, recorder, logger } = this.deps;
    logger.info(`Deleting pod ${namespace}/${name} of ${owner.kind} ${namespace}/${owner.metadata.name}`);
    try {
      await pods.namespace(namespace).delete(name);
    } catch (err) {
      if (isNotFound(err)) throw err;
      recorder.event(owner, 'Warning', FAILED_DELETE_POD_REASON, `Error deleting: ${errorMessage(err)}`);
      throw new Error(`unable to delete pods: ${errorMessage(err)}`, { cause: err });
    }
    recorder.event(owner, 'Normal', SUCCESSFUL_DELETE_POD_REASON, `Deleted pod: ${name}`);
  }

  /** A strategic merge patch of one pod (adoption and release of owner references). */
  async patchPod(namespace: string, name: string, patch: JsonObject): Promise<void> {
    await this.deps.pods.namespace(namespace).patch(name, 'strategic', patch);
  }

  private async create(namespace: string, pod: Pod, owner: KubeObject): Promise<void> {
    const { pods, recorder } = this.deps;
    if (Object.keys(pod.metadata.labels ?? {}).length === 0) throw new Error('unable to create pods, no labels');
    let created: Pod;
    try {
      created = await pods.namespace(namespace).create(pod);
    } catch (err) {
      // A namespace being deleted refuses new pods; that is expected, not worth an event.
      if (!hasStatusCause(err, NAMESPACE_TERMINATING_CAUSE)) {
        recorder.event(owner, 'Warning', FAILED_CREATE_POD_REASON, `Error creating: ${errorMessage(err)}`);
      }
      throw err;
    }
    recorder.event(owner, 'Normal', SUCCESSFUL_CREATE_POD_REASON, `Created pod: ${created.metadata.name}`);
  }
}
