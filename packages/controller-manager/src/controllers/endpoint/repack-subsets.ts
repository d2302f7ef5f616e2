// endpoints.RepackSubsets: the canonical layout of an Endpoints object's subsets. Every
// (address, port) pair is expanded, and then ports whose sets of addresses — with their
// readiness — are identical share one subset. Addresses are told apart by IP and pod UID; an
// address not ready on some port is not ready on it (not-ready wins). Subsets without ports
// (headless services without ports) are kept under a sentinel port. The result is sorted so
// that the same state always gives the same object and unchanged endpoints compare equal.
import type { EndpointAddress, EndpointPort, EndpointSubset } from '../endpointslice/util/types.ts';

const NO_PORT = -1;

function addressKey(address: EndpointAddress): string {
  return `${address.ip}\u0000${address.targetRef?.uid ?? ''}`;
}

function portKey(port: EndpointPort): string {
  return JSON.stringify([port.name ?? '', port.port, port.protocol ?? '', port.appProtocol ?? '']);
}

/** LessEndpointAddress: by IP (as bytes), then by pod UID. */
function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const [ua, ub] = [a.targetRef?.uid ?? '', b.targetRef?.uid ?? ''];
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function comparePorts(a: EndpointPort, b: EndpointPort): number {
  const [ka, kb] = [portKey(a), portKey(b)];
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

interface PortAddresses {
  port: EndpointPort;
  /** address key → ready */
  ready: Map<string, boolean>;
}

export function repackSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  const allAddresses = new Map<string, EndpointAddress>();
  const byPort = new Map<string, PortAddresses>();
  const record = (address: EndpointAddress, port: EndpointPort, ready: boolean): void => {
    const key = addressKey(address);
    if (!allAddresses.has(key)) allAddresses.set(key, address);
    const pk = portKey(port);
    let entry = byPort.get(pk);
    if (!entry) byPort.set(pk, (entry = { port, ready: new Map() }));
    if (entry.ready.get(key) !== false) entry.ready.set(key, ready);
  };
  for (const subset of subsets) {
    const ports = subset.ports && subset.ports.length > 0 ? subset.ports : [{ port: NO_PORT }];
    for (const port of ports) {
      for (const address of subset.addresses ?? []) record(address, port, true);
      for (const address of subset.notReadyAddresses ?? []) record(address, port, false);
    }
  }
  // Group the ports by the exact set of (address, readiness) they reach.
  const groups = new Map<string, { ready: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const { port, ready } of byPort.values()) {
    const key = JSON.stringify([...ready.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ready, ports: [] }));
    if (port.port !== NO_PORT) group.ports.push(port);
  }
  const repacked: EndpointSubset[] = [];
  for (const { ready, ports } of groups.values()) {
    const addresses: EndpointAddress[] = [];
    const notReadyAddresses: EndpointAddress[] = [];
    for (const [key, isReady] of ready) (isReady ? addresses : notReadyAddresses).push(allAddresses.get(key)!);
    repacked.push({
      ...(addresses.length > 0 ? { addresses: addresses.sort(compareAddresses) } : {}),
      ...(notReadyAddresses.length > 0 ? { notReadyAddresses: notReadyAddresses.sort(compareAddresses) } : {}),
      ...(ports.length > 0 ? { ports: ports.sort(comparePorts) } : {}),
    });
  }
  return repacked.sort(compareSubsets);
}

/**
 * Kubernetes orders subsets by a hash of their contents, which only a byte-identical Go
 * serialization reproduces; k8ts orders them by their first address, then their ports —
 * equally stable, and readable.
 */
function compareSubsets(a: EndpointSubset, b: EndpointSubset): number {
  const first = (s: EndpointSubset) => s.addresses?.[0] ?? s.notReadyAddresses?.[0];
  const [fa, fb] = [first(a), first(b)];
  if (fa && fb) {
    const byAddress = compareAddresses(fa, fb);
    if (byAddress !== 0) return byAddress;
  }
  const [pa, pb] = [JSON.stringify((a.ports ?? []).map(portKey)), JSON.stringify((b.ports ?? []).map(portKey))];
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}
