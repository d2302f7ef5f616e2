// metadata.managedFields in memory: one field set per manager, keyed by the manager's identifier
// (name, operation, subresource, and for Update also the apiVersion), with the time it last
// changed something. Decoding, encoding and ordering follow the apiserver.
import type { JsonObject, ManagedFieldsEntry } from '../object.ts';
import { decodeFieldsV1, encodeFieldsV1 } from './fields-v1.ts';
import { FieldSet } from './field-set.ts';
import { compareStrings, goJsonString } from './value.ts';

type Operation = 'Apply' | 'Update';

export interface VersionedSet {
  readonly set: FieldSet;
  readonly apiVersion: string;
  /** owned through Apply (an applier's whole configuration) rather than Update */
  readonly applied: boolean;
}

export interface Managed {
  readonly sets: Map<string, VersionedSet>;
  /** RFC 3339 times by identifier; absent when the manager never changed anything it owns */
  readonly times: Map<string, string | undefined>;
}

export interface ManagerInfo {
  readonly manager?: string;
  readonly operation?: string;
  readonly apiVersion?: string;
  readonly subresource?: string;
}

export function emptyManaged(): Managed {
  return { sets: new Map(), times: new Map() };
}

export function copyManaged(m: Managed): Managed {
  return { sets: new Map(m.sets), times: new Map(m.times) };
}

/**
 * The key a manager's entry is stored under: the entry's JSON without fields and time. Appliers
 * leave out the apiVersion, so one applier has one entry whatever version it last applied.
 */
export function managerIdentifier(info: ManagerInfo): string {
  const parts: string[] = [];
  if (info.manager) parts.push(`"manager":${goJsonString(info.manager)}`);
  if (info.operation) parts.push(`"operation":${goJsonString(info.operation)}`);
  if (info.apiVersion && info.operation !== 'Apply') parts.push(`"apiVersion":${goJsonString(info.apiVersion)}`);
  if (info.subresource) parts.push(`"subresource":${goJsonString(info.subresource)}`);
  return `{${parts.join(',')}}`;
}

export function parseManagerIdentifier(identifier: string): ManagerInfo {
  return JSON.parse(identifier) as ManagerInfo;
}

/** Throws with the apiserver's message for an entry it cannot read. */
export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): Managed {
  const managed = emptyManaged();
  (entries ?? []).forEach((entry, i) => {
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (!entry.apiVersion) throw new Error('apiVersion must not be empty');
    if (!entry.fieldsType) throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (entry.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(entry.fieldsType)} in managed fields entry ${i}`);
    const identifier = managerIdentifier(entry);
    let set: FieldSet;
    try {
      set = decodeFieldsV1(entry.fieldsV1 ?? {});
    } catch (err) {
      throw new Error(`error decoding versioned set from ${JSON.stringify(entry)}: error decoding set: ${(err as Error).message}`);
    }
    managed.sets.set(identifier, { set, apiVersion: entry.apiVersion, applied: entry.operation === 'Apply' });
    managed.times.set(identifier, entry.time);
  });
  return managed;
}

/** The entries in the apiserver's order (Apply before Update, then by time, manager, version). */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] | undefined {
  if (managed.sets.size === 0) return undefined;
  const entries: ManagedFieldsEntry[] = [];
  for (const [identifier, versioned] of managed.sets) {
    const info = parseManagerIdentifier(identifier);
    const entry: ManagedFieldsEntry = {};
    if (info.manager) entry.manager = info.manager;
    entry.operation = versioned.applied ? 'Apply' : (info.operation as Operation);
    entry.apiVersion = versioned.apiVersion;
    const time = managed.times.get(identifier);
    if (time) entry.time = time;
    entry.fieldsType = 'FieldsV1';
    entry.fieldsV1 = encodeFieldsV1(versioned.set) as JsonObject;
    if (info.subresource) entry.subresource = info.subresource;
    entries.push(entry);
  }
  return entries.sort(
    (p, q) =>
      compareStrings(p.operation ?? '', q.operation ?? '') ||
      seconds(p.time) - seconds(q.time) ||
      compareStrings(p.manager ?? '', q.manager ?? '') ||
      compareStrings(p.apiVersion ?? '', q.apiVersion ?? '') ||
      compareStrings(p.subresource ?? '', q.subresource ?? ''),
  );
}

function seconds(time: string | undefined): number {
  return time ? Math.floor(Date.parse(time) / 1000) : 0;
}

/** Managed-fields times are RFC 3339 with second precision, in UTC. */
export function formatTime(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, 'Z');
}

const MAX_UPDATE_MANAGERS = 10;
const ANCIENT_CHANGES = 'ancient-changes';

/**
 * Keeps at most ten Update entries: the oldest are folded, per apiVersion, into an
 * "ancient-changes" entry so that objects written by many controllers stay small.
 */
export function capUpdateManagers(managed: Managed): void {
  const updaters = [...managed.sets].filter(([, v]) => !v.applied).map(([id]) => id);
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  updaters.sort((a, b) => seconds(managed.times.get(a)) - seconds(managed.times.get(b)) || compareStrings(a, b));
  const firstByVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > MAX_UPDATE_MANAGERS; i++) {
    const identifier = updaters[i];
    const versioned = managed.sets.get(identifier)!;
    const bucket = managerIdentifier({ manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: versioned.apiVersion });
    const first = firstByVersion.get(versioned.apiVersion);
    if (first === undefined) {
      firstByVersion.set(versioned.apiVersion, identifier);
      continue;
    }
    // The second entry of a version starts the bucket with the first one; later ones join it.
    if (!managed.sets.has(bucket)) {
      managed.sets.set(bucket, managed.sets.get(first)!);
      managed.sets.delete(first);
    }
    const merged = versioned.set.union(managed.sets.get(bucket)!.set);
    managed.sets.set(bucket, { set: merged, apiVersion: versioned.apiVersion, applied: false });
    managed.sets.delete(identifier);
    managed.times.set(bucket, managed.times.get(identifier));
    length--;
  }
  for (const id of [...managed.times.keys()]) if (!managed.sets.has(id)) managed.times.delete(id);
}
