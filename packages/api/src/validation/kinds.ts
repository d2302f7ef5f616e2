// Which validation each kind gets: the create and update checks of its registry strategy.
// Kinds not listed here get only the checks every object gets (see validate.ts).
import type { JsonObject } from '../object.ts';
import type { GroupVersionKind } from '../schema/types.ts';
import type { FieldError } from './field-error.ts';
import * as apps from './apps.ts';
import * as autoscaling from './autoscaling.ts';
import * as batch from './batch.ts';
import * as crd from './crd.ts';
import * as endpointSlice from './endpoint-slice.ts';
import * as lease from './lease.ts';
import * as networking from './networking.ts';
import * as policy from './policy.ts';
import * as priorityClass from './priority-class.ts';
import * as rbac from './rbac.ts';
import * as storageClass from './storage-class.ts';
import * as cluster from './core/cluster.ts';
import * as config from './core/config.ts';
import * as misc from './core/misc.ts';
import * as pod from './core/pod.ts';
import * as quota from './core/quota.ts';
import * as service from './core/service.ts';
import * as storage from './core/storage.ts';

export interface KindValidator {
  create(obj: JsonObject, gvk: GroupVersionKind): FieldError[];
  update(obj: JsonObject, old: JsonObject, gvk: GroupVersionKind): FieldError[];
}

const KINDS: Record<string, KindValidator> = {
  '/Pod': { create: pod.validatePodCreate, update: pod.validatePodUpdate },
  '/Service': { create: service.validateServiceCreate, update: service.validateServiceUpdate },
  '/ConfigMap': { create: config.validateConfigMap, update: config.validateConfigMapUpdate },
  '/Secret': { create: config.validateSecret, update: config.validateSecretUpdate },
  '/Namespace': { create: cluster.validateNamespace, update: cluster.validateNamespaceUpdate },
  '/Node': { create: cluster.validateNode, update: cluster.validateNodeUpdate },
  '/PersistentVolume': { create: storage.validatePersistentVolume, update: storage.validatePersistentVolumeUpdate },
  '/PersistentVolumeClaim': { create: storage.validatePersistentVolumeClaim, update: storage.validatePersistentVolumeClaimUpdate },
  '/ResourceQuota': { create: quota.validateResourceQuota, update: quota.validateResourceQuotaUpdate },
  // The LimitRange strategy re-runs the create checks on update.
  '/LimitRange': { create: quota.validateLimitRange, update: quota.validateLimitRange },
  '/ServiceAccount': { create: misc.validateServiceAccount, update: misc.validateServiceAccountUpdate },
  '/Endpoints': { create: misc.validateEndpoints, update: misc.validateEndpointsUpdate },
  '/Event': { create: misc.validateCoreEvent, update: misc.validateCoreEvent },
  '/PodTemplate': { create: misc.validatePodTemplate, update: misc.validatePodTemplateUpdate },
  '/ReplicationController': { create: misc.validateReplicationController, update: misc.validateReplicationControllerUpdate },
  'apps/Deployment': { create: apps.validateDeployment, update: apps.validateDeploymentUpdate },
  'apps/ReplicaSet': { create: apps.validateReplicaSet, update: apps.validateReplicaSetUpdate },
  'apps/StatefulSet': { create: apps.validateStatefulSet, update: apps.validateStatefulSetUpdate },
  'apps/DaemonSet': { create: apps.validateDaemonSet, update: apps.validateDaemonSetUpdate },
  'apps/ControllerRevision': { create: apps.validateControllerRevision, update: apps.validateControllerRevisionUpdate },
  'batch/Job': { create: batch.validateJob, update: batch.validateJobUpdate },
  'batch/CronJob': { create: batch.validateCronJob, update: batch.validateCronJobUpdate },
  'networking.k8s.io/Ingress': { create: networking.validateIngress, update: networking.validateIngressUpdate },
  'networking.k8s.io/IngressClass': { create: networking.validateIngressClass, update: networking.validateIngressClassUpdate },
  'networking.k8s.io/NetworkPolicy': { create: networking.validateNetworkPolicy, update: networking.validateNetworkPolicyUpdate },
  'autoscaling/HorizontalPodAutoscaler': {
    create: (obj, gvk) => autoscaling.validateHorizontalPodAutoscaler(obj, gvk.version),
    update: (obj, old, gvk) => autoscaling.validateHorizontalPodAutoscalerUpdate(obj, old, gvk.version),
  },
  'policy/PodDisruptionBudget': { create: policy.validatePodDisruptionBudget, update: policy.validatePodDisruptionBudgetUpdate },
  'rbac.authorization.k8s.io/Role': { create: rbac.validateRole, update: rbac.validateRoleUpdate },
  'rbac.authorization.k8s.io/ClusterRole': { create: rbac.validateClusterRole, update: rbac.validateClusterRoleUpdate },
  'rbac.authorization.k8s.io/RoleBinding': { create: rbac.validateRoleBinding, update: rbac.validateRoleBindingUpdate },
  'rbac.authorization.k8s.io/ClusterRoleBinding': { create: rbac.validateClusterRoleBinding, update: rbac.validateClusterRoleBindingUpdate },
  'storage.k8s.io/StorageClass': { create: storageClass.validateStorageClass, update: storageClass.validateStorageClassUpdate },
  'scheduling.k8s.io/PriorityClass': { create: priorityClass.validatePriorityClass, update: priorityClass.validatePriorityClassUpdate },
  'coordination.k8s.io/Lease': { create: lease.validateLease, update: lease.validateLeaseUpdate },
  'discovery.k8s.io/EndpointSlice': { create: endpointSlice.validateEndpointSlice, update: endpointSlice.validateEndpointSliceUpdate },
  'events.k8s.io/Event': { create: misc.validateEventsV1Event, update: misc.validateEventsV1EventUpdate },
  'apiextensions.k8s.io/CustomResourceDefinition': {
    create: crd.validateCustomResourceDefinition,
    update: crd.validateCustomResourceDefinitionUpdate,
  },
};

export function kindValidator(gvk: GroupVersionKind): KindValidator | undefined {
  return KINDS[`${gvk.group}/${gvk.kind}`];
}
