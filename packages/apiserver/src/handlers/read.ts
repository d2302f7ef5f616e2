// GET of one object and LIST of a collection, as JSON or as a Table for `kubectl get`.
import { includeObjectPolicy, toTable, wantsTable } from './table.ts';
import { listObjects } from '../registry/list-reader.ts';
import { queryInt64 } from '../http/query-params.ts';
import { sendObject, withTypeMeta, type ResourceRequest } from './request-context.ts';

export async function handleGet(req: ResourceRequest): Promise<void> {
  const { store, info } = req;
  const { object } = await store.get(info.namespace, info.name!);
  if (wantsTable(req.request.headers.accept)) {
    sendObject(req, 200, toTable(store, [object], { now: req.parts.now(), include: includeObjectPolicy(req.query), resourceVersion: object.metadata.resourceVersion! }));
    return;
  }
  sendObject(req, 200, withTypeMeta(store, object));
}

/** ?limit as an int64; zero and negative limits mean "everything", as in Kubernetes. */
function parseLimit(text: string | null): number | undefined {
  if (text === null) return undefined;
  const limit = queryInt64(text);
  return limit > 0 ? limit : undefined;
}

export async function handleList(req: ResourceRequest): Promise<void> {
  const { store, info, query } = req;
  const limit = parseLimit(query.get('limit'));
  const result = await listObjects(store, info.namespace, {
    ...(query.get('labelSelector') ? { labelSelector: query.get('labelSelector')! } : {}),
    ...(query.get('fieldSelector') ? { fieldSelector: query.get('fieldSelector')! } : {}),
    ...(limit ? { limit } : {}),
    ...(query.get('continue') ? { continue: query.get('continue')! } : {}),
    ...(query.has('resourceVersion') ? { resourceVersion: query.get('resourceVersion')! } : {}),
    ...(query.get('resourceVersionMatch') ? { resourceVersionMatch: query.get('resourceVersionMatch')! } : {}),
  });
  if (wantsTable(req.request.headers.accept)) {
    sendObject(
      req,
      200,
      toTable(store, result.items, {
        now: req.parts.now(),
        include: includeObjectPolicy(query),
        resourceVersion: result.resourceVersion,
        ...(result.continue ? { continue: result.continue } : {}),
        ...(result.remainingItemCount !== undefined ? { remainingItemCount: result.remainingItemCount } : {}),
      }),
    );
    return;
  }
  sendObject(req, 200, {
    kind: store.info.listKind,
    apiVersion: store.apiVersion,
    metadata: {
      resourceVersion: result.resourceVersion,
      ...(result.continue ? { continue: result.continue } : {}),
      ...(result.remainingItemCount !== undefined ? { remainingItemCount: result.remainingItemCount } : {}),
    },
    items: result.items.map((o) => withTypeMeta(store, o)),
  });
}
