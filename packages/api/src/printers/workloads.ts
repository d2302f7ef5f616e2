// Controllers that keep a number of pods running: Deployments, ReplicaSets, StatefulSets,
// DaemonSets, ReplicationControllers, and the ControllerRevisions that record their history.
import type { KubeObject } from '../object.ts';
import { ageColumn, column, containersColumn, imagesColumn, nameColumn, selectorColumn } from './columns.ts';
import { since } from './duration.ts';
import {
  containerCells,
  formatLabels,
  formatLabelSelector,
  labelSelectorString,
  type Container,
  type LabelSelectorObject,
} from './format.ts';
import type { ResourcePrinter } from './types.ts';

interface PodTemplateSpec {
  spec?: { containers?: Container[]; nodeSelector?: Record<string, string> };
}

interface ReplicatedWorkload extends KubeObject {
  spec?: { replicas?: number; selector?: LabelSelectorObject; template?: PodTemplateSpec };
  status?: { replicas?: number; readyReplicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

// spec.replicas defaults to 1; a stored object always carries it, objects built by hand may not.
const desiredReplicas = (workload: ReplicatedWorkload): number => workload.spec?.replicas ?? 1;

export const deploymentPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Ready pods out of desired pods.'),
    column('Up-to-date', 'string', 'Pods running the latest pod template.'),
    column('Available', 'string', 'Pods ready for at least minReadySeconds.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  row: (object, now) => {
    const deployment = object as ReplicatedWorkload;
    const status = deployment.status ?? {};
    const [names, images] = containerCells(deployment.spec?.template?.spec?.containers);
    return {
      cells: [
        object.metadata.name ?? '',
        `${status.readyReplicas ?? 0}/${desiredReplicas(deployment)}`,
        status.updatedReplicas ?? 0,
        status.availableReplicas ?? 0,
        since(object.metadata.creationTimestamp, now),
        names,
        images,
        // Deployments print the bare selector string: "" (not "<none>") when empty.
        labelSelectorString(deployment.spec?.selector) ?? '<invalid>',
      ],
    };
  },
};

export const replicaSetPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'Number of pods wanted.'),
    column('Current', 'integer', 'Number of pods that exist.'),
    column('Ready', 'integer', 'Number of pods that are ready.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  row: (object, now) => {
    const replicaSet = object as ReplicatedWorkload;
    const [names, images] = containerCells(replicaSet.spec?.template?.spec?.containers);
    return {
      cells: [
        object.metadata.name ?? '',
        desiredReplicas(replicaSet),
        replicaSet.status?.replicas ?? 0,
        replicaSet.status?.readyReplicas ?? 0,
        since(object.metadata.creationTimestamp, now),
        names,
        images,
        formatLabelSelector(replicaSet.spec?.selector),
      ],
    };
  },
};

interface ReplicationController extends KubeObject {
  spec?: { replicas?: number; selector?: Record<string, string>; template?: PodTemplateSpec };
  status?: { replicas?: number; readyReplicas?: number };
}

export const replicationControllerPrinter: ResourcePrinter = {
  columns: replicaSetPrinter.columns,
  row: (object, now) => {
    const controller = object as ReplicationController;
    const [names, images] = containerCells(controller.spec?.template?.spec?.containers);
    return {
      cells: [
        object.metadata.name ?? '',
        controller.spec?.replicas ?? 1,
        controller.status?.replicas ?? 0,
        controller.status?.readyReplicas ?? 0,
        since(object.metadata.creationTimestamp, now),
        names,
        images,
        // A ReplicationController's selector is a plain label map.
        formatLabels(controller.spec?.selector),
      ],
    };
  },
};

export const statefulSetPrinter: ResourcePrinter = {
  columns: [nameColumn, column('Ready', 'string', 'Ready pods out of desired pods.'), ageColumn, containersColumn, imagesColumn],
  row: (object, now) => {
    const statefulSet = object as ReplicatedWorkload;
    const [names, images] = containerCells(statefulSet.spec?.template?.spec?.containers);
    return {
      cells: [
        object.metadata.name ?? '',
        `${statefulSet.status?.readyReplicas ?? 0}/${desiredReplicas(statefulSet)}`,
        since(object.metadata.creationTimestamp, now),
        names,
        images,
      ],
    };
  },
};

interface DaemonSet extends KubeObject {
  spec?: { selector?: LabelSelectorObject; template?: PodTemplateSpec };
  status?: {
    desiredNumberScheduled?: number;
    currentNumberScheduled?: number;
    numberReady?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
  };
}

export const daemonSetPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'Nodes that should run the daemon pod.'),
    column('Current', 'integer', 'Nodes running at least one daemon pod.'),
    column('Ready', 'integer', 'Nodes whose daemon pod is ready.'),
    column('Up-to-date', 'integer', 'Nodes running the latest pod template.'),
    column('Available', 'integer', 'Nodes whose daemon pod is available.'),
    column('Node Selector', 'string', 'Labels a node needs to run the daemon pod.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  row: (object, now) => {
    const daemonSet = object as DaemonSet;
    const status = daemonSet.status ?? {};
    const template = daemonSet.spec?.template?.spec;
    const [names, images] = containerCells(template?.containers);
    return {
      cells: [
        object.metadata.name ?? '',
        status.desiredNumberScheduled ?? 0,
        status.currentNumberScheduled ?? 0,
        status.numberReady ?? 0,
        status.updatedNumberScheduled ?? 0,
        status.numberAvailable ?? 0,
        formatLabels(template?.nodeSelector),
        since(object.metadata.creationTimestamp, now),
        names,
        images,
        formatLabelSelector(daemonSet.spec?.selector),
      ],
    };
  },
};

interface ControllerRevision extends KubeObject {
  revision?: number;
}

export const controllerRevisionPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Controller', 'string', 'The object that owns this revision.'),
    column('Revision', 'string', 'Revision number of the recorded state.'),
    ageColumn,
  ],
  row: (object, now) => ({
    cells: [
      object.metadata.name ?? '',
      controllerName(object),
      (object as ControllerRevision).revision ?? 0,
      since(object.metadata.creationTimestamp, now),
    ],
  }),
};

/** "kind.group/name" of the controlling owner, lower-cased the way GroupKind prints ("daemonset.apps/fluentd"). */
function controllerName(object: KubeObject): string {
  const owner = object.metadata.ownerReferences?.find((ref) => ref.controller);
  if (!owner) return '<none>';
  const slash = owner.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : owner.apiVersion.slice(0, slash);
  if (!owner.kind && !group) return owner.name;
  const groupKind = group ? `${owner.kind}.${group}` : owner.kind;
  return `${groupKind.toLowerCase()}/${owner.name}`;
}
