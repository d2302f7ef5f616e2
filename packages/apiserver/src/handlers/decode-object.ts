// Decoding an object body the way Kubernetes' strict/warn field validation does: type errors
// are always 400; unknown and duplicate fields are 400 under Strict, warnings under Warn.
import type { JsonObject, JsonValue, KubeObject, MessageSchema } from '@k8ts/api';
import { isJsonObject, pruneToSchema, schema } from '@k8ts/api';
import { findTypeError, findUnknownFields } from '@k8ts/api/validation/index.ts';
import { ApiError, errors } from '../http/api-error.ts';
import { BodySyntaxError, decodeObjectBody } from '../http/codec.ts';
import { checkBodyKind, unrecognizedBody, type ExpectedType } from './decode-errors.ts';
import type { OperationContext } from '../registry/strategy.ts';
import type { FieldValidation } from './request-context.ts';

export type { ExpectedType } from './decode-errors.ts';

export function decodeTypedBody(
  contentType: string | undefined,
  body: Buffer | undefined,
  expected: ExpectedType,
  validation: FieldValidation,
  ctx: Pick<OperationContext, 'warnings'>,
): KubeObject {
  try {
    const { value, duplicateFields } = decodeObjectBody(contentType, body);
    return checkTyped(value, duplicateFields, expected, validation, ctx);
  } catch (err) {
    // A body the decoder could not read even apiVersion/kind from is quoted back.
    if (err instanceof BodySyntaxError) throw unrecognizedBody(expected.kind, err.problem, body ?? Buffer.alloc(0));
    // Create and update decode their body into the kind and say which kind it could not become
    // (Kubernetes' transformDecodeError); a patch reports the strict decoding error alone.
    if (err instanceof StrictDecodingError) {
      throw errors.badRequest(`${expected.kind} in version "${expected.version}" cannot be handled as a ${expected.kind}: ${err.message}`);
    }
    throw err;
  }
}

/** Unknown or duplicate fields under fieldValidation=Strict: 400, worded by the caller's path. */
class StrictDecodingError extends ApiError {
  constructor(problems: string[]) {
    super(400, 'BadRequest', `strict decoding error: ${problems.join(', ')}`);
  }
}

export function checkTyped(
  input: unknown,
  duplicateFields: string[],
  expected: ExpectedType,
  validation: FieldValidation,
  ctx: Pick<OperationContext, 'warnings'>,
): KubeObject {
  checkBodyKind(input as JsonValue, expected);
  // JSON null decodes as an empty object of the kind.
  const value: JsonObject = isJsonObject(input) ? input : {};
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
      if (validation === 'Strict') throw new StrictDecodingError(problems);
      ctx.warnings.push(...problems);
    }
  }
  const object = pruneToSchema(message, value) as unknown as KubeObject;
  object.metadata = isJsonObject(object.metadata) ? object.metadata : {};
  return object;
}
