import { describe, expect, it } from 'vitest';
import type { EtcdClient, WatchResponse, WatchStream } from '@k8ts/store/client/etcd-client.ts';
import { Watcher } from '@k8ts/store/client/etcd-client.ts';
import { TooOldError, WatchCache, type CacheEvent } from './watch-cache.ts';

const PREFIX = '/registry/configmaps/';

/** A watch cache over an in-memory store answer: listed at `listRevision`, then fed by hand. */
async function startedCache(listRevision: number, capacity?: number) {
  const header = { cluster_id: '1', member_id: '1', revision: String(listRevision), raft_term: '1' };
  const etcd = { range: async () => ({ header, kvs: [], more: false, count: '0' }) } as unknown as EtcdClient;
  const watcher = new Watcher('1', {} as WatchResponse);
  const stream = { create: async () => watcher } as unknown as WatchStream;
  const cache = new WatchCache(etcd, () => stream, PREFIX, capacity);
  await cache.start();
  const put = async (name: string, revision: number) => {
    const kv = {
      key: Buffer.from(`${PREFIX}default/${name}`),
      value: Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } })),
      create_revision: String(revision),
      mod_revision: String(revision),
      version: '1',
      lease: '0',
    };
    watcher.responses.push({ ...({} as WatchResponse), header: { ...header, revision: String(revision) }, events: [{ type: 'PUT', kv, prev_kv: null }] });
    await new Promise((r) => setImmediate(r));
  };
  return { cache, put };
}

function collect(): { seen: string[]; subscriber: { onEvent(e: CacheEvent): void; onReset(): void } } {
  const seen: string[] = [];
  return { seen, subscriber: { onEvent: (e) => seen.push(`${e.type} ${e.object.metadata.name}@${e.revision}`), onReset: () => {} } };
}

describe('WatchCache.subscribe', () => {
  it('refuses revisions older than its list, naming the oldest one it can start from', async () => {
    const { cache } = await startedCache(35);
    expect(() => cache.subscribe(34, collect().subscriber)).toThrow(new TooOldError(34, 35));
    expect(() => cache.subscribe(34, collect().subscriber)).toThrow('too old resource version: 34 (35)');
    expect(() => cache.subscribe(35, collect().subscriber)).not.toThrow();
  });

  it('replays history after the revision, then live events', async () => {
    const { cache, put } = await startedCache(10);
    await put('a', 11);
    await put('b', 12);
    const { seen, subscriber } = collect();
    cache.subscribe(11, subscriber);
    await put('c', 13);
    expect(seen).toEqual(['ADDED b@12', 'ADDED c@13']);
  });

  it('does not send live events the client already has from a newer list', async () => {
    const { cache, put } = await startedCache(10);
    const { seen, subscriber } = collect();
    // The client listed at 12 from the store before this cache saw revisions 11 and 12.
    cache.subscribe(12, subscriber);
    await put('a', 11);
    await put('b', 12);
    await put('c', 13);
    expect(seen).toEqual(['ADDED c@13']);
  });

  it('moves the oldest revision forward as history drops events', async () => {
    const { cache, put } = await startedCache(10, 2);
    await put('a', 11);
    await put('b', 12);
    await put('c', 13);
    expect(() => cache.subscribe(10, collect().subscriber)).toThrow('too old resource version: 10 (11)');
    const { seen, subscriber } = collect();
    cache.subscribe(11, subscriber);
    expect(seen).toEqual(['ADDED b@12', 'ADDED c@13']);
  });
});
