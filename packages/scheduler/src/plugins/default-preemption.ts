// DefaultPreemption (PostFilter): when a pod fits nowhere, find a node where evicting
// lower-priority pods would let it fit. Per node, remove every lower-priority pod, then add
// back ("reprieve") as many as still let the pod fit, most important first and PDB-protected
// ones before the rest; the rest are the victims. Among candidate nodes pick the one with the
// fewest PDB violations, then the lowest highest victim priority, the smallest priority sum,
// the fewest victims, the latest-started victims.
import type { Framework } from '../framework/framework.ts';
import { reasonHistogram } from '../framework/fit-error.ts';
import { newPodInfo, newSnapshot, type NodeInfo, type PodInfo, type Snapshot } from '../framework/node-info.ts';
import { PluginStatus, type Diagnosis, type Pod, type PodDisruptionBudget, type PreemptionResult } from '../framework/types.ts';
import { labelSelectorFromObject, matchesLabels } from '@k8ts/api/selectors/index.ts';
import { podPriority } from './priority-sort.ts';

export const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_VICTIMS = 'No preemption victims found for incoming pod';
/** MinCandidateNodesPercentage / MinCandidateNodesAbsolute (DefaultPreemptionArgs defaults) */
const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
const MIN_CANDIDATE_NODES_ABSOLUTE = 100;
const INT32_OFFSET = 2 ** 31;

interface Candidate {
  node: string;
  victims: Pod[];
  numPDBViolations: number;
}

function startTime(pod: Pod): number {
  // A pod that has not started counts as the newest (GetPodStartTime uses "now").
  const t = pod.status?.startTime ? Date.parse(pod.status.startTime) : NaN;
  return Number.isNaN(t) ? Infinity : t;
}

/** util.MoreImportantPod: higher priority, then the earlier start. */
export function moreImportantPod(a: Pod, b: Pod): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return startTime(a) < startTime(b);
}

const byImportance = (a: PodInfo, b: PodInfo) => (moreImportantPod(a.pod, b.pod) ? -1 : moreImportantPod(b.pod, a.pod) ? 1 : 0);

