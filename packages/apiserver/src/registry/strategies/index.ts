// The strategy of each resource: the generic rules plus the few kinds with rules of their own.
import { deleteReturnsObject, type ResourceInfo } from '@k8ts/api';
import type { ResourceStrategy } from '../strategy.ts';
import { daemonSetStrategy } from './daemonsets.ts';
import { jobStrategy } from './jobs.ts';
import { namespaceStrategy } from './namespaces.ts';
import { podStrategy } from './pods.ts';
import { secretStrategy } from './secrets.ts';
import { serviceStrategy, type ServiceAllocators } from './services.ts';

/** Kinds whose strategy keeps metadata.generation (bumped on every spec change). */
const GENERATION_TRACKED = new Set([
  'apps/deployments',
  'apps/replicasets',
  'apps/statefulsets',
  'apps/daemonsets',
  '/replicationcontrollers',
  'batch/jobs',
  'batch/cronjobs',
  'networking.k8s.io/ingresses',
  'networking.k8s.io/networkpolicies',
  'policy/poddisruptionbudgets',
  'apiextensions.k8s.io/customresourcedefinitions',
  'admissionregistration.k8s.io/validatingadmissionpolicies',
  'admissionregistration.k8s.io/validatingadmissionpolicybindings',
]);

/** What a status write may change in metadata (see ResourceStrategy.statusUpdateKeeps). */
const STATUS_UPDATE_KEEPS: Record<string, ResourceStrategy['statusUpdateKeeps']> = {
  'apps/deployments': 'metadata-but-labels',
  'apps/replicasets': 'metadata',
  'apps/statefulsets': 'metadata',
  'apps/daemonsets': 'metadata',
};

/** PUT of a missing object creates it for these (as their Kubernetes strategies allow). */
const CREATE_ON_UPDATE = new Set([
  '/endpoints',
  '/events',
  'events.k8s.io/events',
  'coordination.k8s.io/leases',
  'rbac.authorization.k8s.io/roles',
  'rbac.authorization.k8s.io/rolebindings',
  'rbac.authorization.k8s.io/clusterroles',
  'rbac.authorization.k8s.io/clusterrolebindings',
  'discovery.k8s.io/endpointslices',
]);

/** What status a freshly created object of a kind with a status subresource starts with. */
function resetStatus(resource: ResourceInfo): ResourceStrategy['prepareForCreate'] {
  // Nodes report their own status on registration; everything else starts empty.
  if (resource.resource === 'nodes') return undefined;
  return (object) => {
    object.status = {};
  };
}

export function strategyFor(resource: ResourceInfo, options: { services: ServiceAllocators; eventTtlSeconds: number }): ResourceStrategy {
  const key = `${resource.group}/${resource.resource}`;
  const base: ResourceStrategy = {
    tracksGeneration: GENERATION_TRACKED.has(key),
    allowCreateOnUpdate: CREATE_ON_UPDATE.has(key),
    ...(STATUS_UPDATE_KEEPS[key] ? { statusUpdateKeeps: STATUS_UPDATE_KEEPS[key] } : {}),
    returnsDeletedObject: deleteReturnsObject(resource.group, resource.resource),
    ...(resource.subresources.some((s) => s.name === 'status') ? { prepareForCreate: resetStatus(resource) } : {}),
  };
  switch (key) {
    case '/pods':
      return { ...base, ...podStrategy };
    case '/namespaces':
      return { ...base, ...namespaceStrategy };
    case '/services':
      return { ...base, ...serviceStrategy(options.services) };
    case '/secrets':
      return { ...base, ...secretStrategy };
    case 'batch/jobs':
      return { ...base, ...jobStrategy };
    case 'apps/daemonsets':
      return { ...base, ...daemonSetStrategy };
    case '/events':
    case 'events.k8s.io/events':
      return { ...base, ttlSeconds: options.eventTtlSeconds };
    case '/persistentvolumes':
      return { ...base, prepareForCreate: (pv) => void (pv.status = { phase: 'Pending' }) };
    case '/persistentvolumeclaims':
      return { ...base, prepareForCreate: (pvc) => void (pvc.status = { phase: 'Pending' }) };
    default:
      return base;
  }
}
