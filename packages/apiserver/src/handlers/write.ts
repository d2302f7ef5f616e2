// POST (create), PUT (update) and PATCH (four patch types) of objects and of their status.
import type { JsonValue, KubeObject } from '@k8ts/api';
import { schema } from '@k8ts/api';
import { strategicMergePatch, jsonMergePatch, applyJsonPatch, PatchError } from '@k8ts/api/patch/index.ts';
import { serverSideApply, ApplyConflictError } from '@k8ts/api/apply/index.ts';
import { ApiError, errors } from '../http/api-error.ts';
import { decodeJsonText, decodeYamlText, patchMediaType, type PatchMediaType } from '../http/codec.ts';
import type { WriteTarget } from '../registry/resource-store.ts';
import type { OperationContext } from '../registry/strategy.ts';
import { checkTyped, decodeTypedBody } from './decode-object.ts';
import { fieldValidation, operationContext, sendObject, withTypeMeta, type ResourceRequest } from './request-context.ts';

function bodyOf(req: ResourceRequest): Buffer | undefined {
  const body = req.request.body;
  return Buffer.isBuffer(body) ? body : undefined;
}

function targetOf(req: ResourceRequest): WriteTarget {
  if (!req.info.subresource) return 'main';
  if (req.info.subresource === 'status') return 'status';
  throw errors.notFoundPath();
}

export async function handleCreate(req: ResourceRequest): Promise<void> {
  const ctx = operationContext(req);
  const object = decodeTypedBody(req.request.headers['content-type'], bodyOf(req), req.store.gvk, fieldValidation(req.query), ctx);
  const namespace = req.info.namespace;
  if (req.store.info.namespaced && object.metadata.namespace && object.metadata.namespace !== namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const created = await req.store.create(namespace, object, ctx);
  sendObject(req, 201, withTypeMeta(req.store, created), ctx);
}

export async function handleUpdate(req: ResourceRequest): Promise<void> {
  const ctx = operationContext(req);
  const object = decodeTypedBody(req.request.headers['content-type'], bodyOf(req), req.store.gvk, fieldValidation(req.query), ctx);
  const { info, store } = req;
  if (store.info.namespaced && object.metadata.namespace && object.metadata.namespace !== info.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const result = await store.update(info.namespace, info.name!, () => object, ctx, { target: targetOf(req) });
  sendObject(req, result.created ? 201 : 200, withTypeMeta(store, result.object), ctx);
}

export async function handlePatch(req: ResourceRequest): Promise<void> {
  const ctx = operationContext(req);
  const type = patchMediaType(req.request.headers['content-type']);
  const text = (bodyOf(req) ?? Buffer.alloc(0)).toString('utf8');
  const { info, store } = req;
  const validation = fieldValidation(req.query);
  if (type === 'application/apply-patch+yaml') {
    await serverSideApplyPatch(req, ctx, text);
    return;
  }
  if (req.query.has('force')) throw errors.badRequest('force: Invalid value: "true": may not be specified for non-apply patch');
  const patch = decodeJsonText(text, 'error decoding patch').value;
  const result = await store.update(
    info.namespace,
    info.name!,
    (current) => {
      const patched = applyPatch(type, current as unknown as JsonValue, patch, store.gvk);
      return checkTyped(patched, [], store.gvk, validation, ctx);
    },
    ctx,
    { target: targetOf(req) },
  );
  sendObject(req, 200, withTypeMeta(store, result.object), ctx);
}

export function applyPatch(type: Exclude<PatchMediaType, 'application/apply-patch+yaml'>, current: JsonValue, patch: JsonValue, gvk: { group: string; version: string; kind: string }): JsonValue {
  try {
    switch (type) {
      case 'application/json-patch+json':
        return applyJsonPatch(current, patch);
      case 'application/merge-patch+json':
        return jsonMergePatch(current, patch);
      case 'application/strategic-merge-patch+json': {
        const message = schema.kindSchema(gvk);
        if (!message) throw errors.unsupportedMediaType(type, ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
        return strategicMergePatch(current, patch, message);
      }
    }
  } catch (err) {
    if (err instanceof PatchError) {
      if (err.code === 'Invalid') throw new ApiError(422, 'Invalid', err.message);
      if (err.code === 'Conflict') throw new ApiError(409, 'Conflict', err.message);
      // The real apiserver passes most strategic-merge failures through unconverted: a 500
      // without a reason, which kubectl prints as "Error from server: <message>".
      if (err.code === 'Unknown') throw new ApiError(500, '', err.message);
      throw errors.badRequest(err.message);
    }
    throw err;
  }
}

async function serverSideApplyPatch(req: ResourceRequest, ctx: OperationContext, text: string): Promise<void> {
  const { info, store } = req;
  if (!req.query.get('fieldManager')) {
    throw errors.badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  }
  const force = req.query.get('force') === 'true';
  const decoded = decodeYamlText(text, 'error decoding YAML');
  const applied = checkTyped(decoded.value, [], store.gvk, fieldValidation(req.query), ctx);
  if (applied.metadata.name && applied.metadata.name !== info.name) {
    throw errors.badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${info.name})`);
  }
  const message = schema.kindSchema(store.gvk);
  try {
    const result = await store.update(
      info.namespace,
      info.name!,
      (current) =>
        serverSideApply(current, applied, {
          manager: ctx.fieldManager,
          force,
          apiVersion: store.apiVersion,
          now: ctx.now,
          message,
          ...(info.subresource === 'status' ? { subresource: 'status' } : {}),
        }),
      ctx,
      { target: targetOf(req), createIfMissing: true, operation: 'Apply', managedFieldsDone: true },
    );
    sendObject(req, result.created ? 201 : 200, withTypeMeta(store, result.object as KubeObject), ctx);
  } catch (err) {
    if (err instanceof ApplyConflictError) {
      throw new ApiError(409, 'Conflict', err.message, {
        name: info.name!,
        group: store.info.group,
        kind: store.info.resource,
        causes: err.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: c.message, field: c.field })),
      });
    }
    throw err;
  }
}