/** filterPodsWithPDBViolation: which pods' eviction would take a PDB below its allowed disruptions. */
function splitByPDBViolation(pods: PodInfo[], pdbs: PodDisruptionBudget[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const selectors = pdbs.map((p) => {
    try {
      return labelSelectorFromObject(p.spec?.selector);
    } catch {
      return null;
    }
  });
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const info of pods) {
    const pod = info.pod;
    let violated = false;
    if (Object.keys(pod.metadata.labels ?? {}).length > 0) {
      pdbs.forEach((pdb, i) => {
        const selector = selectors[i];
        if ((pdb.metadata.namespace ?? '') !== (pod.metadata.namespace ?? '')) return;
        // A PDB with a nil or empty selector matches nothing.
        if (selector === null || selector.length === 0 || !matchesLabels(selector, pod.metadata.labels)) return;
        // Already counted by the disruption controller.
        if (pdb.status?.disruptedPods && Object.hasOwn(pdb.status.disruptedPods, pod.metadata.name ?? '')) return;
        allowed[i]--;
        if (allowed[i] < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(info);
  }
  return { violating, nonViolating };
}

/** The snapshot with one node's NodeInfo replaced: what the cluster would look like after evictions. */
function withNode(snapshot: Snapshot, replacement: NodeInfo): Snapshot {
  return newSnapshot(snapshot.nodeInfoList.map((n) => (n.name === replacement.name ? replacement : n)));
}

/** The whole filter pipeline for the pod on a modified node, PreFilter recomputed against the modified cluster. */
function fitsOn(fw: Framework, pod: PodInfo, snapshot: Snapshot, node: NodeInfo): PluginStatus | undefined {
  const cluster = withNode(snapshot, node);
  const pre = fw.runPreFilter(pod, cluster);
  if (pre.rejection) return pre.rejection;
  return fw.runFilters(pre.state, pod, node, pre.skipped);
}

/** SelectVictimsOnNode. */
function selectVictimsOnNode(
  fw: Framework,
  pod: PodInfo,
  snapshot: Snapshot,
  original: NodeInfo,
  pdbs: PodDisruptionBudget[],
): { victims: Pod[]; numPDBViolations: number } | PluginStatus {
  const node = original.clone();
  const priority = podPriority(pod.pod);
  const potential = node.pods.filter((p) => podPriority(p.pod) < priority);
  if (potential.length === 0) return new PluginStatus('UnschedulableAndUnresolvable', [NO_VICTIMS]);
  for (const p of potential) node.removePod(p.pod);
  const status = fitsOn(fw, pod, snapshot, node);
  if (status) return status;
  potential.sort(byImportance);
  const { violating, nonViolating } = splitByPDBViolation(potential, pdbs);
  const victims: PodInfo[] = [];
  let numPDBViolations = 0;
  const reprieve = (p: PodInfo): boolean => {
    node.addPodInfo(p);
    if (!fitsOn(fw, pod, snapshot, node)) return true;
    node.removePod(p.pod);
    victims.push(p);
    return false;
  };
  for (const p of violating) if (!reprieve(p)) numPDBViolations++;
  for (const p of nonViolating) reprieve(p);
  if (violating.length > 0 && nonViolating.length > 0) victims.sort(byImportance);
  return { victims: victims.map((v) => v.pod), numPDBViolations };
}

/** pickOneNodeForPreemption: each criterion keeps only the best candidates; the first survivor wins. */
export function pickCandidate(candidates: Candidate[]): Candidate {
  const criteria: ((c: Candidate) => number)[] = [
    (c) => -c.numPDBViolations,
    (c) => -podPriority(c.victims[0]),
    (c) => -c.victims.reduce((sum, v) => sum + podPriority(v) + INT32_OFFSET, 0),
    (c) => -c.victims.length,
    (c) => {
      // The latest "earliest start" among each node's highest-priority victims.
      const top = podPriority(c.victims[0]);
      let earliest = Infinity;
      for (const v of c.victims) if (podPriority(v) === top) earliest = Math.min(earliest, startTime(v));
      return earliest;
    },
  ];
  let remaining = candidates;
  for (const score of criteria) {
    if (remaining.length === 1) break;
    let best = -Infinity;
    for (const c of remaining) best = Math.max(best, score(c));
    remaining = remaining.filter((c) => score(c) === best);
  }
  return remaining[0];
}

/** PodEligibleToPreemptOthers: the reason the pod may not preempt, or undefined. */
function ineligibility(pod: Pod, snapshot: Snapshot, diagnosis: Diagnosis): string | undefined {
  if (pod.spec.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  const nominated = pod.status?.nominatedNodeName;
  if (!nominated) return undefined;
  // A nominated node the filters now call hopeless: preempt afresh.
  if (nodeStatus(diagnosis, nominated).code === 'UnschedulableAndUnresolvable') return undefined;
  const priority = podPriority(pod);
  for (const p of snapshot.get(nominated)?.pods ?? []) {
    const preempted = p.pod.status?.conditions?.some((c) => c.type === 'DisruptionTarget' && c.reason === 'PreemptionByScheduler');
    if (podPriority(p.pod) < priority && p.pod.metadata.deletionTimestamp && preempted) {
      return 'not eligible due to a terminating pod on the nominated node.';
    }
  }
  return undefined;
}

/** A node's status in the diagnosis; nodes it does not list default to UnschedulableAndUnresolvable. */
function nodeStatus(diagnosis: Diagnosis, node: string): PluginStatus {
  return diagnosis.nodeToStatus.get(node) ?? diagnosis.absentNodesStatus ?? new PluginStatus('UnschedulableAndUnresolvable');
}

/** calculateNumCandidates: 10% of the nodes, at least 100, at most all. */
export function numCandidates(numNodes: number): number {
  const n = Math.max(Math.trunc((numNodes * MIN_CANDIDATE_NODES_PERCENTAGE) / 100), MIN_CANDIDATE_NODES_ABSOLUTE);
  return Math.min(n, numNodes);
}

/** Evaluator.Preempt, with PostFilter's "preemption: " prefix on the failure message. */
export function preempt(
  fw: Framework,
  pod: Pod,
  snapshot: Snapshot,
  diagnosis: Diagnosis,
  pdbs: PodDisruptionBudget[],
  opts: { random?: () => number } = {},
): PreemptionResult {
  const failed = (message: string): PreemptionResult => ({ victims: [], message: `preemption: ${message}` });
  const reason = ineligibility(pod, snapshot, diagnosis);
  if (reason) return failed(reason);

  const allNodes = snapshot.nodeInfoList;
  if (allNodes.length === 0) return { victims: [], message: '' };
  // Only nodes a filter called merely Unschedulable can be helped by evicting pods.
  const potential = allNodes.filter((n) => nodeStatus(diagnosis, n.name).code === 'Unschedulable');
  const podInfo = newPodInfo(pod);
  const statuses = new Map<string, PluginStatus>();
  const nonViolating: Candidate[] = [];
  const violating: Candidate[] = [];
  if (potential.length > 0) {
    const wanted = numCandidates(potential.length);
    const offset = Math.floor((opts.random?.() ?? 0) * potential.length);
    for (let i = 0; i < potential.length; i++) {
      const node = potential[(offset + i) % potential.length];
      const outcome = selectVictimsOnNode(fw, podInfo, snapshot, node, pdbs);
      if (outcome instanceof PluginStatus) {
        statuses.set(node.name, outcome);
        continue;
      }
      if (outcome.victims.length === 0) {
        statuses.set(node.name, new PluginStatus('Error', [`expected at least one victim pod on node "${node.name}"`]));
        continue;
      }
      (outcome.numPDBViolations === 0 ? nonViolating : violating).push({ node: node.name, ...outcome });
      if (nonViolating.length > 0 && nonViolating.length + violating.length >= wanted) break;
    }
  }
  const candidates = [...nonViolating, ...violating];
  if (candidates.length === 0) {
    // Every node not examined is one where preemption cannot help.
    const histogram = reasonHistogram({ nodeToStatus: statuses, absentNodesStatus: new PluginStatus('UnschedulableAndUnresolvable', [NOT_HELPFUL]) }, allNodes.length);
    return failed(`0/${allNodes.length} nodes are available: ${histogram.join(', ')}.`);
  }
  const chosen = candidates.length === 1 ? candidates[0] : pickCandidate(candidates);
  return { nominatedNodeName: chosen.node, victims: chosen.victims, message: '' };
}
