// NodePorts: a pod asking for host ports fits only nodes where no pod holds the same
// protocol/port on the same (or the wildcard) host IP.
import type { CycleState, FilterPlugin, PreFilterOutcome, PreFilterPlugin } from '../framework/interfaces.ts';
import type { NodeInfo, PodInfo } from '../framework/node-info.ts';
import { PluginStatus } from '../framework/types.ts';
import { PluginNames } from './names.ts';

export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

export class NodePorts implements PreFilterPlugin, FilterPlugin {
  readonly name = PluginNames.NodePorts;
  private readonly rejection = new PluginStatus('Unschedulable', [ERR_REASON_NODE_PORTS], this.name);
  private readonly skip = new PluginStatus('Skip', [], this.name);

  preFilter(_state: CycleState, pod: PodInfo): PreFilterOutcome {
    return pod.hostPorts.length === 0 ? { status: this.skip } : {};
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): PluginStatus | undefined {
    for (const port of pod.hostPorts) if (node.usedPorts.conflicts(port)) return this.rejection;
    return undefined;
  }
}
