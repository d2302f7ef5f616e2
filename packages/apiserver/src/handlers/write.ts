// POST (create), PUT (update) and PATCH (four patch types) of objects and of their status.
import type { JsonValue, KubeObject } from '@k8ts/api';
import { isJsonObject, schema } from '@k8ts/api';
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
  // The router refuses a Content-Type no patch route consumes before anything else is looked at.
  const type = patchMediaType(req.request.headers['content-type']);
  const ctx = operationContext(req);
  const text = (bodyOf(req) ?? Buffer.alloc(0)).toString('utf8');
  const { info, store } = req;
  const validation = fieldValidation(req.query);
  if (type === 'application/apply-patch+yaml') {
    await serverSideApplyPatch(req, ctx, text);
    return;
  }
  const patch = decodeJsonText(text, 'error decoding patch').value;
  const result = await store.update(
    info.namespace,
    info.name!,
    (current) => {
      // Only server-side apply creates: other patches of a missing object are 404, even for
      // kinds whose PUT may create (RBAC roles and bindings).
      if (!current) throw errors.notFound(store.ref, info.name!);
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
        if (!message) throw errors.unsupportedMediaType(['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
        return strategicMergePatch(current, patch, message);
      }
    }
  } catch (err) {
    if (err instanceof PatchError) {
      // A JSON patch operation that fails: Kubernetes' generic 422, with empty details.
      if (err.code === 'Invalid') throw new ApiError(422, 'Invalid', err.message, {});
      if (err.code === 'Conflict') throw new ApiError(409, 'Conflict', err.message);
      // The real apiserver passes most strategic-merge failures through unconverted: a 500
      // without a reason, which kubectl prints as "Error from server: <message>".
      if (err.code === 'Unknown') throw new ApiError(500, '', err.message);
      throw errors.badRequest(err.message);
    }
    throw err;
  }
}

/**
 * The field manager's first checks on an apply patch: its apiVersion must be the resource's, and
 * its kind one the version has. (Kubernetes answers an unknown kind with a bare 500 carrying
 * this message; it is the client's mistake, so here it is a 400.)
 */
function checkApplyTypeMeta(patch: JsonValue, apiVersion: string, kind: string): void {
  const fields = isJsonObject(patch) ? patch : {};
  const patchApiVersion = typeof fields.apiVersion === 'string' && fields.apiVersion.split('/').length <= 2 ? fields.apiVersion : '';
  if (patchApiVersion !== apiVersion) {
    throw errors.badRequest(`Incorrect version specified in apply patch. Specified patch version: ${patchApiVersion}, expected: ${apiVersion}`);
  }
  const patchKind = typeof fields.kind === 'string' ? fields.kind : '';
  if (patchKind !== kind) {
    const meta = isJsonObject(fields.metadata) ? fields.metadata : {};
    const gvk = `${apiVersion}, Kind=${patchKind}`;
    throw errors.badRequest(
      `failed to create typed patch object (${String(meta.namespace ?? '')}/${String(meta.name ?? '')}; ${gvk}): no corresponding type for ${gvk}`,
    );
  }
}

async function serverSideApplyPatch(req: ResourceRequest, ctx: OperationContext, text: string): Promise<void> {
  const { info, store } = req;
  const force = req.query.get('force') === 'true';
  const decoded = decodeYamlText(text, 'error decoding YAML');
  checkApplyTypeMeta(decoded.value, store.apiVersion, store.info.kind);
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
