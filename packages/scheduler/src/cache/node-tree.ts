// The order nodes are offered to the filters in (kube-scheduler's nodeTree): nodes grouped by
// zone, and the list takes one node from each zone in turn, so that a pass that stops early
// (percentageOfNodesToScore) still sees every zone.

const REGION_LABEL = 'topology.kubernetes.io/region';
const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** utilnode.GetZoneKey: "region:\x00:zone", or "" for a node with neither label. */
export function zoneKey(labels: Record<string, string> | undefined): string {
  const region = labels?.[REGION_LABEL] ?? '';
  const zone = labels?.[ZONE_LABEL] ?? '';
  if (region === '' && zone === '') return '';
  return `${region}:\x00:${zone}`;
}

export class NodeTree {
  private readonly zones = new Map<string, string[]>();
  private readonly zoneOf = new Map<string, string>();

  get size(): number {
    return this.zoneOf.size;
  }

  has(name: string): boolean {
    return this.zoneOf.has(name);
  }

  /** Adds the node, or moves it when its zone changed; false when nothing changed. */
  set(name: string, labels: Record<string, string> | undefined): boolean {
    const zone = zoneKey(labels);
    const current = this.zoneOf.get(name);
    if (current === zone) return false;
    if (current !== undefined) this.remove(name);
    let names = this.zones.get(zone);
    if (!names) this.zones.set(zone, (names = []));
    names.push(name);
    this.zoneOf.set(name, zone);
    return true;
  }

  remove(name: string): boolean {
    const zone = this.zoneOf.get(name);
    if (zone === undefined) return false;
    this.zoneOf.delete(name);
    const names = this.zones.get(zone)!;
    names.splice(names.indexOf(name), 1);
    if (names.length === 0) this.zones.delete(zone);
    return true;
  }

  /** Every node, zones interleaved: z1[0], z2[0], z1[1], z2[1], … */
  list(): string[] {
    const out: string[] = [];
    const zones = [...this.zones.values()];
    for (let i = 0; out.length < this.zoneOf.size; i++) {
      for (const names of zones) if (i < names.length) out.push(names[i]!);
    }
    return out;
  }
}
