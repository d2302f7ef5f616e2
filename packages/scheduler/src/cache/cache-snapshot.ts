// The snapshot a scheduling cycle reads (framework.Snapshot), owned by the scheduler and kept
// current by SchedulerCache.updateSnapshot: only the NodeInfos that changed since the last
// update are cloned in, so a cycle costs O(changed nodes), not O(all nodes).
import type { NodeInfo, Snapshot } from '../framework/node-info.ts';

export class CacheSnapshot implements Snapshot {
  /** node name → its NodeInfo clone, for every node in the list */
  readonly nodeInfoMap = new Map<string, NodeInfo>();
  nodeInfoList: NodeInfo[] = [];
  havePodsWithAffinityList: NodeInfo[] = [];
  havePodsWithRequiredAntiAffinityList: NodeInfo[] = [];
  /** the highest NodeInfo generation copied in; newer ones are copied on the next update */
  generation = 0;
  /** where each node sits in nodeInfoList, to swap a fresh clone in place */
  readonly positions = new Map<string, number>();

  get(nodeName: string): NodeInfo | undefined {
    return this.nodeInfoMap.get(nodeName);
  }
}
