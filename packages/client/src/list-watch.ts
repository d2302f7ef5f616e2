// What a reflector needs from the apiserver: list and watch one resource (client-go's
// cache.ListerWatcher), plus the pager that lists in chunks of 500 and follows `continue`.
import type { KubeList, KubeObject } from '@k8ts/api';
import { isExpired } from './errors.ts';
import type { ListOptions } from './options.ts';
import type { ResourceClient } from './resource-client.ts';
import type { Watch } from './watch.ts';

export interface ListerWatcher<T extends KubeObject = KubeObject> {
  list(options: ListOptions, signal?: AbortSignal): Promise<KubeList<T>>;
  watch(options: ListOptions, signal?: AbortSignal): Promise<Watch<T>>;
}

/**
 * cache.NewFilteredListWatchFromClient: list and watch through a ResourceClient (namespaced or
 * not), with a hook to narrow every request (a field selector such as spec.nodeName=<node>).
 */
export function listWatchFor<T extends KubeObject>(client: ResourceClient<T>, tweak?: (options: ListOptions) => void): ListerWatcher<T> {
  const tweaked = (options: ListOptions): ListOptions => {
    const copy = { ...options };
    tweak?.(copy);
    return copy;
  };
  return {
    list: (options, signal) => client.list({ ...tweaked(options), signal }),
    watch: (options, signal) => client.watch({ ...tweaked(options), signal }),
  };
}

/** pager.PageSize. */
export const DEFAULT_PAGE_SIZE = 500;

/**
 * pager.List: every page of a list, joined. Later pages carry only the continue token (it pins
 * the resource version). If a token expires mid-way, the whole list is fetched again in one
 * unpaginated request (FullListIfExpired).
 */
export async function listAllPages<T extends KubeObject>(
  lw: Pick<ListerWatcher<T>, 'list'>,
  options: ListOptions,
  pageSize: number,
  signal?: AbortSignal,
): Promise<{ list: KubeList<T>; paginated: boolean }> {
  const { limit, ...rest } = options;
  const first: ListOptions = limit || pageSize ? { ...rest, limit: limit || pageSize } : rest;
  const items: T[] = [];
  let paginated = false;
  let page = first;
  for (;;) {
    let chunk: KubeList<T>;
    try {
      chunk = await lw.list(page, signal);
    } catch (err) {
      if (!isExpired(err) || !page.continue) throw err;
      return { list: await lw.list(rest, signal), paginated };
    }
    items.push(...chunk.items);
    if (!chunk.metadata.continue) return { list: { ...chunk, items }, paginated };
    // The continue token pins the resource version; sending one too is an error.
    const { resourceVersion: _rv, resourceVersionMatch: _match, ...next } = first;
    page = { ...next, continue: chunk.metadata.continue };
    paginated = true;
  }
}
