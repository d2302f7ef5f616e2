// WATCH: a chunked HTTP response carrying one JSON event per line (contract §6.3), served from
// the resource's watch cache. An object that stops matching the selectors is sent as DELETED,
// one that starts matching as ADDED, as the Kubernetes apiserver does.
import type { KubeObject } from '@k8ts/api';
import { errors } from '../http/api-error.ts';
import { selectorPredicate } from '../registry/list-reader.ts';
import { TooOldError, type CacheEvent } from '../storage/watch-cache.ts';
import { includeObjectPolicy, toTable, wantsTable } from './table.ts';
import { withTypeMeta, type ResourceRequest } from './request-context.ts';

/** Kubernetes closes watches without timeoutSeconds after a random 30–60 minutes. */
const MIN_REQUEST_TIMEOUT_SECONDS = 1800;
const BOOKMARK_INTERVAL_MS = 60_000;
/** A client this far behind is cut off rather than allowed to grow the server's memory. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

type OutType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export async function handleWatch(req: ResourceRequest): Promise<void> {
  const { store, info, query } = req;
  const predicate = selectorPredicate(store, query.get('labelSelector') ?? undefined, query.get('fieldSelector') ?? undefined);
  const namespace = store.info.namespaced ? info.namespace : undefined;
  const matches = (o: KubeObject | undefined): boolean =>
    o !== undefined && (namespace === undefined || o.metadata.namespace === namespace) && (predicate ? predicate(o) : true);
  const rvText = query.get('resourceVersion') ?? '';
  const fromRevision = rvText === '' || rvText === '0' ? undefined : Number(rvText);
  if (fromRevision !== undefined && (!Number.isSafeInteger(fromRevision) || fromRevision < 0)) {
    throw errors.badRequest(`invalid resource version "${rvText}"`);
  }
  const timeoutSeconds = query.has('timeoutSeconds')
    ? Number(query.get('timeoutSeconds'))
    : MIN_REQUEST_TIMEOUT_SECONDS * (1 + Math.random());
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const asTable = wantsTable(req.request.headers.accept);
  const include = includeObjectPolicy(query);
  await store.cache.start();

  const raw = req.reply.raw;
  req.reply.hijack();
  raw.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  raw.flushHeaders();

  let firstTable = true;
  let closed = false;
  const render = (object: KubeObject): KubeObject => {
    if (!asTable) return withTypeMeta(store, object);
    const table = toTable(store, [object], { now: req.parts.now(), include, withColumns: firstTable });
    firstTable = false;
    return table;
  };
  const send = (type: OutType, object: unknown): void => {
    if (closed) return;
    raw.write(JSON.stringify({ type, object }) + '\n');
    if (raw.writableLength > MAX_BUFFERED_BYTES) finish();
  };
  const onEvent = (event: CacheEvent): void => {
    const now = matches(event.object) && event.type !== 'DELETED';
    const before = event.type === 'ADDED' ? false : matches(event.previous ?? event.object);
    if (event.type === 'DELETED') {
      if (before) send('DELETED', render(event.object));
    } else if (now && before) send('MODIFIED', render(event.object));
    else if (now) send('ADDED', render(event.object));
    else if (before) send('DELETED', render(event.object));
  };

  let unsubscribe = (): void => {};
  const timers: NodeJS.Timeout[] = [];
  const finish = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    raw.end();
  };
  raw.on('close', finish);
  try {
    if (fromRevision === undefined) {
      // Synthetic ADDED for the current state, then everything after it.
      const { objects, revision } = store.cache.snapshot();
      for (const o of objects) if (matches(o)) send('ADDED', render(o));
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
  timers.push(setTimeout(finish, Math.max(0, timeoutSeconds) * 1000));
  if (bookmarks) {
    const bookmark = (): void => {
      send('BOOKMARK', { kind: store.info.kind, apiVersion: store.apiVersion, metadata: { resourceVersion: String(store.cache.currentRevision) } });
      timers.push(setTimeout(bookmark, BOOKMARK_INTERVAL_MS));
    };
    timers.push(setTimeout(bookmark, BOOKMARK_INTERVAL_MS));
  }
}
