// Services and how traffic finds pods: Endpoints, EndpointSlices, Ingresses, IngressClasses and
// NetworkPolicies.
import type { KubeObject } from '../object.ts';
import { ageColumn, column, nameColumn, wideColumn } from './columns.ts';
import { since } from './duration.ts';
import { compareStrings, formatLabels, formatLabelSelector, joinHostPort, listWithMore, type LabelSelectorObject } from './format.ts';
import type { ResourcePrinter } from './types.ts';

interface LoadBalancerStatus {
  ingress?: { ip?: string; hostname?: string }[];
}

interface Service extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    externalIPs?: string[];
    externalName?: string;
    ports?: { port: number; nodePort?: number; protocol?: string }[];
    selector?: Record<string, string>;
  };
  status?: { loadBalancer?: LoadBalancerStatus };
}

export const servicePrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Type', 'string', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    column('Cluster-IP', 'string', 'Virtual IP of the service inside the cluster.'),
    column('External-IP', 'string', 'Addresses the service is reachable on from outside the cluster.'),
    column('Port(s)', 'string', 'Service ports, with node ports, and their protocols.'),
    ageColumn,
    wideColumn('Selector', 'string', 'Labels of the pods that back the service.'),
  ],
  row: (object, now) => {
    const service = object as Service;
    const spec = service.spec ?? {};
    const ports = (spec.ports ?? [])
      .map((p) => (p.nodePort ? `${p.port}:${p.nodePort}` : `${p.port}`) + `/${p.protocol ?? 'TCP'}`)
      .join(',');
    return {
      cells: [
        object.metadata.name ?? '',
        serviceType(service),
        spec.clusterIPs?.[0] ?? (spec.clusterIP || '<none>'),
        externalIP(service),
        ports || '<none>',
        since(object.metadata.creationTimestamp, now),
        formatLabels(spec.selector),
      ],
    };
  },
};

// spec.type defaults to ClusterIP; a stored object always carries it.
const serviceType = (service: Service): string => service.spec?.type ?? 'ClusterIP';

function externalIP(service: Service): string {
  const externalIPs = service.spec?.externalIPs ?? [];
  switch (serviceType(service)) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = loadBalancerAddresses(service.status?.loadBalancer);
      const all = [...ingress, ...externalIPs];
      if (all.length > 0) return all.join(',');
      return '<pending>';
    }
    case 'ExternalName':
      return service.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/**
 * Load-balancer IPs (or hostnames when there is no IP), de-duplicated and sorted. The server
 * always prints wide, so the 16-character clipping kubectl's own printer applies never happens.
 */
function loadBalancerAddresses(status: LoadBalancerStatus | undefined): string[] {
  const addresses = new Set<string>();
  for (const ingress of status?.ingress ?? []) {
    if (ingress.ip) addresses.add(ingress.ip);
    else if (ingress.hostname) addresses.add(ingress.hostname);
  }
  return [...addresses].sort(compareStrings);
}

interface Endpoints extends KubeObject {
  subsets?: { addresses?: { ip: string }[]; ports?: { port: number }[] }[];
}

export const endpointsPrinter: ResourcePrinter = {
  columns: [nameColumn, column('Endpoints', 'string', 'Ready pod addresses and ports (the first three).'), ageColumn],
  row: (object, now) => ({
    cells: [object.metadata.name ?? '', formatEndpoints(object as Endpoints), since(object.metadata.creationTimestamp, now)],
  }),
};

function formatEndpoints(endpoints: Endpoints): string {
  const subsets = endpoints.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const shown: string[] = [];
  let count = 0;
  for (const subset of subsets) {
    const addresses = subset.addresses ?? [];
    const ports = subset.ports ?? [];
    if (ports.length === 0) {
      // Headless services may have no ports: list bare IPs.
      count += addresses.length;
      shown.push(...addresses.map((a) => a.ip));
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      shown.push(...addresses.map((a) => joinHostPort(a.ip, port.port)));
    }
  }
  const max = 3;
  const text = shown.slice(0, max).join(',');
  return count > max ? `${text} + ${count - max} more...` : text;
}

