// How a pod appears behind a Service (k8s.io/endpointslice/util and pkg/api/v1/pod): whether it
// belongs in the endpoints at all, whether it is ready, which of its IPs and ports a service
// port reaches, and which pod changes matter to the endpoints of the services selecting it.
import type { Pod, PodCondition, Service, ServicePort } from './types.ts';

export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** podutil.IsPodReady: the Ready condition is True (set by the kubelet from readiness probes). */
export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

export function isTerminating(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp != null;
}

/**
 * ShouldPodBeInEndpoints: finished pods (Succeeded/Failed) and pods without an IP never are;
 * terminating pods only when the caller includes them (EndpointSlices always do, to report
 * them as terminating; Endpoints only for publishNotReadyAddresses services).
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!pod.status?.podIP && (pod.status?.podIPs ?? []).length === 0) return false;
  return includeTerminating || !isTerminating(pod);
}

/** ShouldSetHostname: a pod names itself in a service's DNS when its subdomain is that service. */
export function shouldSetHostname(pod: Pod, service: Service): boolean {
  const hostname = pod.spec?.hostname ?? '';
  return hostname !== '' && pod.spec?.subdomain === service.metadata.name && pod.metadata.namespace === service.metadata.namespace;
}

/** helper.IsServiceIPSet: false for headless services (clusterIP None) and those not yet allocated one. */
export function isServiceIpSet(service: Service): boolean {
  const clusterIp = service.spec?.clusterIP ?? '';
  return clusterIp !== 'None' && clusterIp !== '';
}

export function isIpv6(ip: string): boolean {
  return ip.includes(':');
}

/** The pod's IPs, primary first (podIPs, or podIP from an older kubelet). */
export function podIps(pod: Pod): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip);
  if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP);
  return ips;
}

/**
 * podutil.FindPort: the pod port a service port sends to. A numeric targetPort is used as is; a
 * named one is looked up among the containers' ports (and restartable init containers', i.e.
 * sidecars) with the same protocol. undefined when the pod has no such port.
 */
export function findPort(pod: Pod, servicePort: ServicePort): number | undefined {
  // The apiserver defaults targetPort to port.
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target === 0 ? servicePort.port : target;
  const protocol = servicePort.protocol ?? 'TCP';
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const container of [...(pod.spec?.containers ?? []), ...sidecars]) {
    for (const port of container.ports ?? []) {
      if (port.name === target && (port.protocol ?? 'TCP') === protocol) return port.containerPort;
    }
  }
  return undefined;
}

/**
 * podEndpointsChanged: whether a pod update changes its endpoint (podChanged: deletion started,
 * readiness flipped, IPs changed) or possibly its service membership or DNS name (labelsChanged:
 * labels, hostname or subdomain changed). Name, namespace, uid and nodeName cannot change once
 * the pod has an IP.
 */
export function podEndpointsChanged(oldPod: Pod, newPod: Pod): { podChanged: boolean; labelsChanged: boolean } {
  const labelsChanged =
    !sameLabels(oldPod.metadata.labels, newPod.metadata.labels) ||
    (oldPod.spec?.hostname ?? '') !== (newPod.spec?.hostname ?? '') ||
    (oldPod.spec?.subdomain ?? '') !== (newPod.spec?.subdomain ?? '');
  const podChanged =
    (oldPod.metadata.deletionTimestamp ?? null) !== (newPod.metadata.deletionTimestamp ?? null) ||
    isPodReady(oldPod) !== isPodReady(newPod) ||
    podIps(oldPod).join(',') !== podIps(newPod).join(',');
  return { podChanged, labelsChanged };
}

export function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const left = a ?? {};
  const right = b ?? {};
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((k) => Object.hasOwn(right, k) && right[k] === left[k]);
}
