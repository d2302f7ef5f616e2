// Pod creates: 32 clients POST realistic pods as JSON until the cluster holds the bench's
// pods; the anchor sends the store the create transactions those POSTs became, with the
// very bytes the apiserver stored.
import type { ClosedLoopResult } from '../../store/bench/closed-loop.ts';
import { runClosedLoop } from '../../store/bench/closed-loop.ts';
import { createKey, directClient, DIRECT_PREFIX, removeDirectKeys, storedValue } from './direct-store.ts';
import { ApiClient } from './http-client.ts';
import { benchNamespace, benchPod, podManifest } from './pod-manifest.ts';
import type { BenchSizes } from './sizes.ts';

export const CREATE_CLIENTS = 32;

export interface CreateResult {
  /** The creates after the warm-up. */
  measured: ClosedLoopResult;
  /** What one pod takes in the store, for the anchor and the report. */
  storedPod: Buffer;
}

/** Creates the namespaces the pods go in (bench-0 … and bench-watch for the fan-out). */
export async function createNamespaces(url: string, sizes: BenchSizes, extra: string[]): Promise<void> {
  const client = new ApiClient(url, 4);
  try {
    const names = [...Array.from({ length: sizes.namespaces }, (_, i) => benchNamespace(i)), ...extra];
    for (const name of names) await client.json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  } finally {
    client.close();
  }
}

export async function createPods(url: string, endpoint: string, sizes: BenchSizes): Promise<CreateResult> {
  const client = new ApiClient(url, CREATE_CLIENTS);
  const create = (index: number) => {
    const { namespace, name } = benchPod(index, sizes.namespaces);
    return client.request('POST', `/api/v1/namespaces/${namespace}/pods`, { body: podManifest(namespace, name) });
  };
  const loop = (first: number, operations: number) =>
    runClosedLoop({ operations, concurrency: CREATE_CLIENTS, timeLimitMs: sizes.timeLimitMs, request: (index) => create(first + index) });
  try {
    const warmup = await loop(0, sizes.warmupCreates);
    if (warmup.completed === 0) throw new Error(`no pod could be created: ${warmup.firstError}`);
    const measured = await loop(sizes.warmupCreates, sizes.pods - sizes.warmupCreates);
    // A phase cut short by its time limit still leaves the pods the read phases expect.
    const sent = sizes.warmupCreates + measured.completed + measured.failed;
    if (sent < sizes.pods) await loop(sent, sizes.pods - sent);
    const etcd = directClient(endpoint);
    try {
      const first = benchPod(0, sizes.namespaces);
      return { measured, storedPod: await storedValue(etcd, `/registry/pods/${first.namespace}/${first.name}`) };
    } finally {
      etcd.close();
    }
  } finally {
    client.close();
  }
}

/** The anchor: as many create transactions of `storedPod` as measured creates, after the same warm-up. */
export async function createKeysDirectly(endpoint: string, storedPod: Buffer, sizes: BenchSizes): Promise<ClosedLoopResult> {
  const etcd = directClient(endpoint);
  const loop = (prefix: string, operations: number) =>
    runClosedLoop({
      operations,
      concurrency: CREATE_CLIENTS,
      timeLimitMs: sizes.timeLimitMs,
      request: (index) => {
        const { namespace, name } = benchPod(index, sizes.namespaces);
        return createKey(etcd, `${prefix}${namespace}/${name}`, storedPod);
      },
    });
  try {
    await loop(`${DIRECT_PREFIX}warmup/pods/`, sizes.warmupCreates);
    return await loop(`${DIRECT_PREFIX}pods/`, sizes.pods - sizes.warmupCreates);
  } finally {
    await removeDirectKeys(etcd);
    etcd.close();
  }
}
