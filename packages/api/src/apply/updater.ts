// The ownership algorithm of structured-merge-diff's Updater, over plain JSON values.
//
// A write compares the object before and after. Other managers lose the fields it changed (for an
// apply that is a conflict unless forced) and the fields it removed. An Update-er gains what it
// changed; an applier owns exactly its configuration, and fields it applied last time but no longer
// does are pruned from the object unless some manager still owns them.
import type { JsonValue } from '../object.ts';
import { compare, filterComparison, type Comparison } from './compare.ts';
import type { OwnedFieldConflict } from './errors.ts';
import { FieldSet } from './field-set.ts';
import type { Managed, VersionedSet } from './managed-fields.ts';
import { merge } from './merge.ts';
import { removeItems } from './remove.ts';
import type { SmdType } from './smd-type.ts';
import { toFieldSet } from './to-field-set.ts';
import { compareStrings, valuesEqual } from './value.ts';

export interface UpdaterContext {
  readonly type: SmdType;
  readonly apiVersion: string;
  /** fields the REST strategy resets on this endpoint: never owned through it */
  readonly resetFields: FieldSet;
}

/** Conflicts an apply met, before they become a user-facing error (the last-applied upgrade reads them). */
export class OwnershipConflicts extends Error {
  constructor(readonly conflicts: OwnedFieldConflict[]) {
    super(`${conflicts.length} ownership conflicts`);
  }
}

function filter(ctx: UpdaterContext, set: FieldSet): FieldSet {
  return set.recursiveDifference(ctx.resetFields);
}

/**
 * Takes what `before → after` changed away from every manager but `workflow`; throws
 * OwnershipConflicts when another manager owns a changed field and `force` is false.
 */
function takeOwnership(
  before: JsonValue,
  after: JsonValue,
  sets: Map<string, VersionedSet>,
  workflow: string,
  force: boolean,
  ctx: UpdaterContext,
): Comparison {
  const c = filterComparison(compare(before, after, ctx.type), (s) => filter(ctx, s));
  const changed = c.modified.union(c.added);
  const conflicts: OwnedFieldConflict[] = [];
  const contested = new Map<string, FieldSet>();
  for (const [identifier, versioned] of [...sets].sort(([a], [b]) => compareStrings(a, b))) {
    if (identifier === workflow) continue;
    const lost = versioned.set.intersection(changed);
    if (lost.isEmpty()) continue;
    contested.set(identifier, lost);
    for (const path of lost.paths()) conflicts.push({ identifier, path });
  }
  if (!force && conflicts.length > 0) throw new OwnershipConflicts(conflicts);
  for (const [identifier, versioned] of sets) {
    if (identifier === workflow) continue;
    const set = versioned.set.difference(contested.get(identifier) ?? new FieldSet()).difference(c.removed);
    if (set.isEmpty()) sets.delete(identifier);
    else sets.set(identifier, { ...versioned, set });
  }
  return c;
}

/** Records a non-apply write: `manager` gains what changed (its entry is created if needed). */
export function recordUpdate(before: JsonValue, after: JsonValue, managed: Managed, manager: string, ctx: UpdaterContext): void {
  const c = takeOwnership(before, after, managed.sets, manager, true, ctx);
  const previous = managed.sets.get(manager)?.set ?? new FieldSet();
  const set = filter(ctx, previous.difference(c.removed).union(c.modified).union(c.added));
  if (set.isEmpty()) managed.sets.delete(manager);
  else managed.sets.set(manager, { set, apiVersion: ctx.apiVersion, applied: false });
}

/**
 * Applies `config` over `live` for `manager`. Returns the new object, or undefined when it equals
 * the live one; `managed` is updated in place (only when there is no conflict).
 */
export function recordApply(
  live: JsonValue,
  config: JsonValue,
  managed: Managed,
  manager: string,
  force: boolean,
  ctx: UpdaterContext,
): JsonValue | undefined {
  const errors: string[] = [];
  const merged = merge(live, config, ctx.type, errors) ?? null;
  if (errors.length > 0) throw new Error(`failed to merge config: ${errors.join('\n')}`);
  const sets = new Map(managed.sets);
  const last = sets.get(manager);
  sets.set(manager, { set: filter(ctx, toFieldSet(config, ctx.type)), apiVersion: ctx.apiVersion, applied: true });
  const result = prune(merged, sets, last, ctx.type);
  takeOwnership(live, result, sets, manager, force, ctx);
  managed.sets.clear();
  for (const [k, v] of sets) managed.sets.set(k, v);
  return valuesEqual(live, result) ? undefined : result;
}

/**
 * Removes from `merged` what the applier owned last time and nobody owns now. Sets are widened
 * with their struct fields so that a field nobody owns anything under goes as a whole.
 */
function prune(merged: JsonValue, sets: Map<string, VersionedSet>, last: VersionedSet | undefined, type: SmdType): JsonValue {
  if (!last || last.set.isEmpty()) return merged;
  const lastSet = last.set.ensureNamedFieldsAreMembers(type);
  let pruned = removeItems(merged, lastSet, type);
  // Add back what any manager (this applier's new configuration included) still owns.
  let owned = new FieldSet();
  for (const v of sets.values()) owned = owned.union(v.set);
  const mergedSet = toFieldSet(merged, type).ensureNamedFieldsAreMembers(type);
  const prunedSet = toFieldSet(pruned, type).ensureNamedFieldsAreMembers(type);
  pruned = removeItems(merged, mergedSet.difference(prunedSet.union(owned.ensureNamedFieldsAreMembers(type))), type);
  // Only remove what this applier owned before: unowned fields stay.
  const keptSet = toFieldSet(pruned, type).ensureNamedFieldsAreMembers(type);
  return removeItems(merged, mergedSet.difference(keptSet).intersection(lastSet), type);
}
