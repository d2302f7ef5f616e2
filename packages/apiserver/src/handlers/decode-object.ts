// Decoding an object body the way Kubernetes' strict/warn field validation does: type errors
// are always 400; unknown and duplicate fields are 400 under Strict, warnings under Warn.
import type { KubeObject, MessageSchema } from '@k8ts/api';
import { isJsonObject, parseApiVersion, pruneToSchema, schema } from '@k8ts/api';
import { findTypeError, findUnknownFields } from '@k8ts/api/validation/index.ts';
import { errors } from '../http/api-error.ts';
import { decodeObjectBody } from '../http/codec.ts';
import type { OperationContext } from '../registry/strategy.ts';
import type { FieldValidation } from './request-context.ts';

export interface ExpectedType {
  group: string;
  version: string;
  kind: string;
}

export function decodeTypedBody(
  contentType: string | undefined,
  body: Buffer | undefined,
  expected: ExpectedType,
  validation: FieldValidation,
  ctx: Pick<OperationContext, 'warnings'>,
): KubeObject {
  const { value, duplicateFields } = decodeObjectBody(contentType, body);
  return checkTyped(value, duplicateFields, expected, validation, ctx);
}

export function checkTyped(
  value: unknown,
  duplicateFields: string[],
  expected: ExpectedType,
  validation: FieldValidation,
  ctx: Pick<OperationContext, 'warnings'>,
): KubeObject {
  const expectedApiVersion = expected.group ? `${expected.group}/${expected.version}` : expected.version;
  if (!isJsonObject(value)) {
    throw errors.badRequest(`${expected.kind} in version "${expected.version}" cannot be handled as a ${expected.kind}: the body must be a JSON object`);
  }
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
  const kind = typeof value.kind === 'string' ? value.kind : '';
  if (apiVersion && apiVersion !== expectedApiVersion) {
    const { group } = parseApiVersion(apiVersion);
    if (group !== expected.group || !schema.kindSchema({ ...parseApiVersion(apiVersion), kind: kind || expected.kind })) {
      throw errors.badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (${expectedApiVersion})`);
    }
  }
  if (kind && kind !== expected.kind) {
    throw errors.badRequest(`the kind in the data (${kind}) does not match the expected kind (${expected.kind})`);
  }
  const message = schema.kindSchema(expected) as MessageSchema;
  const typeError = findTypeError(message, value);
  if (typeError) {
    throw errors.badRequest(`${expected.kind} in version "${expected.version}" cannot be handled as a ${expected.kind}: ${typeError}`);
  }
  if (validation !== 'Ignore') {
    const problems = [
      ...duplicateFields.map((f) => `duplicate field "${f}"`),
      ...findUnknownFields(message, value).map((f) => `unknown field "${f}"`),
    ];
    if (problems.length > 0) {
      if (validation === 'Strict') throw errors.badRequest(`strict decoding error: ${problems.join(', ')}`);
      ctx.warnings.push(...problems);
    }
  }
  const object = pruneToSchema(message, value) as unknown as KubeObject;
  object.metadata = isJsonObject(object.metadata) ? object.metadata : {};
  return object;
}
