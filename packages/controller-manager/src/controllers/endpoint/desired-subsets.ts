// What the Endpoints object of a service should hold (the heart of the endpoints controller's
// syncService, as a pure function): one address per selected pod that has an IP of the
// service's family and is not finished or terminating, ready or not ready by the pod's Ready
// condition (or always ready with publishNotReadyAddresses), on every service port the pod has,
// repacked into the canonical subsets; and, past 1000 addresses, the truncation Kubernetes
// applies to the Endpoints API (EndpointSlices carry the full set).
import { findPort, isIpv6, isPodReady, podIps, shouldPodBeInEndpoints, shouldSetHostname } from '../endpointslice/util/pods.ts';
import type { EndpointAddress, EndpointPort, EndpointSubset, Pod, Service } from '../endpointslice/util/types.ts';
import { repackSubsets } from './repack-subsets.ts';

/** maxCapacity: the most addresses one Endpoints object carries. */
export const MAX_ENDPOINTS_CAPACITY = 1000;
/** v1.EndpointsOverCapacity, set to "truncated" when addresses were left out. */
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

/**
 * podToEndpointAddressForService: the pod's address for the service — its IP of the service's
 * (primary) IP family, with the node and a reference to the pod; undefined when it has none.
 */
export function endpointAddressFor(service: Service, pod: Pod): EndpointAddress | undefined {
  let wantIpv6: boolean;
  const families = service.spec?.ipFamilies ?? [];
  const clusterIp = service.spec?.clusterIP ?? '';
  if (families.length > 0) wantIpv6 = families[0] === 'IPv6';
  // Families not defaulted yet: a headful service's cluster IP tells, else the pod's own IP.
  else if (clusterIp !== '' && clusterIp !== 'None') wantIpv6 = isIpv6(clusterIp);
  else wantIpv6 = isIpv6(pod.status?.podIP ?? '');
  const ip = podIps(pod).find((candidate) => isIpv6(candidate) === wantIpv6);
  if (ip === undefined) return undefined;
  const nodeName = pod.spec?.nodeName ?? '';
  return {
    ip,
    ...(nodeName !== '' ? { nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
  };
}

export function desiredSubsets(service: Service, pods: Pod[]): EndpointSubset[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const servicePorts = service.spec?.ports ?? [];
  const unpacked: EndpointSubset[] = [];
  const add = (pod: Pod, address: EndpointAddress, port: EndpointPort | undefined): void => {
    const ports = port ? [port] : [];
    if (publishNotReady || isPodReady(pod)) {
      unpacked.push({ addresses: [address], ports });
    } else {
      unpacked.push({ notReadyAddresses: [address], ports });
    }
  };
  for (const pod of pods) {
    // Terminating pods stay only where not-ready addresses are published anyway.
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const base = endpointAddressFor(service, pod);
    if (!base) continue;
    const address: EndpointAddress = shouldSetHostname(pod, service) ? { ...base, hostname: pod.spec!.hostname! } : base;
    if (servicePorts.length === 0) {
      // A headless service may have no ports: its pods are still listed, for DNS.
      if (service.spec?.clusterIP === 'None') add(pod, address, undefined);
      continue;
    }
    for (const servicePort of servicePorts) {
      const port = findPort(pod, servicePort);
      if (port === undefined) continue;
      add(pod, address, {
        ...(servicePort.name ? { name: servicePort.name } : {}),
        port,
        protocol: servicePort.protocol ?? 'TCP',
        ...(servicePort.appProtocol ? { appProtocol: servicePort.appProtocol } : {}),
      });
    }
  }
  return repackSubsets(unpacked);
}

function countAddresses(subsets: EndpointSubset[] | undefined): { ready: number; notReady: number } {
  let ready = 0;
  let notReady = 0;
  for (const subset of subsets ?? []) {
    ready += subset.addresses?.length ?? 0;
    notReady += subset.notReadyAddresses?.length ?? 0;
  }
  return { ready, notReady };
}

/**
 * truncateEndpoints: cuts subsets down to MAX_ENDPOINTS_CAPACITY addresses, ready ones first,
 * each subset keeping its proportional share (rounded up, so the last ones may get less).
 * Returns undefined when nothing had to go.
 */
export function truncateSubsets(subsets: EndpointSubset[]): EndpointSubset[] | undefined {
  const { ready, notReady } = countAddresses(subsets);
  if (ready + notReady <= MAX_ENDPOINTS_CAPACITY) return undefined;
  const truncateReady = ready > MAX_ENDPOINTS_CAPACITY;
  const share = truncateReady ? MAX_ENDPOINTS_CAPACITY : MAX_ENDPOINTS_CAPACITY - ready;
  const total = truncateReady ? ready : notReady;
  let canBeAdded = share;
  return subsets.map((subset) => {
    const inSubset = (truncateReady ? subset.addresses : subset.notReadyAddresses)?.length ?? 0;
    const toBeAdded = Math.min(Math.ceil((inSubset / total) * share), canBeAdded);
    if (truncateReady) {
      const addresses = (subset.addresses ?? []).slice(0, toBeAdded);
      canBeAdded -= addresses.length;
      const { notReadyAddresses: _dropped, ...rest } = subset;
      return { ...rest, addresses };
    }
    const notReadyAddresses = (subset.notReadyAddresses ?? []).slice(0, toBeAdded);
    canBeAdded -= notReadyAddresses.length;
    return { ...subset, notReadyAddresses };
  });
}

/**
 * capacityAnnotationSetCorrectly: stored subsets within capacity without the over-capacity
 * annotation. (Truncated ones never compare equal to the full desired set, so they are
 * rewritten on every sync, as in Kubernetes.)
 */
export function capacityAnnotationSetCorrectly(annotations: Record<string, string> | undefined, subsets: EndpointSubset[] | undefined): boolean {
  const { ready, notReady } = countAddresses(subsets);
  if (ready + notReady > MAX_ENDPOINTS_CAPACITY) return false;
  return !Object.hasOwn(annotations ?? {}, OVER_CAPACITY_ANNOTATION);
}
