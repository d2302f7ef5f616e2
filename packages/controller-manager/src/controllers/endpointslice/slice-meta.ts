// The metadata of the EndpointSlices a service owns: labels copied from the service plus the
// reserved ones (service name, managing controller, headless), the controller owner reference
// the garbage collector follows when the service is deleted, and the generateName prefix the
// apiserver completes with five random characters.
import { isServiceIpSet, sameLabels } from './util/pods.ts';
import { HEADLESS_SERVICE_LABEL, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, type EndpointSlice, type Service, type SlicePort } from './util/types.ts';
import type { AddressType } from './pod-to-endpoint.ts';

/** The managed-by value of slices this controller owns. */
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';

const RESERVED_LABELS = new Set([SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_SERVICE_LABEL]);

/**
 * setEndpointSliceLabels: the service's labels but the reserved ones, the headless label for
 * services without a cluster IP, then the service name and managed-by. `changed` compares with
 * the slice's current labels.
 */
export function sliceLabels(slice: Pick<EndpointSlice, 'metadata'>, service: Service): { labels: Record<string, string>; changed: boolean } {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.metadata.labels ?? {})) if (!RESERVED_LABELS.has(key)) labels[key] = value;
  if (!isServiceIpSet(service)) labels[HEADLESS_SERVICE_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = service.metadata.name ?? '';
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  return { labels, changed: !sameLabels(labels, slice.metadata.labels) };
}

/**
 * getEndpointSlicePrefix: "<service>-", unless that cannot start a valid name (a DNS
 * subdomain) — then "slice-".
 */
export function slicePrefix(serviceName: string): string {
  const prefix = `${serviceName}-`;
  return /^[a-z0-9]([-a-z0-9.]*)?$/.test(prefix) && prefix.length <= 253 ? prefix : 'slice-';
}

export function ownedBy(slice: EndpointSlice, service: Service): boolean {
  return (slice.metadata.ownerReferences ?? []).some((ref) => ref.uid === service.metadata.uid);
}

/** newEndpointSlice: an empty slice (to be named by the apiserver) for one port set and address type. */
export function newEndpointSlice(service: Service, ports: SlicePort[], addressType: AddressType): EndpointSlice {
  const slice: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: slicePrefix(service.metadata.name ?? ''),
      namespace: service.metadata.namespace ?? '',
      labels: {},
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Service', name: service.metadata.name ?? '', uid: service.metadata.uid ?? '', controller: true, blockOwnerDeletion: true },
      ],
    },
    addressType,
    endpoints: [],
    ports,
  };
  slice.metadata.labels = sliceLabels(slice, service).labels;
  return slice;
}
