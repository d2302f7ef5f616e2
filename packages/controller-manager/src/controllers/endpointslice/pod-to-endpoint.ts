// How one pod becomes an EndpointSlice endpoint (k8s.io/endpointslice utils.go): its addresses
// of the slice's address type, the three conditions consumers route by — ready (take new
// traffic), serving (can still answer, even while terminating), terminating — its node and
// zone, and the ports each service port reaches on it.
import { findPort, isIpv6, isPodReady, isTerminating, podIps, shouldSetHostname } from './util/pods.ts';
import { ZONE_LABEL, type EndpointSlice, type Node, type Pod, type Service, type SliceEndpoint, type SlicePort } from './util/types.ts';

export type AddressType = EndpointSlice['addressType'];

export function podToEndpoint(pod: Pod, node: Node | undefined, service: Service, addressType: AddressType): SliceEndpoint {
  const serving = isPodReady(pod);
  const terminating = isTerminating(pod);
  // "ready" never holds for a terminating pod, unless the service publishes unready addresses.
  const ready = service.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const nodeName = pod.spec?.nodeName ?? '';
  const zone = node?.metadata.labels?.[ZONE_LABEL] ?? '';
  return {
    addresses: podIps(pod).filter((ip) => isIpv6(ip) === (addressType === 'IPv6')),
    conditions: { ready, serving, terminating },
    ...(shouldSetHostname(pod, service) ? { hostname: pod.spec!.hostname! } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
    ...(nodeName !== '' ? { nodeName } : {}),
    ...(zone !== '' ? { zone } : {}),
  };
}

/** getEndpointPorts: every service port the pod has a target for, named as the service names it ("" if unnamed). */
export function endpointPorts(service: Service, pod: Pod): SlicePort[] {
  const ports: SlicePort[] = [];
  for (const servicePort of service.spec?.ports ?? []) {
    const port = findPort(pod, servicePort);
    if (port === undefined) continue;
    ports.push({
      name: servicePort.name ?? '',
      protocol: servicePort.protocol ?? 'TCP',
      port,
      ...(servicePort.appProtocol ? { appProtocol: servicePort.appProtocol } : {}),
    });
  }
  return ports;
}

/**
 * getAddressTypesForService: the IP families the service has; before they are defaulted, the
 * family of its cluster IP, or — headless — both.
 */
export function addressTypesForService(service: Service): Set<AddressType> {
  const types = new Set<AddressType>();
  for (const family of service.spec?.ipFamilies ?? []) {
    if (family === 'IPv4') types.add('IPv4');
    if (family === 'IPv6') types.add('IPv6');
  }
  if (types.size > 0) return types;
  const clusterIp = service.spec?.clusterIP ?? '';
  if (clusterIp !== '' && clusterIp !== 'None') return new Set([isIpv6(clusterIp) ? 'IPv6' : 'IPv4']);
  return new Set(['IPv4', 'IPv6']);
}
