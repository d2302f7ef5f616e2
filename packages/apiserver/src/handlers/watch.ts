// WATCH: a chunked HTTP response carrying one JSON event per line (contract §6.3), served from
// the resource's watch cache. An object that stops matching the selectors is sent as DELETED,
// one that starts matching as ADDED, as the Kubernetes apiserver does. Selectors match objects as
// stored; what is sent is converted to the version the request names.
import type { KubeObject } from '@k8ts/api';
import { errors } from '../http/api-error.ts';
import { queryInt64 } from '../http/query-params.ts';
import { queryFlag } from '../http/request-info.ts';
import { parseRevision, selectorPredicate } from '../registry/list-reader.ts';
import type { StoredValue } from '../storage/stored-value.ts';
import { TooOldError, type CacheEvent } from '../storage/watch-cache.ts';
import { EventLineCache } from './event-line-cache.ts';
import { WatchWriter } from './watch-writer.ts';
import { includeObjectPolicy, toTable, wantsTable } from './table.ts';
import { withTypeMeta, type ResourceRequest } from './request-context.ts';

/** Kubernetes closes watches without timeoutSeconds after a random 30–60 minutes. */
const MIN_REQUEST_TIMEOUT_SECONDS = 1800;
const BOOKMARK_INTERVAL_MS = 60_000;
const BOOKMARK_BEFORE_DEADLINE_MS = 2_000;
/** A client this far behind is cut off rather than allowed to grow the server's memory. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

type OutType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** JSON lines of the event being fanned out, shared by every JSON watch (Table rows are per watcher). */
const eventLines = new EventLineCache<CacheEvent, Buffer>();

export async function handleWatch(req: ResourceRequest): Promise<void> {
  const { store, info, query } = req;
  const predicate = selectorPredicate(store, query.get('labelSelector') ?? undefined, query.get('fieldSelector') ?? undefined);
  const namespace = store.info.namespaced ? info.namespace : undefined;
  // The deprecated "/watch/…/{name}" path watches that one object.
  const matches = (o: KubeObject | undefined): boolean =>
    o !== undefined &&
    (namespace === undefined || o.metadata.namespace === namespace) &&
    (info.name === undefined || o.metadata.name === info.name) &&
    (predicate ? predicate(o) : true);
  const rvText = query.get('resourceVersion') ?? '';
  const fromRevision = rvText === '' || rvText === '0' ? undefined : parseRevision(rvText);
  const timeoutSeconds = watchTimeoutSeconds(query.get('timeoutSeconds'));
  const bookmarks = queryFlag(query, 'allowWatchBookmarks');
  const asTable = wantsTable(req.request.headers.accept);
  const include = includeObjectPolicy(query);
  await store.cache.start();

  const raw = req.reply.raw;
  req.reply.hijack();
  raw.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  raw.flushHeaders();

  const out = new WatchWriter(raw);
  let firstTable = true;
  let closed = false;
  const render = (object: KubeObject): KubeObject => {
    if (!asTable) return withTypeMeta(store, object);
    const table = toTable(store, [object], { now: req.parts.now(), include, withColumns: firstTable });
    firstTable = false;
    return table;
  };
  const encode = (type: OutType, object: unknown): string => JSON.stringify({ type, object }) + '\n';
  const typeMeta = { apiVersion: store.apiVersion, kind: store.info.kind };
  // A JSON event line around the object's served bytes, so no watcher encodes the object again.
  const lineOf = (type: OutType, value: StoredValue): Buffer =>
    Buffer.concat([Buffer.from(`{"type":"${type}","object":`), value.served(typeMeta), Buffer.from('}\n')]);
  const writeLine = (line: string | Buffer): void => {
    if (closed) return;
    out.write(line);
    if (out.backlogBytes > MAX_BUFFERED_BYTES) finish();
  };
  const send = (type: OutType, object: unknown): void => writeLine(encode(type, object));
  const sendEvent = (type: 'ADDED' | 'MODIFIED' | 'DELETED', event: CacheEvent): void => {
    if (asTable) send(type, render(store.toServed(event.object)));
    else writeLine(eventLines.line(event, `${store.apiVersion} ${store.info.kind} ${type}`, () => lineOf(type, store.servedValue(event.value))));
  };
  const onEvent = (event: CacheEvent): void => {
    const now = matches(event.object) && event.type !== 'DELETED';
    const before = event.type === 'ADDED' ? false : matches(event.previous ?? event.object);
    if (event.type === 'DELETED') {
      if (before) sendEvent('DELETED', event);
    } else if (now && before) sendEvent('MODIFIED', event);
    else if (now) sendEvent('ADDED', event);
    else if (before) {
      // Leaving the selection: the content the watcher last matched, at this event's resourceVersion.
      const left = store.servedValue((event.previousValue ?? event.value).at(event.revision));
      if (asTable) send('DELETED', render(left.object));
      else writeLine(lineOf('DELETED', left));
    }
  };

  let unsubscribe = (): void => {};
  const timers: NodeJS.Timeout[] = [];
  const finish = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    out.flush();
    raw.end();
  };
  raw.on('close', finish);
  try {
    if (fromRevision === undefined) {
      // Synthetic ADDED for the current state, then everything after it.
      const { values, revision } = store.cache.list(store.prefixFor(namespace));
      for (const value of values) {
        if (!matches(value.object)) continue;
        const served = store.servedValue(value);
        if (asTable) send('ADDED', render(served.object));
        else writeLine(lineOf('ADDED', served));
      }
      unsubscribe = store.cache.subscribe(revision, { onEvent, onReset: finish });
    } else {
      unsubscribe = store.cache.subscribe(fromRevision, { onEvent, onReset: finish });
    }
  } catch (err) {
    if (!(err instanceof TooOldError)) throw err;
    send('ERROR', errors.expired(err.message).toStatus());
    finish();
    return;
  }
  if (closed) unsubscribe();
  const deadline = Date.now() + Math.max(0, timeoutSeconds) * 1000;
  // (Node fires longer timers at once, so a deadline beyond ~24 days waits that long instead.)
  timers.push(setTimeout(finish, Math.min(deadline - Date.now(), 2 ** 31 - 1)));
  if (bookmarks) {
    // Like Kubernetes' watch cache: a bookmark every minute, and one 2 s before the deadline so
    // the client resumes from as recent a resourceVersion as possible.
    const scheduleBookmark = (): void => {
      const now = Date.now();
      const at = Math.min(now + BOOKMARK_INTERVAL_MS, deadline - BOOKMARK_BEFORE_DEADLINE_MS);
      if (at <= now) return;
      timers.push(
        setTimeout(() => {
          send('BOOKMARK', { kind: store.info.kind, apiVersion: store.apiVersion, metadata: { resourceVersion: String(store.cache.currentRevision) } });
          scheduleBookmark();
        }, at - now),
      );
    };
    scheduleBookmark();
  }
}

/** ?timeoutSeconds as an int64; without it (or 0) a random 30–60 minutes, as Kubernetes does. */
function watchTimeoutSeconds(text: string | null): number {
  const seconds = text === null ? 0 : queryInt64(text);
  return seconds !== 0 ? seconds : MIN_REQUEST_TIMEOUT_SECONDS * (1 + Math.random());
}
