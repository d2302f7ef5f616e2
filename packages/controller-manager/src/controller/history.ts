// ControllerRevisions: the immutable snapshots of a pod template that StatefulSets and
// DaemonSets keep so they can tell old pods from new ones, roll forward and roll back
// (kube-controller-manager's pkg/controller/history). A revision is named
// "<owner>-<hash of its data>", carries the hash in a label, and a monotonically increasing
// revision number; `kubectl rollout history/undo` read and apply them.
import { isDeepStrictEqual } from 'node:util';
import type { JsonValue, KubeObject } from '@k8ts/api';
import { isAlreadyExists, isConflict, type ResourceClient } from '@k8ts/client';
import { safeEncodeString, timeOf } from './controller-utils.ts';
import { newControllerRef, type GroupVersionKind } from './pod-control.ts';

/**
 * apps.ControllerRevisionHashLabelKey: the label on a StatefulSet's or DaemonSet's pods naming
 * the revision they were made from (and, for a DaemonSet, on its revisions too).
 */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

/** history.ControllerRevisionHashLabel: the label newControllerRevision puts on a revision. */
export const REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';

export const CONTROLLER_REVISION_KIND = { group: 'apps', version: 'v1', kind: 'ControllerRevision' };

/** apps/v1 ControllerRevision. */
export interface ControllerRevision extends KubeObject {
  data?: JsonValue;
  revision: number;
}

/** A name is a DNS subdomain: the hash and its dash must fit after the prefix. */
const MAX_PREFIX_LENGTH = 223;

/**
 * HashControllerRevision: FNV-1 (32 bit) over the revision's data as the API stores it — JSON
 * with every object's keys sorted, as Go marshals the map a controller builds — then, when
 * given, the decimal digits of the collision count; the number's digits re-spelled in the
 * vowel-free alphabet.
 */
export function hashControllerRevision(revision: ControllerRevision, collisionCount?: number): string {
  let hash = FNV32_OFFSET;
  if (revision.data !== undefined) hash = fnv1(hash, Buffer.from(goJson(revision.data), 'utf8'));
  if (collisionCount !== undefined) hash = fnv1(hash, Buffer.from(String(collisionCount), 'utf8'));
  return safeEncodeString(String(hash));
}

/** ControllerRevisionName: "<prefix>-<hash>", the prefix cut to 223 characters. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.slice(0, MAX_PREFIX_LENGTH)}-${hash}`;
}

/**
 * NewControllerRevision: a revision of `parent` holding `data`, labelled with the template's
 * labels and its own hash, controlled by the parent, named after the parent and the hash.
 */
export function newControllerRevision(
  parent: KubeObject,
  parentKind: GroupVersionKind,
  templateLabels: Record<string, string> | undefined,
  data: JsonValue,
  revision: number,
  collisionCount?: number,
): ControllerRevision {
  const cr: ControllerRevision = {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      namespace: parent.metadata.namespace ?? '',
      labels: { ...(templateLabels ?? {}) },
      ownerReferences: [newControllerRef(parent, parentKind)],
    },
    data,
    revision,
  };
  const hash = hashControllerRevision(cr, collisionCount);
  cr.metadata.name = controllerRevisionName(parent.metadata.name ?? '', hash);
  cr.metadata.labels![REVISION_HASH_LABEL] = hash;
  return cr;
}

/**
 * EqualRevision: both hold the same data. Kubernetes takes a shortcut when both hash labels
 * read as 32-bit decimal numbers that differ; safe-encoded hashes almost never do, so in
 * practice the data decides (a revision made under another collision count has another hash
 * label but may hold the same template).
 */
export function equalRevision(a: ControllerRevision, b: ControllerRevision): boolean {
  const [hashA, hashB] = [numericHash(a), numericHash(b)];
  if (hashA !== undefined && hashB !== undefined && hashA !== hashB) return false;
  return isDeepStrictEqual(a.data ?? null, b.data ?? null);
}

