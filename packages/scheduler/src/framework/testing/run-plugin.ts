// Runs one plugin's extension points the way the framework would, for plugin tests.
import { CycleState, isFilter, isPreFilter, isPreScore, isScore, type Plugin } from '../interfaces.ts';
import { newPodInfo, NodeInfo, newSnapshot, type Snapshot } from '../node-info.ts';
import type { Node, Pod, PluginStatus } from '../types.ts';

export function clusterOf(nodes: Node[], pods: Pod[] = []): Snapshot {
  const infos = nodes.map((n) => new NodeInfo(n));
  for (const pod of pods) infos.find((i) => i.name === pod.spec.nodeName)!.addPod(pod);
  return newSnapshot(infos);
}

const handleFor = (snapshot: Snapshot) => ({ snapshot, namespaceLabels: () => undefined });

/** PreFilter then Filter on every node: node name → the rejection's "code: reasons", or 'fits'. */
export function filterAll(plugin: Plugin, pod: Pod, snapshot: Snapshot): Record<string, string> {
  const state = new CycleState();
  const info = newPodInfo(pod);
  if (isPreFilter(plugin)) {
    const outcome = plugin.preFilter(state, info, handleFor(snapshot));
    if (outcome.status?.code === 'Skip') return Object.fromEntries(snapshot.nodeInfoList.map((n) => [n.name, 'fits']));
    if (outcome.status && !outcome.status.isSuccess()) return { prefilter: describe(outcome.status) };
  }
  if (!isFilter(plugin)) throw new Error(`${plugin.name} has no Filter`);
  return Object.fromEntries(
    snapshot.nodeInfoList.map((n) => {
      const status = plugin.filter(state, info, n);
      return [n.name, status ? describe(status) : 'fits'];
    }),
  );
}

function describe(status: PluginStatus): string {
  return `${status.code}: ${status.message()}`;
}

/** PreScore, Score and NormalizeScore over every node: node name → [raw, normalized], or 'skip'. */
export function scoreAll(plugin: Plugin, pod: Pod, snapshot: Snapshot): Record<string, [number, number]> | 'skip' {
  const state = new CycleState();
  const info = newPodInfo(pod);
  const nodes = snapshot.nodeInfoList;
  if (isPreScore(plugin) && plugin.preScore(state, info, nodes, handleFor(snapshot))?.code === 'Skip') return 'skip';
  if (!isScore(plugin)) throw new Error(`${plugin.name} has no Score`);
  const raw = nodes.map((n) => plugin.score(state, info, n));
  const normalized = raw.slice();
  plugin.normalizeScore?.(state, info, nodes, normalized);
  return Object.fromEntries(nodes.map((n, i) => [n.name, [raw[i], normalized[i]]]));
}
