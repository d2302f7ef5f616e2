// Metadata rules every kind shares (Kubernetes' rest.BeforeCreate / BeforeUpdate):
// system fields are the server's to set, and clients cannot move them.
import { randomUUID } from 'node:crypto';
import { copyJson, type KubeObject, type ObjectMeta } from '@k8ts/api';

/** RFC 3339 with second precision, as metav1.Time is written. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Kubernetes' name generator avoids vowels and look-alike characters.
const GENERATED_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function generateNameSuffix(random: () => number = Math.random): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += GENERATED_NAME_ALPHABET[Math.floor(random() * GENERATED_NAME_ALPHABET.length)];
  return suffix;
}

/** Fills the system fields of a new object. */
export function fillCreateMeta(meta: ObjectMeta, now: Date, tracksGeneration: boolean, random?: () => number): void {
  if (!meta.name && meta.generateName) meta.name = meta.generateName + generateNameSuffix(random);
  meta.uid = randomUUID();
  meta.creationTimestamp = timestamp(now);
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.resourceVersion;
  delete (meta as Record<string, unknown>).selfLink;
  if (tracksGeneration) meta.generation = 1;
  else delete meta.generation;
}

/** Carries the system fields of the stored object over to its replacement. */
export function carryUpdateMeta(meta: ObjectMeta, old: ObjectMeta, specChanged: boolean, tracksGeneration: boolean): void {
  meta.uid = old.uid;
  meta.creationTimestamp = old.creationTimestamp;
  if (old.deletionTimestamp) meta.deletionTimestamp = old.deletionTimestamp;
  else delete meta.deletionTimestamp;
  if (old.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
  else delete meta.deletionGracePeriodSeconds;
  delete (meta as Record<string, unknown>).selfLink;
  if (tracksGeneration) meta.generation = (old.generation ?? 1) + (specChanged ? 1 : 0);
  else if (old.generation !== undefined) meta.generation = old.generation;
  else delete meta.generation;
}

/** Structural equality of JSON values (key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bArr = b as unknown[];
    return a.length === bArr.length && a.every((v, i) => jsonEqual(v, bArr[i]));
  }
  const aObj = a as Record<string, unknown>;
  const bObj = b as Record<string, unknown>;
  const aKeys = Object.keys(aObj).filter((k) => aObj[k] !== undefined);
  const bKeys = Object.keys(bObj).filter((k) => bObj[k] !== undefined);
  return aKeys.length === bKeys.length && aKeys.every((k) => jsonEqual(aObj[k], bObj[k]));
}

/**
 * Whether an update would store nothing new: only resourceVersion differs, and managedFields
 * were either left out (the live ones stay) or sent unchanged. A request that rewrites
 * managedFields — kubectl handing client-side-apply ownership over to server-side apply — is
 * a change even when nothing else differs.
 */
export function changesNothing(next: KubeObject, old: KubeObject): boolean {
  const { resourceVersion: _nextRv, managedFields: nextManaged, ...nextMeta } = next.metadata;
  const { resourceVersion: _oldRv, managedFields: oldManaged, ...oldMeta } = old.metadata;
  if (nextManaged !== undefined && !jsonEqual(nextManaged, oldManaged)) return false;
  return jsonEqual({ ...next, metadata: nextMeta }, { ...old, metadata: oldMeta });
}

/** Everything but metadata and status: what "the spec changed" means for generation. */
export function specOf(object: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...spec } = object;
  return spec;
}

export function deepCopy<T>(value: T): T {
  return copyJson(value);
}
