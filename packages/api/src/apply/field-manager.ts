// Field ownership for every write, as the apiserver's field manager records it in
// metadata.managedFields: server-side apply (PATCH application/apply-patch+yaml) merges a
// configuration and may conflict; every other write (create, update, patch) gives its manager the
// fields it changed. Metadata the server owns (name, uid, resourceVersion…) and the fields the
// endpoint resets (status on the main resource, spec on /status) are never owned.
import type { JsonObject, JsonValue, KubeObject } from '../object.ts';
import { copyJson, isJsonObject } from '../object.ts';
import { parseApiVersion, type MessageSchema } from '../schema/types.ts';
import { fieldsSetByCreate } from './created-fields.ts';
import { ApplyConflictError, FieldManagerError } from './errors.ts';
import { FieldSet } from './field-set.ts';
import { goRoundTrip } from './go-shape.ts';
import { conflictsNotInLastApplied, KUBECTL_APPLY_MANAGER, refreshLastApplied } from './last-applied.ts';
import {
  capUpdateManagers,
  copyManaged,
  decodeManagedFields,
  emptyManaged,
  encodeManagedFields,
  formatTime,
  managerIdentifier,
  type Managed,
  type VersionedSet,
} from './managed-fields.ts';
import { defaultResetFields } from './reset-fields.ts';
import { objectType } from './smd-type.ts';
import { OwnershipConflicts, recordApply, recordUpdate, type UpdaterContext } from './updater.ts';
import { formatValidationErrors, validateValue } from './validate.ts';

export interface UpdateOptions {
  /** the fieldManager query parameter (or the user agent's program name) */
  manager: string;
  /** the endpoint's group/version, e.g. "apps/v1" */
  apiVersion: string;
  now: Date;
  /** the kind's schema; undefined for kinds the registry does not know (custom resources) */
  message: MessageSchema | undefined;
  /** "status", "scale", …; undefined for the main resource */
  subresource?: string;
  /** paths the endpoint resets, e.g. [["status"]]; default: defaultResetFields for the kind */
  resetFields?: readonly (readonly string[])[];
}

export interface ApplyOptions extends UpdateOptions {
  /** the force query parameter: take contested fields instead of failing with a conflict */
  force: boolean;
}

/** Server-owned metadata and type fields no manager owns. */
const STRIPPED = FieldSet.of(
  ...[['apiVersion'], ['kind'], ['metadata']].map(toPath),
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map(
    (f) => toPath(['metadata', f]),
  ),
);
/** The entry that takes existing fields when an object without managedFields is first applied. */
const BEFORE_FIRST_APPLY = 'before-first-apply';
/** Where a write's own changes are collected before they join its manager's entry. */
const CURRENT_OPERATION = 'current-operation';

function toPath(fields: readonly string[]) {
  return fields.map((field) => ({ field }));
}

/**
 * Server-side apply of `applied` (the user's full intent) onto `live` (undefined when creating).
 * Returns the merged object with its managedFields; the caller defaults it and runs the strategy.
 * Throws ApplyConflictError (409) or FieldManagerError (400/500).
 */
export function serverSideApply(live: KubeObject | undefined, applied: KubeObject, opts: ApplyOptions): KubeObject {
  const expectedKind = live?.kind ?? (opts.message?.typeMeta ? opts.message.name : undefined);
  if (applied.apiVersion !== opts.apiVersion || (expectedKind !== undefined && applied.kind !== expectedKind)) {
    throw new FieldManagerError(400, `invalid object type: ${gvkString(applied)}`);
  }
  let managed: Managed;
  try {
    managed = decodeManagedFields(live?.metadata.managedFields);
  } catch (err) {
    throw new FieldManagerError(500, `failed to decode managed fields: ${(err as Error).message}`);
  }
  const kind = applied.kind ?? '';
  const ctx = context(opts, kind);
  const liveValue = live ? objectValue(live, opts.message) : zeroObject(opts.apiVersion, kind, opts.message);
  const attempt = (force: boolean) => applyOnce(live, liveValue, applied, copyManaged(managed), force, ctx, opts);

  let result: { object: KubeObject; managed: Managed };
  try {
    result = attempt(opts.force);
  } catch (err) {
    if (!(err instanceof OwnershipConflicts)) throw err;
    const left =
      opts.manager === KUBECTL_APPLY_MANAGER && live
        ? conflictsNotInLastApplied(live, liveValue, err.conflicts, opts.apiVersion, ctx.type)
        : undefined;
    const remaining = left ?? err.conflicts;
    if (remaining.length > 0) throw ApplyConflictError.fromOwnedFields(remaining);
    result = attempt(true);
  }
  const object = opts.manager === KUBECTL_APPLY_MANAGER ? refreshLastApplied(result.object, applied) : result.object;
  // The merge shares values with its inputs; the caller gets an object of its own to default.
  return withManagedFields(copyJson(object), result.managed);
}

