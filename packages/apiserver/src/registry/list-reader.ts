// LIST with Kubernetes' resourceVersion semantics (contract §6.1–6.2):
//   ""/unset — a consistent read of the latest state, from the store, paginated by limit/continue;
//   "0"      — whatever the watch cache holds (limit ignored, like the real server);
//   "N"      — state at least as new as N (Exact: exactly N, from the store).
import type { KubeObject } from '@k8ts/api';
import { fieldsOf, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, validateFieldSelector, SelectorError } from '@k8ts/api/selectors/index.ts';
import { goQuote } from '@k8ts/api/validation/go-format.ts';
import { ApiError, errors } from '../http/api-error.ts';
import { GoNumberError, parseGoUint64 } from '../http/query-params.ts';
import { CompactedError } from '../storage/object-storage.ts';
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

const EXPIRED_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export async function listObjects(store: ResourceStore, namespace: string | undefined, options: ListOptions): Promise<ListResult> {
  const predicate = selectorPredicate(store, options.labelSelector, options.fieldSelector);
  const matches = predicate ?? (() => true);
  // With selectors the remaining count is unknown, so Kubernetes leaves it out.
  const countRemaining = predicate === undefined;
  const prefix = store.prefixFor(namespace);
  const rv = options.resourceVersion;
  if (options.continue) {
    let token: { fromKey: string; revision: number };
    try {
      token = decodeContinue(options.continue, prefix);
    } catch (err) {
      if (err instanceof ContinueTokenError) throw errors.badRequest(`invalid continue token: ${err.message}`);
      throw err;
    }
    if (rv && rv !== '0') throw errors.badRequest('specifying resource version is not allowed when using continue');
    return readPages(store, prefix, matches, countRemaining, options.limit, token.revision, token.fromKey);
  }
  if (rv === '0' || (rv && options.resourceVersionMatch !== 'Exact' && !options.limit)) {
    return readCache(store, prefix, matches, rv === '0' ? 0 : parseRevision(rv));
  }
  const exact = rv ? parseRevision(rv) : 0;
  return readPages(store, prefix, matches, countRemaining, options.limit, exact, undefined);
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

async function readCache(store: ResourceStore, prefix: string, matches: ObjectPredicate, atLeast: number): Promise<ListResult> {
  await store.cache.start();
  if (store.cache.currentRevision < atLeast && atLeast <= (await store.storage.currentRevision())) {
    // The cache of a quiet resource only learns of newer store revisions from its own events (or
    // rare progress notifications), so a revision another resource handed out can be ahead of it.
    // A read from the store is at least that new.
    return readPages(store, prefix, matches, false, undefined, 0, undefined);
  }
  await waitForRevision(store, atLeast);
  const { objects, revision } = store.cache.snapshot();
  const items = objects.filter((o) => keyOf(store, o).startsWith(prefix) && matches(o));
  return { items, resourceVersion: String(revision) };
}

/** Kubernetes waits up to 3 s for its cache to catch up with a requested resourceVersion. */
async function waitForRevision(store: ResourceStore, revision: number): Promise<void> {
  const deadline = Date.now() + 3000;
  while (store.cache.currentRevision < revision) {
    if (Date.now() > deadline) {
      throw new ApiError(504, 'Timeout', `Timeout: Too large resource version: ${revision}, current: ${store.cache.currentRevision}`, {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      });
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

function keyOf(store: ResourceStore, object: KubeObject): string {
  return store.key(object.metadata.namespace, object.metadata.name!);
}

async function readPages(
  store: ResourceStore,
  prefix: string,
  matches: ObjectPredicate,
  countRemaining: boolean,
  limit: number | undefined,
  revision: number,
  fromKey: string | undefined,
): Promise<ListResult> {
  const items: KubeObject[] = [];
  let at = revision;
  let nextKey = fromKey;
  try {
    for (;;) {
      const wanted = limit ? limit - items.length : undefined;
      const page = await store.storage.list(prefix, {
        ...(wanted ? { limit: Math.max(wanted, 1) } : {}),
        ...(nextKey ? { fromKey: nextKey } : {}),
        ...(at ? { revision: at } : {}),
      });
      at = page.revision;
      for (const item of page.items) if (matches(item.object)) items.push(item.object);
      if (!page.nextKey) return { items, resourceVersion: String(at) };
      nextKey = page.nextKey;
      if (limit && items.length >= limit) {
        return {
          items,
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
