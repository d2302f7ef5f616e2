// LIST with Kubernetes 1.32's resourceVersion semantics (contract §6.1–6.2), read where the
// Kubernetes cacher reads it (its shouldDelegateList):
//   ""/unset — a consistent read of the latest state: from the watch cache once it has caught up
//              with the store's current revision (ConsistentListFromCache), when the store's
//              progress notifications can be trusted for that; from the store otherwise;
//   "0"      — whatever the watch cache holds (limit ignored, like the real server);
//   "N"      — state at least as new as N from the watch cache; resourceVersionMatch=Exact reads
//              exactly N from the store.
// A limit (with any resourceVersion but "0") and a continue token are paginated from the store.
import type { KubeObject } from '@k8ts/api';
import { fieldsOf, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, validateFieldSelector, SelectorError } from '@k8ts/api/selectors/index.ts';
import { goQuote } from '@k8ts/api/validation/go-format.ts';
import { ApiError, errors } from '../http/api-error.ts';
import { GoNumberError, parseGoUint64 } from '../http/query-params.ts';
import { watchProgressSupported } from '../storage/etcd-features.ts';
import { CompactedError } from '../storage/object-storage.ts';
import type { StoredValue } from '../storage/stored-value.ts';
import { ContinueTokenError, decodeContinue, encodeContinue } from './continue-token.ts';
import type { ResourceStore } from './resource-store.ts';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** A list as stored values, which an answer can write without encoding them again. */
export interface ListedValues {
  values: StoredValue[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export type ObjectPredicate = (object: KubeObject) => boolean;

/** The selectors of a request as one predicate; 400 BadRequest for a malformed selector. */
export function selectorPredicate(store: ResourceStore, labelSelector?: string, fieldSelector?: string): ObjectPredicate | undefined {
  if (!labelSelector && !fieldSelector) return undefined;
  try {
    const labels = labelSelector ? parseLabelSelector(labelSelector) : [];
    const fields = fieldSelector ? parseFieldSelector(fieldSelector) : [];
    validateFieldSelector(store.info.group, store.info.resource, fields);
    return (object) =>
      matchesLabels(labels, object.metadata.labels) &&
      (fields.length === 0 || matchesFields(fields, fieldsOf(store.info.group, store.info.resource, object)));
  } catch (err) {
    if (err instanceof SelectorError) throw errors.badRequest(err.message);
    throw err;
  }
}

/** Kubernetes' watch cache waits this long to catch up with a resourceVersion before giving up. */
const FRESHNESS_TIMEOUT_MS = 3000;

const EXPIRED_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export async function listObjects(store: ResourceStore, namespace: string | undefined, options: ListOptions): Promise<ListResult> {
  const { values, ...meta } = await listValues(store, namespace, options);
  return { items: values.map((v) => v.object), ...meta };
}

/** The objects as the store's endpoint serves them (selectors match them as stored). */
export async function listValues(store: ResourceStore, namespace: string | undefined, options: ListOptions): Promise<ListedValues> {
  const listed = await listStoredValues(store, namespace, options);
  return store.converts ? { ...listed, values: listed.values.map((v) => store.servedValue(v)) } : listed;
}

async function listStoredValues(store: ResourceStore, namespace: string | undefined, options: ListOptions): Promise<ListedValues> {
  const predicate = selectorPredicate(store, options.labelSelector, options.fieldSelector);
  // With selectors the remaining count is unknown, so Kubernetes leaves it out.
  const countRemaining = predicate === undefined;
  const prefix = store.prefixFor(namespace);
  const rv = options.resourceVersion ?? '';
  const match = options.resourceVersionMatch ?? '';
  const pages = (revision: number, fromKey?: string) =>
    readPages(store, prefix, predicate, { countRemaining, limit: options.limit, revision, fromKey });
  if (options.continue) {
    let token: { fromKey: string; revision: number };
    try {
      token = decodeContinue(options.continue, prefix);
    } catch (err) {
      if (err instanceof ContinueTokenError) throw errors.badRequest(`invalid continue token: ${err.message}`);
      throw err;
    }
    if (rv && rv !== '0') throw errors.badRequest('specifying resource version is not allowed when using continue');
    return pages(token.revision, token.fromKey);
  }
  if (rv === '0') return readCache(store, prefix, predicate, 0);
  const requested = rv === '' ? 0 : parseRevision(rv);
  if (match === 'Exact') return pages(requested);
  if (options.limit) {
    // Without a match, a resourceVersion with a limit is the legacy exact read.
    if (match === '') return pages(requested);
    const listed = await pages(0);
    if (Number(listed.resourceVersion) < requested) throw tooLargeResourceVersion(requested, Number(listed.resourceVersion));
    return listed;
  }
  if (rv !== '') return readCache(store, prefix, predicate, requested);
  return (await consistentReadFromCache(store, prefix, predicate)) ?? pages(0);
}

/**
 * A resourceVersion from the query, refused as the storage layer words it. (Kubernetes 1.32 lets
 * this error escape as a 500 when the watch cache serves the request; a 400 is what it means.)
 */
export function parseRevision(text: string): number {
  try {
    return parseGoUint64(text);
  } catch (err) {
    if (!(err instanceof GoNumberError)) throw err;
    throw errors.badRequest(`invalid resource version: resourceVersion: Invalid value: ${goQuote(text)}: ${err.message}`);
  }
}

/**
 * ConsistentListFromCache: the store's current revision (one cheap count-only range), then the
 * cache once it has seen everything up to it. Undefined when the store must serve the read: its
 * progress notifications cannot be trusted, the cache is (re)starting, or it did not catch up in
 * time.
 */
async function consistentReadFromCache(store: ResourceStore, prefix: string, predicate: ObjectPredicate | undefined): Promise<ListedValues | undefined> {
  if (!store.cache.isReady || !(await watchProgressSupported(store.storage.etcd))) return undefined;
  const current = await store.storage.currentRevision(store.cache.prefix);
  const fresh = await store.cache.waitUntilFresh(current, { timeoutMs: FRESHNESS_TIMEOUT_MS, progressRequests: true });
  return fresh ? fromCache(store, prefix, predicate) : undefined;
}

/** A read of at least revision `atLeast` (0: any) from the watch cache. */
async function readCache(store: ResourceStore, prefix: string, predicate: ObjectPredicate | undefined, atLeast: number): Promise<ListedValues> {
  await store.cache.start();
  if (store.cache.currentRevision < atLeast) {
    // The cache of a quiet resource only learns of newer store revisions from its own events,
    // progress notifications it asks for, or rare periodic ones; a revision another resource
    // handed out can be ahead of it.
    const current = await store.storage.currentRevision(store.cache.prefix);
    if (atLeast <= current) {
      if (!(await watchProgressSupported(store.storage.etcd))) return readPages(store, prefix, predicate, { countRemaining: false, revision: 0 });
      await store.cache.waitUntilFresh(current, { timeoutMs: FRESHNESS_TIMEOUT_MS, progressRequests: true });
    } else {
      await store.cache.waitUntilFresh(atLeast, { timeoutMs: FRESHNESS_TIMEOUT_MS, progressRequests: false });
    }
    if (store.cache.currentRevision < atLeast) throw tooLargeResourceVersion(atLeast, store.cache.currentRevision);
  }
  return fromCache(store, prefix, predicate);
}

function fromCache(store: ResourceStore, prefix: string, predicate: ObjectPredicate | undefined): ListedValues {
  const { values, revision } = store.cache.list(prefix);
  return { values: predicate ? values.filter((v) => predicate(v.object)) : values, resourceVersion: String(revision) };
}

function tooLargeResourceVersion(requested: number, current: number): ApiError {
  return new ApiError(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

interface PageOptions {
  countRemaining: boolean;
  limit?: number | undefined;
  /** the revision to read at; 0 for the latest */
  revision: number;
  fromKey?: string | undefined;
}

/** Reads from the store, page by page until `limit` objects matched (or all, without a limit). */
async function readPages(store: ResourceStore, prefix: string, predicate: ObjectPredicate | undefined, options: PageOptions): Promise<ListedValues> {
  const { limit, countRemaining } = options;
  const values: StoredValue[] = [];
  let at = options.revision;
  let nextKey = options.fromKey;
  try {
    for (;;) {
      const wanted = limit ? limit - values.length : undefined;
      const page = await store.storage.list(prefix, {
        ...(wanted ? { limit: Math.max(wanted, 1) } : {}),
        ...(nextKey ? { fromKey: nextKey } : {}),
        ...(at ? { revision: at } : {}),
      });
      at = page.revision;
      for (const item of page.items) if (!predicate || predicate(item.object)) values.push(item);
      if (!page.nextKey) return { values, resourceVersion: String(at) };
      nextKey = page.nextKey;
      if (limit && values.length >= limit) {
        return {
          values,
          resourceVersion: String(at),
          continue: encodeContinue(nextKey, prefix, at),
          ...(countRemaining ? { remainingItemCount: page.remaining } : {}),
        };
      }
    }
  } catch (err) {
    if (err instanceof CompactedError) throw errors.expired(EXPIRED_CONTINUE);
    throw err;
  }
}
