// Reads with the bench's pods in the cluster: single GETs by 32 clients, and lists one at a
// time — every pod as JSON, as a Table (what kubectl get asks for), from the watch cache
// (resourceVersion=0, what informers ask for), and one namespace's pods. The anchor reads the
// same keys from the store: one key per GET, the same prefix per list.
import type { ClosedLoopResult } from '../../store/bench/closed-loop.ts';
import { runClosedLoop } from '../../store/bench/closed-loop.ts';
import { prefixEnd } from '@k8ts/store/client/etcd-client.ts';
import { directClient } from './direct-store.ts';
import { ApiClient } from './http-client.ts';
import { benchNamespace, benchPod } from './pod-manifest.ts';
import type { BenchSizes } from './sizes.ts';

export const GET_CLIENTS = 32;

/** kubectl 1.32's Accept header for `kubectl get`. */
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export type ListKind = 'cluster' | 'table' | 'cache' | 'namespace';

export interface ListSpec {
  kind: ListKind;
  label: string;
  path: string;
  accept?: string;
  /** The store prefix the apiserver reads for it. */
  prefix: string;
  /** Whether the store read may be stale (the watch cache's is). */
  serializable: boolean;
  /** Whether it returns every pod (the 1 s target is about those). */
  everyPod: boolean;
}

export const LIST_SPECS: readonly ListSpec[] = [
  { kind: 'cluster', label: 'list all pods', path: '/api/v1/pods', prefix: '/registry/pods/', serializable: false, everyPod: true },
  { kind: 'table', label: 'list all pods as Table', path: '/api/v1/pods', accept: TABLE_ACCEPT, prefix: '/registry/pods/', serializable: false, everyPod: true },
  { kind: 'cache', label: 'list all pods, resourceVersion=0', path: '/api/v1/pods?resourceVersion=0', prefix: '/registry/pods/', serializable: true, everyPod: true },
  {
    kind: 'namespace',
    label: `list one namespace's pods`,
    path: `/api/v1/namespaces/${benchNamespace(0)}/pods`,
    prefix: `/registry/pods/${benchNamespace(0)}/`,
    serializable: false,
    everyPod: false,
  },
];

export interface ListResult {
  /** Items (JSON) or rows (Table) in the answer. */
  items: number;
  /** Size of one answer. */
  bytes: number;
  timing: ClosedLoopResult;
}

export async function getPods(url: string, sizes: BenchSizes): Promise<ClosedLoopResult> {
  const client = new ApiClient(url, GET_CLIENTS);
  const get = (index: number) => {
    const { namespace, name } = benchPod(index % sizes.pods, sizes.namespaces);
    return client.request('GET', `/api/v1/namespaces/${namespace}/pods/${name}`);
  };
  try {
    return await getLoop(get, sizes);
  } finally {
    client.close();
  }
}

export async function getKeysDirectly(endpoint: string, sizes: BenchSizes): Promise<ClosedLoopResult> {
  const etcd = directClient(endpoint);
  const get = async (index: number) => {
    const { namespace, name } = benchPod(index % sizes.pods, sizes.namespaces);
    const response = await etcd.range({ key: `/registry/pods/${namespace}/${name}` });
    if (response.kvs.length !== 1) throw new Error(`get returned ${response.kvs.length} keys`);
  };
  try {
    return await getLoop(get, sizes);
  } finally {
    etcd.close();
  }
}

/** The same warm-up and measured gets for both sides; the warm-up starts elsewhere in the pods. */
async function getLoop(get: (index: number) => Promise<unknown>, sizes: BenchSizes): Promise<ClosedLoopResult> {
  const offset = Math.floor(sizes.pods / 2);
  await runClosedLoop({ operations: sizes.warmupGets, concurrency: GET_CLIENTS, timeLimitMs: sizes.timeLimitMs, request: (i) => get(offset + i) });
  return runClosedLoop({ operations: sizes.gets, concurrency: GET_CLIENTS, timeLimitMs: sizes.timeLimitMs, request: get });
}

/** One unmeasured list whose answer is decoded and counted, then `listRepeats` measured ones. */
export async function listPods(url: string, spec: ListSpec, sizes: BenchSizes): Promise<ListResult> {
  const client = new ApiClient(url, 1);
  const list = () => client.request('GET', spec.path, spec.accept ? { accept: spec.accept } : {});
  try {
    const first = await list();
    const decoded = JSON.parse(first.body.toString('utf8')) as { items?: unknown[]; rows?: unknown[] };
    const items = (spec.accept ? decoded.rows : decoded.items)?.length ?? 0;
    const timing = await runClosedLoop({ operations: sizes.listRepeats, concurrency: 1, timeLimitMs: sizes.timeLimitMs, request: list });
    return { items, bytes: first.body.length, timing };
  } finally {
    client.close();
  }
}

/** The anchor of a list: a range over the prefix the apiserver reads, as many times. */
export async function listKeysDirectly(endpoint: string, spec: ListSpec, sizes: BenchSizes): Promise<ListResult> {
  const etcd = directClient(endpoint);
  const range = () => etcd.range({ key: spec.prefix, range_end: prefixEnd(spec.prefix), serializable: spec.serializable });
  try {
    const first = await range();
    const bytes = first.kvs.reduce((sum, kv) => sum + kv.key.length + kv.value.length, 0);
    const timing = await runClosedLoop({ operations: sizes.listRepeats, concurrency: 1, timeLimitMs: sizes.timeLimitMs, request: range });
    return { items: first.kvs.length, bytes, timing };
  } finally {
    etcd.close();
  }
}
