// NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods that tolerate the
// node.kubernetes.io/unschedulable:NoSchedule taint (DaemonSet pods do).
import type { FilterPlugin } from '../framework/interfaces.ts';
import type { NodeInfo, PodInfo } from '../framework/node-info.ts';
import { PluginStatus, type Taint } from '../framework/types.ts';
import { PluginNames } from './names.ts';
import { tolerationsTolerateTaint } from './taints.ts';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export class NodeUnschedulable implements FilterPlugin {
  readonly name = PluginNames.NodeUnschedulable;
  private readonly rejection = new PluginStatus('UnschedulableAndUnresolvable', [ERR_REASON_UNSCHEDULABLE], this.name);

  filter(_state: unknown, pod: PodInfo, node: NodeInfo): PluginStatus | undefined {
    if (!node.node?.spec?.unschedulable) return undefined;
    if (tolerationsTolerateTaint(pod.pod.spec.tolerations ?? [], UNSCHEDULABLE_TAINT)) return undefined;
    return this.rejection;
  }
}