/** The hash label as strconv.ParseInt(label, 10, 32) reads it, or undefined. */
function numericHash(revision: ControllerRevision): number | undefined {
  const label = revision.metadata.labels?.[REVISION_HASH_LABEL];
  if (label === undefined || !/^[+-]?[0-9]+$/.test(label)) return undefined;
  const value = Number(label);
  return value >= -(2 ** 31) && value <= 2 ** 31 - 1 ? value >>> 0 : undefined;
}

/** SortControllerRevisions: by revision number, then creation time, then name (a stable sort). */
export function sortRevisions(revs: readonly ControllerRevision[]): ControllerRevision[] {
  return [...revs].sort((a, b) => {
    if (a.revision !== b.revision) return a.revision - b.revision;
    const [createdA, createdB] = [timeOf(a.metadata.creationTimestamp), timeOf(b.metadata.creationTimestamp)];
    if (createdA !== createdB) return createdA - createdB;
    const [nameA, nameB] = [a.metadata.name ?? '', b.metadata.name ?? ''];
    return nameA < nameB ? -1 : nameA > nameB ? 1 : 0;
  });
}

/** The revision number the next snapshot gets: one more than the highest, 1 for the first. */
export function nextRevision(revs: readonly ControllerRevision[]): number {
  return revs.length === 0 ? 1 : Math.max(...revs.map((r) => r.revision)) + 1;
}

/** Conflicting writes of a revision number are retried this many times (retry.DefaultBackoff's steps). */
const UPDATE_RETRIES = 4;

/** The revisions' I/O edge (history.realHistory) over a ControllerRevision client. */
export class RevisionHistory {
  constructor(private readonly client: ResourceClient<ControllerRevision>) {}

  /**
   * Creates `revision` for `parent`. A revision of that name already holding the same data is
   * the one wanted; one holding other data is a hash collision: `collisionCount.value` goes up
   * (the owner records it in status.collisionCount) and the name is computed again.
   */
  async create(parent: KubeObject, revision: ControllerRevision, collisionCount: { value: number }): Promise<ControllerRevision> {
    const client = this.client.namespace(parent.metadata.namespace ?? '');
    for (;;) {
      const name = controllerRevisionName(parent.metadata.name ?? '', hashControllerRevision(revision, collisionCount.value));
      const clone: ControllerRevision = { ...structuredClone(revision), metadata: { ...structuredClone(revision.metadata), name } };
      try {
        return await client.create(clone);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        const existing = await client.get(name);
        if (isDeepStrictEqual(existing.data ?? null, clone.data ?? null)) return existing;
        collisionCount.value++;
      }
    }
  }

  /** Gives an existing revision a new revision number (a rollback to it makes it the newest). */
  async updateRevisionNumber(revision: ControllerRevision, newRevision: number): Promise<ControllerRevision> {
    const client = this.client.namespace(revision.metadata.namespace ?? '');
    let current = revision;
    for (let attempt = 0; ; attempt++) {
      if (current.revision === newRevision) return current;
      try {
        return await client.update({ ...current, revision: newRevision });
      } catch (err) {
        if (!isConflict(err) || attempt >= UPDATE_RETRIES) throw err;
        current = await client.get(revision.metadata.name ?? '');
      }
    }
  }

  async delete(revision: ControllerRevision): Promise<void> {
    await this.client.namespace(revision.metadata.namespace ?? '').delete(revision.metadata.name ?? '');
  }
}

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** FNV-1: multiply, then xor (Go's fnv.New32, which Kubernetes uses here — not FNV-1a). */
function fnv1(seed: number, bytes: Uint8Array): number {
  let hash = seed;
  for (const byte of bytes) hash = (Math.imul(hash, FNV32_PRIME) ^ byte) >>> 0;
  return hash >>> 0;
}

/** JSON as Go's encoding/json writes a map: keys sorted, nulls kept, <, > and & escaped. */
function goJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${goString(k)}:${goJson(value[k]!)}`).join(',')}}`;
  }
  if (typeof value === 'string') return goString(value);
  return JSON.stringify(value);
}

function goString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
