// The anchor: the same store operations the apiserver performs, sent straight to the store
// with the etcd client over one connection (the apiserver also uses one).
import { EtcdClient, prefixEnd } from '@k8ts/store/client/etcd-client.ts';

/** Where the anchor writes, away from /registry so the apiserver never sees these keys. */
export const DIRECT_PREFIX = '/bench-direct/';

export function directClient(endpoint: string): EtcdClient {
  return new EtcdClient(endpoint, { ownConnection: true });
}

/** What the apiserver sends to create an object: put `key` only if it does not exist yet. */
export async function createKey(etcd: EtcdClient, key: string, value: Buffer): Promise<void> {
  const response = await etcd.txn({
    compare: [{ key, target: 'CREATE', result: 'EQUAL', create_revision: 0 }],
    success: [{ request_put: { key, value } }],
  });
  if (!response.succeeded) throw new Error(`${key} already exists`);
}

/** The stored bytes of one object, as the apiserver wrote them. */
export async function storedValue(etcd: EtcdClient, key: string): Promise<Buffer> {
  const response = await etcd.range({ key });
  const kv = response.kvs[0];
  if (!kv) throw new Error(`${key} is not in the store`);
  return kv.value;
}

/** Removes the anchor's keys so every phase starts from the apiserver's data alone. */
export async function removeDirectKeys(etcd: EtcdClient): Promise<void> {
  await etcd.deleteRange({ key: DIRECT_PREFIX, range_end: prefixEnd(DIRECT_PREFIX) });
}