function applyOnce(
  live: KubeObject | undefined,
  liveValue: JsonObject,
  applied: KubeObject,
  managed: Managed,
  force: boolean,
  ctx: UpdaterContext,
  opts: ApplyOptions,
): { object: KubeObject; managed: Managed } {
  if (live && managed.sets.size === 0) {
    const zero = zeroObject(opts.apiVersion, live.kind ?? '', opts.message);
    const identifier = managerIdentifier({ manager: BEFORE_FIRST_APPLY, operation: 'Update', apiVersion: opts.apiVersion });
    recordUpdateEntry(zero, liveValue, managed, identifier, opts.now, ctx);
    capUpdateManagers(managed);
  }
  if (Array.isArray(applied.metadata?.managedFields)) throw new FieldManagerError(400, 'metadata.managedFields must be nil');
  const config = applied as unknown as JsonObject;
  const errors = validateValue(config, ctx.type);
  if (errors.length > 0) {
    const where = `${applied.metadata?.namespace ?? ''}/${applied.metadata?.name ?? ''}; ${gvkString(applied)}`;
    throw new FieldManagerError(500, `failed to create typed patch object (${where}): ${formatValidationErrors(errors)}`);
  }
  const identifier = managerIdentifier({
    manager: opts.manager || 'unknown',
    operation: 'Apply',
    subresource: opts.subresource,
  });
  let merged: JsonValue | undefined;
  try {
    merged = recordApply(liveValue, config, managed, identifier, force, ctx);
  } catch (err) {
    if (err instanceof OwnershipConflicts) throw err;
    throw new FieldManagerError(500, (err as Error).message);
  }
  stripServerOwned(managed, identifier);
  // An apply that changes nothing leaves the object, and the applier's time, as they were.
  if (merged === undefined) return { object: live ?? (liveValue as KubeObject), managed };
  managed.times.set(identifier, formatTime(opts.now));
  const object = isJsonObject(merged) && opts.message ? goRoundTrip(merged, opts.message) : merged;
  return { object: object as unknown as KubeObject, managed };
}

/**
 * For non-apply writes: gives `manager` (operation Update) the fields that `before → after`
 * changed and takes them from other managers. `before` is undefined on create. A client may set
 * managedFields itself (`[{}]` or `[]` clears them); objects that have never had managedFields
 * stay without until first applied.
 */
export function updateManagedFields(before: KubeObject | undefined, after: KubeObject, opts: UpdateOptions): KubeObject {
  const managed = decodeLiveOrNew(before, after, opts.subresource !== undefined);
  const { managedFields: _dropped, ...metadata } = after.metadata;
  const next: KubeObject = { ...after, metadata };
  if (managed.sets.size === 0 && before?.metadata.uid) return next;
  const kind = after.kind ?? before?.kind ?? '';
  const ctx = context(opts, kind);
  const identifier = managerIdentifier({
    manager: opts.manager || 'unknown',
    operation: 'Update',
    apiVersion: opts.apiVersion,
    subresource: opts.subresource,
  });
  if (!before && managed.sets.size === 0) {
    // A create: its manager owns what it set, and there is no one to take anything from.
    const zero = sharedZeroObject(opts.apiVersion, kind, opts.message);
    const set = filter(ctx, fieldsSetByCreate(zero, objectValue(after, opts.message, false), ctx.type));
    recordEntry(managed, identifier, { set, apiVersion: ctx.apiVersion, applied: false }, opts.now);
    return withManagedFields(next, managed);
  }
  const beforeValue = before ? objectValue(before, opts.message, false) : sharedZeroObject(opts.apiVersion, kind, opts.message);
  recordUpdateEntry(beforeValue, objectValue(after, opts.message, false), managed, identifier, opts.now, ctx);
  capUpdateManagers(managed);
  return withManagedFields(next, managed);
}

/** Records a write's changes under `identifier`, stamping the time only if it changed something owned. */
function recordUpdateEntry(before: JsonValue, after: JsonValue, managed: Managed, identifier: string, now: Date, ctx: UpdaterContext): void {
  recordUpdate(before, after, managed, CURRENT_OPERATION, ctx);
  const current = managed.sets.get(CURRENT_OPERATION);
  if (!current) return;
  managed.sets.delete(CURRENT_OPERATION);
  recordEntry(managed, identifier, current, now);
}

