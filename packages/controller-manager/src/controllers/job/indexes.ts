// Indexed Jobs: each pod runs one completion index (0 … completions-1) named in its
// batch.kubernetes.io/job-completion-index annotation. The Job records which indexes have
// succeeded in status.completedIndexes as sorted intervals, "1,3-5,7" ("1,2" for two
// neighbours); the controller starts pods for the lowest indexes that neither succeeded nor
// run, and removes pods whose index is out of range or runs twice.
import { sortForDeletion } from '../../controller/controller-utils.ts';
import type { Pod } from '../../controller/workload-types.ts';
import { JOB_COMPLETION_INDEX_ANNOTATION } from './job-types.ts';

/** Indexes first…last, both included. */
export interface Interval {
  first: number;
  last: number;
}

/** Disjoint, non-adjacent intervals in increasing order. */
export type OrderedIntervals = readonly Interval[];

/** A pod without a (valid) index. */
export const UNKNOWN_COMPLETION_INDEX = -1;

/** Names longer than this leave no room for the 5 random characters of generateName. */
const MAX_GENERATED_NAME_LENGTH = 58;

/** The pod's completion index, or UNKNOWN_COMPLETION_INDEX. */
export function completionIndexOf(pod: Pod): number {
  const value = pod.metadata.annotations?.[JOB_COMPLETION_INDEX_ANNOTATION];
  if (value === undefined || !/^[+-]?\d+$/.test(value)) return UNKNOWN_COMPLETION_INDEX;
  const index = Number(value);
  return index >= 0 && index <= 2 ** 31 - 1 ? index : UNKNOWN_COMPLETION_INDEX;
}

/** "<job>-<index>-", cut so the generated name stays a valid label. */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = `${jobName}${suffix}`;
  return prefix.length > MAX_GENERATED_NAME_LENGTH ? `${jobName.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length)}${suffix}` : prefix;
}

/**
 * status.completedIndexes read back, keeping only indexes below `completions` (the Job may have
 * been changed); malformed entries are skipped.
 */
export function parseIndexes(text: string | undefined, completions: number): Interval[] {
  const result: Interval[] = [];
  if (!text) return result;
  for (const entry of text.split(',')) {
    const limits = entry.split('-');
    if (!/^\d+$/.test(limits[0] ?? '')) continue;
    const first = Number(limits[0]);
    if (first >= completions) break;
    let last = first;
    if (limits.length > 1) {
      if (!/^\d+$/.test(limits[1] ?? '')) continue;
      last = Math.min(Number(limits[1]), completions - 1);
    }
    const previous = result[result.length - 1];
    if (previous && previous.last === first - 1) previous.last = last;
    else result.push({ first, last });
  }
  return result;
}

export function formatIndexes(intervals: OrderedIntervals): string {
  return intervals
    .map(({ first, last }) => (last === first ? `${first}` : last === first + 1 ? `${first},${last}` : `${first}-${last}`))
    .join(',');
}

export function totalIndexes(intervals: OrderedIntervals): number {
  return intervals.reduce((sum, { first, last }) => sum + last - first + 1, 0);
}

export function hasIndex(intervals: OrderedIntervals, index: number): boolean {
  return intervals.some(({ first, last }) => first <= index && index <= last);
}

/** The intervals with more indexes (any order, duplicates allowed) merged in. */
export function withIndexes(intervals: OrderedIntervals, indexes: readonly number[]): Interval[] {
  const all = [...intervals.map((i) => ({ ...i })), ...indexes.map((i) => ({ first: i, last: i }))].sort((a, b) => a.first - b.first);
  const result: Interval[] = [];
  for (const next of all) {
    const previous = result[result.length - 1];
    if (previous && next.first <= previous.last + 1) previous.last = Math.max(previous.last, next.last);
    else result.push({ ...next });
  }
  return result;
}

/** Both sets of intervals together. */
export function mergeIntervals(a: OrderedIntervals, b: OrderedIntervals): Interval[] {
  return withIndexes(a, b.flatMap(({ first, last }) => Array.from({ length: last - first + 1 }, (_, i) => first + i)));
}

/**
 * firstPendingIndexes: up to `count` of the lowest indexes below `completions` that are not in
 * `taken` (succeeded, running, failed for good, or still terminating).
 */
export function firstPendingIndexes(taken: OrderedIntervals, count: number, completions: number): number[] {
  const result: number[] = [];
  let candidate = 0;
  for (const { first, last } of taken) {
    for (; candidate < completions && result.length < count && candidate < first; candidate++) result.push(candidate);
    candidate = Math.max(candidate, last + 1);
  }
  for (; candidate < completions && result.length < count; candidate++) result.push(candidate);
  return result;
}

/** The sorted completion indexes of the pods (unknown ones left out). */
export function indexesOf(pods: readonly Pod[]): number[] {
  return pods
    .map(completionIndexOf)
    .filter((i) => i !== UNKNOWN_COMPLETION_INDEX)
    .sort((a, b) => a - b);
}

/**
 * appendDuplicatedIndexPodsForRemoval: of an Indexed Job's active pods, those to delete because
 * their index is unknown or out of range, or another pod runs the same index (the one most
 * worth keeping stays); and the rest.
 */
export function splitSurplusIndexPods(pods: readonly Pod[], completions: number): { remove: Pod[]; keep: Pod[] } {
  const remove: Pod[] = [];
  const keep: Pod[] = [];
  const byIndex = new Map<number, Pod[]>();
  for (const pod of pods) {
    const index = completionIndexOf(pod);
    if (index === UNKNOWN_COMPLETION_INDEX || index >= completions) {
      remove.push(pod);
      continue;
    }
    byIndex.set(index, [...(byIndex.get(index) ?? []), pod]);
  }
  for (const index of [...byIndex.keys()].sort((a, b) => a - b)) {
    const group = byIndex.get(index)!;
    if (group.length === 1) {
      keep.push(group[0]!);
      continue;
    }
    const ordered = sortForDeletion(group.map((pod) => ({ pod, rank: 0 })));
    remove.push(...ordered.slice(0, -1));
    keep.push(ordered[ordered.length - 1]!);
  }
  return { remove, keep };
}
