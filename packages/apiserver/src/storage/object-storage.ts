// The apiserver's only door to the store: objects as JSON under /registry keys, with the etcd
// modification revision as each object's resourceVersion (as Kubernetes does). Writes are
// compare-and-swap transactions on that revision, so two writers can never both win. Reads hand
// out StoredValues: the stored bytes, parsed only if someone looks inside.
import type { EtcdClient, KeyValue } from '@k8ts/store/client/etcd-client.ts';
import { prefixEnd } from '@k8ts/store/client/etcd-client.ts';
import type { KubeObject } from '@k8ts/api';
import { LeaseCache } from './lease-cache.ts';
import { encodeStored, stampRevision, StoredValue } from './stored-value.ts';

export type { StoredObject } from './stored-value.ts';

export interface ListPage {
  readonly items: StoredValue[];
  /** the store revision the page was read at */
  readonly revision: number;
  /** key to continue from, when more remain */
  readonly nextKey?: string;
  readonly remaining: number;
}

export class CompactedError extends Error {
  constructor(readonly revision: number, readonly compactRevision: number) {
    super(`required revision ${revision} has been compacted (compacted at ${compactRevision})`);
  }
}

export function decodeStored(kv: KeyValue): StoredValue {
  return new StoredValue(kv.value, Number(kv.mod_revision));
}

export class ObjectStorage {
  private readonly leases: LeaseCache;

  constructor(readonly etcd: EtcdClient, now: () => number = Date.now) {
    this.leases = new LeaseCache(etcd, now);
  }

  async get(key: string): Promise<StoredValue | undefined> {
    const response = await this.etcd.range({ key });
    const kv = response.kvs[0];
    return kv ? decodeStored(kv) : undefined;
  }

  /** The store's current revision, read (like Kubernetes) with a count-only range of `prefix`. */
  async currentRevision(prefix = '/registry/'): Promise<number> {
    const response = await this.etcd.range({ key: prefix, range_end: prefixEnd(prefix), count_only: true });
    return Number(response.header.revision);
  }

  /** One page of objects under `prefix`, in key order, read at `revision` (0 = latest). */
  async list(prefix: string, options: { limit?: number; fromKey?: string; revision?: number } = {}): Promise<ListPage> {
    try {
      const response = await this.etcd.range({
        key: options.fromKey ?? prefix,
        range_end: prefixEnd(prefix),
        ...(options.limit ? { limit: options.limit } : {}),
        ...(options.revision ? { revision: options.revision } : {}),
      });
      const items = response.kvs.map(decodeStored);
      const revision = options.revision || Number(response.header.revision);
      const remaining = Number(response.count) - items.length;
      if (!response.more || items.length === 0) return { items, revision, remaining: 0 };
      const lastKey = response.kvs[response.kvs.length - 1]!.key.toString('utf8');
      return { items, revision, nextKey: `${lastKey}\x00`, remaining };
    } catch (err) {
      const compacted = /required revision has been compacted/.test(String((err as Error).message));
      if (compacted && options.revision) throw new CompactedError(options.revision, 0);
      throw err;
    }
  }

  /** Creates `key`; undefined when it already exists. `ttlSeconds` attaches a lease (Events). */
  async create(key: string, object: KubeObject, ttlSeconds?: number): Promise<StoredValue | undefined> {
    const lease = ttlSeconds ? await this.leases.leaseFor(ttlSeconds) : undefined;
    const value = encodeStored(object);
    const response = await this.etcd.txn({
      compare: [{ key, target: 'CREATE', result: 'EQUAL', create_revision: 0 }],
      success: [{ request_put: { key, value, ...(lease ? { lease } : {}) } }],
    });
    if (!response.succeeded) return undefined;
    return written(value, object, Number(response.header.revision));
  }

  /** Replaces `key` if its revision is still `expectedRevision`; undefined when it moved on or vanished. */
  async update(key: string, object: KubeObject, expectedRevision: number, ttlSeconds?: number): Promise<StoredValue | undefined> {
    const lease = ttlSeconds ? await this.leases.leaseFor(ttlSeconds) : undefined;
    const value = encodeStored(object);
    const response = await this.etcd.txn({
      compare: [{ key, target: 'MOD', result: 'EQUAL', mod_revision: expectedRevision }],
      success: [{ request_put: { key, value, ...(lease ? { lease } : {}) } }],
    });
    if (!response.succeeded) return undefined;
    return written(value, object, Number(response.header.revision));
  }

  /** Deletes `key` if its revision is still `expectedRevision`; the deleted object, or undefined if it moved on. */
  async delete(key: string, expectedRevision: number): Promise<StoredValue | undefined> {
    const response = await this.etcd.txn({
      compare: [{ key, target: 'MOD', result: 'EQUAL', mod_revision: expectedRevision }],
      success: [{ request_delete_range: { key, prev_kv: true } }],
    });
    if (!response.succeeded) return undefined;
    const prev = response.responses[0]?.response_delete_range?.prev_kvs[0];
    if (!prev) return undefined;
    return new StoredValue(prev.value, Number(response.header.revision));
  }

  close(): void {
    this.etcd.close();
  }
}

/** What a write stored, served as of its revision: the caller's object needs no parse. */
function written(value: Buffer, object: KubeObject, revision: number): StoredValue {
  return new StoredValue(value, revision, stampRevision(object, revision));
}