/** Adds a write's fields (less the server-owned ones) to `identifier`'s entry and stamps its time. */
function recordEntry(managed: Managed, identifier: string, written: VersionedSet, now: Date): void {
  const set = written.set.difference(STRIPPED);
  if (set.isEmpty()) return;
  const previous = managed.sets.get(identifier);
  managed.sets.set(identifier, { ...written, set: previous ? set.union(previous.set) : set });
  managed.times.set(identifier, formatTime(now));
}

function stripServerOwned(managed: Managed, identifier: string): void {
  const versioned = managed.sets.get(identifier);
  if (!versioned) return;
  const set = versioned.set.difference(STRIPPED);
  if (set.isEmpty()) managed.sets.delete(identifier);
  else managed.sets.set(identifier, { ...versioned, set });
}

/** The managedFields a write starts from: the request's own if it set any, else the live object's. */
function decodeLiveOrNew(before: KubeObject | undefined, after: KubeObject, ignoreNew: boolean): Managed {
  const fromLive = () => {
    try {
      return decodeManagedFields(before?.metadata.managedFields);
    } catch {
      return emptyManaged();
    }
  };
  if (ignoreNew) return fromLive();
  const requested = after.metadata.managedFields;
  if (isReset(requested)) return emptyManaged();
  try {
    const managed = decodeManagedFields(requested);
    if (managed.sets.size > 0) return managed;
  } catch {
    // unreadable managedFields in a request fall back to the live ones
  }
  return fromLive();
}

/** `[]` and `[{}]` are the requests that clear managedFields. */
function isReset(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  return (
    entries.length === 1 &&
    isJsonObject(entries[0]) &&
    Object.values(entries[0]).every((v) => v === null || v === undefined || v === '')
  );
}

/** What a manager never owns through this endpoint: the fields it resets. */
function filter(ctx: UpdaterContext, set: FieldSet): FieldSet {
  return set.recursiveDifference(ctx.resetFields);
}

function context(opts: UpdateOptions, kind: string): UpdaterContext {
  const reset = opts.resetFields ?? defaultResetFields(opts.apiVersion, kind, opts.subresource);
  return { type: objectType(opts.message), apiVersion: opts.apiVersion, resetFields: FieldSet.of(...reset.map(toPath)) };
}

/**
 * The object as the field manager sees it: without managedFields, in its Go shape. A `copy`
 * shares nothing with `object` (a merge builds on it); without, the value is only to be read.
 */
function objectValue(object: KubeObject, message: MessageSchema | undefined, copy = true): JsonObject {
  const { managedFields: _dropped, ...metadata } = object.metadata;
  const value = { ...object, metadata } as unknown as JsonObject;
  const own = copy ? copyJson(value) : value;
  return message ? goRoundTrip(own, message) : own;
}

/** A new, empty object of the kind: what a create is compared against. */
function zeroObject(apiVersion: string, kind: string, message: MessageSchema | undefined): JsonObject {
  const typeMeta: JsonObject = { apiVersion, kind };
  return message ? goRoundTrip(typeMeta, message) : typeMeta;
}

const sharedZeroObjects = new Map<string, JsonObject>();

/** zeroObject, made once per kind and shared: only to be read (applies build on theirs). */
function sharedZeroObject(apiVersion: string, kind: string, message: MessageSchema | undefined): JsonObject {
  const cacheKey = `${apiVersion} ${kind} ${message?.fullName ?? ''}`;
  let zero = sharedZeroObjects.get(cacheKey);
  if (!zero) sharedZeroObjects.set(cacheKey, (zero = zeroObject(apiVersion, kind, message)));
  return zero;
}

function withManagedFields(object: KubeObject, managed: Managed): KubeObject {
  const { managedFields: _dropped, ...metadata } = object.metadata;
  const entries = encodeManagedFields(managed);
  return { ...object, metadata: entries ? { ...metadata, managedFields: entries } : metadata };
}

/** A GroupVersionKind as Go prints it: "apps/v1, Kind=Deployment", "/v1, Kind=Pod". */
function gvkString(object: KubeObject): string {
  const apiVersion = object.apiVersion ?? '';
  const { group, version } = apiVersion.split('/').length > 2 ? { group: '', version: '' } : parseApiVersion(apiVersion);
  return `${group}/${version}, Kind=${object.kind ?? ''}`;
}
