// Server-side printing: the columns and cells `kubectl get` shows, computed on the server as
// Kubernetes 1.32 does (pkg/printers/internalversion). Each resource has one printer, found by
// its group and plural name; everything else gets the default Name/Created At table.
import type { KubeObject } from '../object.ts';
import { horizontalPodAutoscalerPrinter } from './autoscaling.ts';
import { cronJobPrinter, jobPrinter } from './batch.ts';
import {
  certificateSigningRequestPrinter,
  leasePrinter,
  priorityClassPrinter,
  runtimeClassPrinter,
  webhookConfigurationPrinter,
} from './cluster.ts';
import {
  componentStatusPrinter,
  configMapPrinter,
  namespacePrinter,
  nodePrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
} from './core.ts';
import { defaultPrinter } from './default.ts';
import { eventPrinter, eventsV1EventPrinter } from './events.ts';
import {
  endpointSlicePrinter,
  endpointsPrinter,
  ingressClassPrinter,
  ingressPrinter,
  networkPolicyPrinter,
  servicePrinter,
} from './network.ts';
import { podPrinter, podTemplatePrinter } from './pod.ts';
import { podDisruptionBudgetPrinter } from './policy.ts';
import { clusterRoleBindingPrinter, roleBindingPrinter } from './rbac.ts';
import {
  csiDriverPrinter,
  csiNodePrinter,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  storageClassPrinter,
  volumeAttachmentPrinter,
} from './storage.ts';
import type { ResourcePrinter, TableColumn, TableRowCells } from './types.ts';
import {
  controllerRevisionPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  statefulSetPrinter,
} from './workloads.ts';

export type { TableColumn, TableRowCells, TableRowCondition } from './types.ts';
export { humanDuration } from './duration.ts';

/** Printers by group-qualified resource, written as Kubernetes writes a GroupResource ("deployments.apps"). */
const printers = new Map<string, ResourcePrinter>([
  ['pods', podPrinter],
  ['podtemplates', podTemplatePrinter],
  ['replicationcontrollers', replicationControllerPrinter],
  ['services', servicePrinter],
  ['endpoints', endpointsPrinter],
  ['nodes', nodePrinter],
  ['namespaces', namespacePrinter],
  ['configmaps', configMapPrinter],
  ['secrets', secretPrinter],
  ['serviceaccounts', serviceAccountPrinter],
  ['events', eventPrinter],
  ['persistentvolumes', persistentVolumePrinter],
  ['persistentvolumeclaims', persistentVolumeClaimPrinter],
  ['resourcequotas', resourceQuotaPrinter],
  ['componentstatuses', componentStatusPrinter],
  ['deployments.apps', deploymentPrinter],
  ['replicasets.apps', replicaSetPrinter],
  ['statefulsets.apps', statefulSetPrinter],
  ['daemonsets.apps', daemonSetPrinter],
  ['controllerrevisions.apps', controllerRevisionPrinter],
  ['jobs.batch', jobPrinter],
  ['cronjobs.batch', cronJobPrinter],
  ['horizontalpodautoscalers.autoscaling', horizontalPodAutoscalerPrinter],
  ['poddisruptionbudgets.policy', podDisruptionBudgetPrinter],
  ['ingresses.networking.k8s.io', ingressPrinter],
  ['ingressclasses.networking.k8s.io', ingressClassPrinter],
  ['networkpolicies.networking.k8s.io', networkPolicyPrinter],
  ['endpointslices.discovery.k8s.io', endpointSlicePrinter],
  ['events.events.k8s.io', eventsV1EventPrinter],
  ['rolebindings.rbac.authorization.k8s.io', roleBindingPrinter],
  ['clusterrolebindings.rbac.authorization.k8s.io', clusterRoleBindingPrinter],
  ['leases.coordination.k8s.io', leasePrinter],
  ['priorityclasses.scheduling.k8s.io', priorityClassPrinter],
  ['runtimeclasses.node.k8s.io', runtimeClassPrinter],
  ['certificatesigningrequests.certificates.k8s.io', certificateSigningRequestPrinter],
  ['mutatingwebhookconfigurations.admissionregistration.k8s.io', webhookConfigurationPrinter],
  ['validatingwebhookconfigurations.admissionregistration.k8s.io', webhookConfigurationPrinter],
  ['storageclasses.storage.k8s.io', storageClassPrinter],
  ['csidrivers.storage.k8s.io', csiDriverPrinter],
  ['csinodes.storage.k8s.io', csiNodePrinter],
  ['volumeattachments.storage.k8s.io', volumeAttachmentPrinter],
]);

/** Columns and one row per object for a resource, as Kubernetes 1.32 prints it. `now` drives ages. */
export function printTable(
  group: string,
  resource: string,
  objects: KubeObject[],
  now: Date,
): { columnDefinitions: TableColumn[]; rows: TableRowCells[] } {
  const printer = printers.get(group ? `${resource}.${group}` : resource) ?? defaultPrinter;
  return {
    // Copies, so a caller that edits its table cannot change the next one.
    columnDefinitions: printer.columns.map((c) => ({ ...c })),
    rows: objects.map((object) => printer.row(object, now)),
  };
}
