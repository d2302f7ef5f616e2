// Defaulting: what the apiserver fills in on every object it decodes (create, update, patch
// results, dry runs), before validation — Kubernetes 1.32's SetObjectDefaults_<Kind> for each
// registered kind, followed by the zero values Go's JSON encoder always writes.
import { schema } from '../schema/registry.ts';
import type { GroupVersionKind } from '../schema/types.ts';
import type { KubeObject } from '../object.ts';
import { admissionregistrationV1Defaulters } from './admissionregistration.ts';
import { apiextensionsV1Defaulters } from './apiextensions.ts';
import { appsV1Defaulters } from './apps.ts';
import { autoscalingV1Defaulters, autoscalingV2Defaulters } from './autoscaling.ts';
import { batchV1Defaulters } from './batch.ts';
import { coreV1Defaulters } from './core.ts';
import { discoveryV1Defaulters } from './discovery.ts';
import { fillGoZeroValues } from './go-zero-values.ts';
import type { KindDefaulters } from './kinds.ts';
import { networkingV1Defaulters } from './networking.ts';
import { rbacV1Defaulters } from './rbac.ts';
import { schedulingV1Defaulters } from './scheduling.ts';
import { storageV1Defaulters } from './storage.ts';

/** Group versions whose kinds have defaults; the others (policy/v1, coordination, events, …) have none. */
const DEFAULTERS_BY_GROUP_VERSION: Readonly<Record<string, KindDefaulters>> = {
  v1: coreV1Defaulters,
  'apps/v1': appsV1Defaulters,
  'batch/v1': batchV1Defaulters,
  'autoscaling/v1': autoscalingV1Defaulters,
  'autoscaling/v2': autoscalingV2Defaulters,
  'networking.k8s.io/v1': networkingV1Defaulters,
  'rbac.authorization.k8s.io/v1': rbacV1Defaulters,
  'storage.k8s.io/v1': storageV1Defaulters,
  'scheduling.k8s.io/v1': schedulingV1Defaulters,
  'discovery.k8s.io/v1': discoveryV1Defaulters,
  'admissionregistration.k8s.io/v1': admissionregistrationV1Defaulters,
  'apiextensions.k8s.io/v1': apiextensionsV1Defaulters,
};

/** Fills in Kubernetes 1.32's defaults for the object of this group/version/kind, in place (the caller owns obj). */
export function applyDefaults(gvk: GroupVersionKind, obj: KubeObject): void {
  const groupVersion = gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
  DEFAULTERS_BY_GROUP_VERSION[groupVersion]?.[gvk.kind]?.(obj);
  const message = schema.kindSchema(gvk);
  if (message) fillGoZeroValues(message, obj);
}
