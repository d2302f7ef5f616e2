// How the reconciler recognises "the same endpoint" across syncs (endpointsliceutil's
// EndpointSet): by its addresses, hostname and pod — not by its conditions, node or zone,
// which are what an update of the endpoint in place changes. And how it recognises slices
// serving the same ports (the port map key).
import type { SliceEndpoint, SlicePort } from './util/types.ts';

export function endpointKey(endpoint: SliceEndpoint): string {
  return JSON.stringify([[...endpoint.addresses].sort(), endpoint.hostname ?? '', endpoint.targetRef?.namespace ?? '', endpoint.targetRef?.name ?? '']);
}

/** EndpointsEqualBeyondHash: whether two endpoints with the same key are also alike in what the key leaves out. */
export function endpointsEqualBeyondKey(a: SliceEndpoint, b: SliceEndpoint): boolean {
  return (
    (a.nodeName ?? '') === (b.nodeName ?? '') &&
    (a.zone ?? '') === (b.zone ?? '') &&
    a.conditions.ready === b.conditions.ready &&
    a.conditions.serving === b.conditions.serving &&
    a.conditions.terminating === b.conditions.terminating &&
    JSON.stringify(a.hints ?? null) === JSON.stringify(b.hints ?? null) &&
    (a.targetRef?.uid ?? '') === (b.targetRef?.uid ?? '') &&
    (a.targetRef?.kind ?? '') === (b.targetRef?.kind ?? '')
  );
}

/** NewPortMapKey: the same set of ports, in any order, gives the same key. */
export function portMapKey(ports: SlicePort[] | null | undefined): string {
  return JSON.stringify(
    (ports ?? []).map((p) => [p.name ?? '', p.protocol ?? 'TCP', p.port ?? 0, p.appProtocol ?? '']).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  );
}

/** The desired endpoints of one port set, in the order they were added (PopAny takes the oldest). */
export class EndpointSet {
  private readonly byKey = new Map<string, SliceEndpoint>();

  insert(endpoint: SliceEndpoint): void {
    this.byKey.set(endpointKey(endpoint), endpoint);
  }

  get(endpoint: SliceEndpoint): SliceEndpoint | undefined {
    return this.byKey.get(endpointKey(endpoint));
  }

  delete(endpoint: SliceEndpoint): void {
    this.byKey.delete(endpointKey(endpoint));
  }

  get size(): number {
    return this.byKey.size;
  }

  popAny(): SliceEndpoint {
    const [key, endpoint] = this.byKey.entries().next().value as [string, SliceEndpoint];
    this.byKey.delete(key);
    return endpoint;
  }
}
