// Routes a resource request (verb + subresource) to its handler.
import { errors } from '../http/api-error.ts';
import type { ResourceRequest } from './request-context.ts';
import { handleGet, handleList } from './read.ts';
import { handleCreate, handlePatch, handleUpdate } from './write.ts';
import { handleDelete, handleDeleteCollection } from './delete.ts';
import { handleWatch } from './watch.ts';
import { handleBinding, handleEviction, handleFinalize, handleNodeStream, handleScale } from './subresources.ts';

const NODE_STREAMS = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);

export async function handleResource(req: ResourceRequest): Promise<void> {
  const { info, store } = req;
  const sub = info.subresource;
  // Only proxy takes a path after its subresource; deeper paths name nothing.
  if (info.rest !== undefined && sub !== 'proxy') throw errors.notFoundPath();
  if (sub) {
    if (!info.name) throw errors.notFoundPath();
    if (!store.info.subresources.some((s) => s.name === sub) && !(sub === 'finalize' && store.info.resource === 'namespaces')) {
      throw errors.notFoundPath();
    }
    if (NODE_STREAMS.has(sub)) return handleNodeStream(req);
    if (sub === 'scale') return handleScale(req);
    if (sub === 'binding' && info.verb === 'create') return handleBinding(req);
    if (sub === 'eviction' && info.verb === 'create') return handleEviction(req);
    if (sub === 'finalize' && info.verb === 'update') return handleFinalize(req);
    if (sub === 'status' || sub === 'ephemeralcontainers' || sub === 'resize') {
      if (info.verb === 'get') return handleGet(req);
      if (info.verb === 'update') return handleUpdate(req);
      if (info.verb === 'patch') return handlePatch(req);
    }
    throw errors.methodNotAllowed();
  }
  if (!store.info.verbs.includes(info.verb)) throw errors.methodNotAllowed();
  // A collection is read, created into and deleted; PUT and PATCH need an object's name.
  if (!info.name && (info.verb === 'update' || info.verb === 'patch')) throw errors.methodNotAllowed();
  switch (info.verb) {
    case 'get':
      return handleGet(req);
    case 'list':
      return handleList(req);
    case 'watch':
      return handleWatch(req);
    case 'create':
      if (info.name) throw errors.methodNotAllowed();
      return handleCreate(req);
    case 'update':
      return handleUpdate(req);
    case 'patch':
      return handlePatch(req);
    case 'delete':
      return handleDelete(req);
    case 'deletecollection':
      return handleDeleteCollection(req);
    default:
      throw errors.methodNotAllowed();
  }
}
