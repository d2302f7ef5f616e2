// Which services a pod change concerns (GetPodServiceMemberships and
// GetServicesToUpdateOnPodChange): the services in the pod's namespace whose selector matches its
// labels — before and after the change when the labels moved.
import type { DeletedFinalStateUnknown, Lister, RateLimitingQueue, SharedIndexInformer } from '@k8ts/client';
import { podKey } from '../../../controller/controller-utils.ts';
import { objectOf } from '../../tombstone.ts';
import { podEndpointsChanged } from './pods.ts';
import type { Pod, Service } from './types.ts';

/**
 * Whether the service selects pods at all. A service without a selector has its endpoints
 * managed by someone else. An empty selector counts as none: Kubernetes stores services as
 * protobuf, where an empty map reads back as no map.
 */
export function hasSelector(service: Service): service is Service & { spec: { selector: Record<string, string> } } {
  const selector = service.spec?.selector;
  return selector !== undefined && selector !== null && Object.keys(selector).length > 0;
}

export function selectsPod(service: Service, pod: Pod): boolean {
  if (!hasSelector(service)) return false;
  const labels = pod.metadata.labels ?? {};
  return Object.entries(service.spec.selector).every(([key, value]) => Object.hasOwn(labels, key) && labels[key] === value);
}

/** The "namespace/name" keys of the services selecting `pod`. */
export function podServiceMemberships(services: Lister<Service>, pod: Pod): Set<string> {
  const namespace = pod.metadata.namespace ?? '';
  const keys = new Set<string>();
  for (const service of services.byNamespace(namespace).list()) {
    if (selectsPod(service, pod)) keys.add(`${namespace}/${service.metadata.name}`);
  }
  return keys;
}

/**
 * The services to resync after a pod update: none when nothing endpoint-related changed; when
 * only the labels changed, those the pod joined or left; otherwise all it belonged to before
 * or after.
 */
export function servicesToUpdateOnPodChange(services: Lister<Service>, oldPod: Pod, newPod: Pod): Set<string> {
  if (oldPod.metadata.resourceVersion !== undefined && oldPod.metadata.resourceVersion === newPod.metadata.resourceVersion) return new Set();
  const { podChanged, labelsChanged } = podEndpointsChanged(oldPod, newPod);
  if (!podChanged && !labelsChanged) return new Set();
  const current = podServiceMemberships(services, newPod);
  if (!labelsChanged) return current;
  const previous = podServiceMemberships(services, oldPod);
  const result = new Set<string>();
  for (const key of [...previous, ...current]) {
    // A label or hostname change alone matters to the services whose membership changed.
    if (podChanged || previous.has(key) !== current.has(key)) result.add(key);
  }
  return result;
}

/**
 * The event handlers both endpoint controllers register: a service change queues that service;
 * a pod change queues every service that selects the pod, before and after the change.
 */
export function queueServicesOnChange(
  services: SharedIndexInformer<Service>,
  pods: SharedIndexInformer<Pod>,
  queue: RateLimitingQueue<string>,
): void {
  const serviceLister = services.lister();
  const queueService = (obj: Service | DeletedFinalStateUnknown<Service>) => queue.add(podKey(objectOf(obj)));
  services.addEventHandler({ onAdd: queueService, onUpdate: (_old, cur) => queueService(cur), onDelete: queueService });
  const queuePodServices = (pod: Pod) => {
    for (const key of podServiceMemberships(serviceLister, pod)) queue.add(key);
  };
  pods.addEventHandler({
    onAdd: queuePodServices,
    onUpdate: (old, cur) => {
      for (const key of servicesToUpdateOnPodChange(serviceLister, old, cur)) queue.add(key);
    },
    onDelete: (obj) => queuePodServices(objectOf(obj)),
  });
}

