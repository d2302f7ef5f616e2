// core/v1 defaults (k8s.io/kubernetes pkg/apis/core/v1 defaults.go and zz_generated.defaults.go).
// Pods and volumes live in pod.ts and volumes.ts; this file holds the other core kinds.
import type { JsonObject } from '../object.ts';
import {
  child,
  children,
  defaultPointer,
  defaultString,
  descend,
  ensureChild,
  isEmpty,
  isNil,
  type Fields,
} from './fields.ts';
import type { KindDefaulters } from './kinds.ts';
import { defaultPod, defaultPodTemplate } from './pod.ts';
import { defaultPersistentVolume, defaultPersistentVolumeClaim } from './volumes.ts';

/** How long ClientIP session affinity sticks when the Service does not say: three hours. */
const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

export const coreV1Defaulters: KindDefaulters = {
  Pod: defaultPod,
  PodTemplate: (obj) => defaultPodTemplate(ensureChild(obj, 'template')),
  ReplicationController: defaultReplicationController,
  Service: defaultService,
  Endpoints: defaultEndpoints,
  Namespace: defaultNamespace,
  Secret: (obj) => defaultString(obj, 'type', 'Opaque'),
  Node: defaultNode,
  PersistentVolume: defaultPersistentVolume,
  PersistentVolumeClaim: defaultPersistentVolumeClaim,
  LimitRange: defaultLimitRange,
  // ConfigMap's default (an empty data map) and ResourceQuota's (rounding quantities to
  // milli-units) change nothing a client can see in JSON; ServiceAccount and Event have none.
};

function defaultReplicationController(rc: Fields): void {
  const spec = ensureChild(rc, 'spec');
  const template = child(spec, 'template');
  const templateLabels = descend(spec, 'template', 'metadata', 'labels');
  // An RC written with only a template selects, and is labelled by, the template's labels.
  if (templateLabels && !isEmpty(templateLabels)) {
    if (isEmpty(spec.selector)) spec.selector = structuredClone(templateLabels);
    const metadata = ensureChild(rc, 'metadata');
    if (isEmpty(metadata.labels)) metadata.labels = structuredClone(templateLabels);
  }
  defaultPointer(spec, 'replicas', 1);
  if (template) defaultPodTemplate(template);
}

function defaultService(service: Fields): void {
  const spec = ensureChild(service, 'spec');
  defaultString(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && isNil(descend(spec, 'sessionAffinityConfig', 'clientIP')?.timeoutSeconds)) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  }
  defaultString(spec, 'type', 'ClusterIP');
  for (const port of children(spec, 'ports')) {
    defaultString(port, 'protocol', 'TCP');
    // targetPort is an IntOrString: both 0 and "" mean "not given", and then it is the port itself.
    if (isNil(port.targetPort) || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port ?? 0;
  }
  const type = spec.type;
  const externallyAccessible =
    type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && !isEmpty(spec.externalIPs));
  if (externallyAccessible) defaultString(spec, 'externalTrafficPolicy', 'Cluster');
  if (type === 'ClusterIP' || type === 'NodePort' || type === 'LoadBalancer') {
    defaultPointer(spec, 'internalTrafficPolicy', 'Cluster');
  }
  if (type === 'LoadBalancer') {
    defaultPointer(spec, 'allocateLoadBalancerNodePorts', true);
    // A load balancer that reports an IP is a virtual IP unless it says it is a proxy.
    const loadBalancer = descend(service, 'status', 'loadBalancer');
    for (const ingress of loadBalancer ? children(loadBalancer, 'ingress') : []) {
      if (typeof ingress.ip === 'string' && ingress.ip !== '') defaultPointer(ingress, 'ipMode', 'VIP');
    }
  }
}

function defaultEndpoints(endpoints: Fields): void {
  for (const subset of children(endpoints, 'subsets')) {
    for (const port of children(subset, 'ports')) defaultString(port, 'protocol', 'TCP');
  }
}

function defaultNamespace(namespace: Fields): void {
  const metadata = ensureChild(namespace, 'metadata');
  // Every named namespace carries its own name as a label, so selectors can pick namespaces by name.
  if (typeof metadata.name === 'string' && metadata.name !== '') {
    ensureChild(metadata, 'labels')['kubernetes.io/metadata.name'] = metadata.name;
  }
  defaultString(ensureChild(namespace, 'status'), 'phase', 'Active');
}

function defaultNode(node: Fields): void {
  const status = ensureChild(node, 'status');
  // A node that reports only capacity can allocate all of it.
  const capacity = child(status, 'capacity');
  if (isNil(status.allocatable) && capacity && !isEmpty(capacity)) status.allocatable = structuredClone(capacity);
}

function defaultLimitRange(limitRange: Fields): void {
  const spec = child(limitRange, 'spec');
  for (const item of spec ? children(spec, 'limits') : []) {
    if (item.type === 'Container') defaultContainerLimitRange(item);
  }
}

/**
 * A Container limit range fills its own gaps: the default limit falls back to the max, the
 * default request to the default limit, and then to the min.
 */
function defaultContainerLimitRange(item: JsonObject): void {
  const defaults = { ...child(item, 'default') };
  const defaultRequests = { ...child(item, 'defaultRequest') };
  fillMissing(defaults, child(item, 'max'));
  fillMissing(defaultRequests, defaults);
  fillMissing(defaultRequests, child(item, 'min'));
  // Go writes an empty map as nothing at all, so only a non-empty result appears.
  if (Object.keys(defaults).length > 0) item.default = defaults;
  if (Object.keys(defaultRequests).length > 0) item.defaultRequest = defaultRequests;
}

function fillMissing(target: JsonObject, source: JsonObject | undefined): void {
  for (const [name, quantity] of Object.entries(source ?? {})) {
    if (!(name in target)) target[name] = quantity;
  }
}