interface EndpointSlice extends KubeObject {
  addressType?: string;
  ports?: { port?: number | null; name?: string | null }[] | null;
  endpoints?: { addresses?: string[] }[] | null;
}

export const endpointSlicePrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('AddressType', 'string', 'Kind of addresses in the slice: IPv4, IPv6 or FQDN.'),
    column('Ports', 'string', 'Ports of the endpoints.'),
    column('Endpoints', 'string', 'Endpoint addresses (the first three).'),
    ageColumn,
  ],
  row: (object, now) => {
    const slice = object as EndpointSlice;
    const ports = (slice.ports ?? []).map((p) => (p.port !== undefined && p.port !== null ? String(p.port) : (p.name ?? '*')));
    const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
    return {
      cells: [
        object.metadata.name ?? '',
        slice.addressType ?? '',
        listWithMore(ports, 3),
        listWithMore(addresses, 3),
        since(object.metadata.creationTimestamp, now),
      ],
    };
  },
};

interface Ingress extends KubeObject {
  spec?: { ingressClassName?: string | null; rules?: { host?: string }[]; tls?: unknown[] };
  status?: { loadBalancer?: LoadBalancerStatus };
}

export const ingressPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Class', 'string', 'IngressClass that implements this ingress.'),
    column('Hosts', 'string', 'Host names the rules match (the first three).'),
    column('Address', 'string', 'Addresses the load balancer serves the ingress on.'),
    column('Ports', 'string', 'Ports the ingress listens on: 80, and 443 with TLS.'),
    ageColumn,
  ],
  row: (object, now) => {
    const ingress = object as Ingress;
    return {
      cells: [
        object.metadata.name ?? '',
        ingress.spec?.ingressClassName ?? '<none>',
        formatHosts(ingress.spec?.rules ?? []),
        loadBalancerAddresses(ingress.status?.loadBalancer).join(','),
        (ingress.spec?.tls?.length ?? 0) > 0 ? '80, 443' : '80',
        since(object.metadata.creationTimestamp, now),
      ],
    };
  },
};

function formatHosts(rules: { host?: string }[]): string {
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    // Kubernetes stops at three hosts and then counts the remaining rules, hosts or not.
    if (hosts.length === max) {
      more = true;
      break;
    }
    if (rule.host) hosts.push(rule.host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - max} more...` : hosts.join(',');
}

interface IngressClass extends KubeObject {
  spec?: { controller?: string; parameters?: { apiGroup?: string | null; kind?: string; name?: string } | null };
}

export const ingressClassPrinter: ResourcePrinter = {
  columns: [
    nameColumn,
    column('Controller', 'string', 'Controller that implements ingresses of this class.'),
    column('Parameters', 'string', 'Object holding extra configuration for the controller.'),
    ageColumn,
  ],
  row: (object, now) => {
    const spec = (object as IngressClass).spec ?? {};
    const parameters = spec.parameters
      ? `${spec.parameters.kind ?? ''}${spec.parameters.apiGroup ? `.${spec.parameters.apiGroup}` : ''}/${spec.parameters.name ?? ''}`
      : '<none>';
    return { cells: [object.metadata.name ?? '', spec.controller ?? '', parameters, since(object.metadata.creationTimestamp, now)] };
  },
};

interface NetworkPolicy extends KubeObject {
  spec?: { podSelector?: LabelSelectorObject };
}

export const networkPolicyPrinter: ResourcePrinter = {
  columns: [nameColumn, column('Pod-Selector', 'string', 'Labels of the pods the policy applies to.'), ageColumn],
  row: (object, now) => ({
    cells: [
      object.metadata.name ?? '',
      formatLabelSelector((object as NetworkPolicy).spec?.podSelector ?? {}),
      since(object.metadata.creationTimestamp, now),
    ],
  }),
};
