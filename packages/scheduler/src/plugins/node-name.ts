// NodeName: a pod that names its node (spec.nodeName) fits only that node.
import type { FilterPlugin } from '../framework/interfaces.ts';
import type { NodeInfo, PodInfo } from '../framework/node-info.ts';
import { PluginStatus } from '../framework/types.ts';
import { PluginNames } from './names.ts';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export class NodeName implements FilterPlugin {
  readonly name = PluginNames.NodeName;
  private readonly rejection = new PluginStatus('UnschedulableAndUnresolvable', [ERR_REASON_NODE_NAME], this.name);

  filter(_state: unknown, pod: PodInfo, node: NodeInfo): PluginStatus | undefined {
    const wanted = pod.pod.spec.nodeName;
    return !wanted || wanted === node.name ? undefined : this.rejection;
  }
}
