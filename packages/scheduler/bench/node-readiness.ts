// Which nodes can take pods, from the Node objects a watch delivers: Ready=True, a podCIDR
// (hollow nodes give pods IPs from it), and none of the node.kubernetes.io/* taints that keep
// the scheduler away (not-ready, unreachable, …: admission puts not-ready on every new node and
// node lifecycle lifts it once the node is Ready). Pure: fed objects, answers counts.

/** The parts of a Node this reads. */
export interface ObservedNode {
  metadata?: { name?: string };
  spec?: { podCIDR?: string; taints?: { key?: string; effect?: string }[]; unschedulable?: boolean };
  status?: { conditions?: { type?: string; status?: string }[] };
}

export function isSchedulable(node: ObservedNode): boolean {
  const ready = (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  const blocked = (node.spec?.taints ?? []).some((t) => t.key?.startsWith('node.kubernetes.io/') && (t.effect === 'NoSchedule' || t.effect === 'NoExecute'));
  return ready && !blocked && !node.spec?.unschedulable && Boolean(node.spec?.podCIDR);
}

export class NodeReadiness {
  private readonly schedulable = new Map<string, boolean>();

  observe(node: ObservedNode, type: 'ADDED' | 'MODIFIED' | 'DELETED'): void {
    const name = node.metadata?.name ?? '';
    if (type === 'DELETED') this.schedulable.delete(name);
    else this.schedulable.set(name, isSchedulable(node));
  }

  get registered(): number {
    return this.schedulable.size;
  }

  get ready(): number {
    let n = 0;
    for (const ok of this.schedulable.values()) if (ok) n++;
    return n;
  }
}
