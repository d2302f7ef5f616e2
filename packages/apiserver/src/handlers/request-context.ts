// What every resource handler gets: the parsed request, the user, and the server's parts.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KubeObject } from '@k8ts/api';
import type { RequestInfo, Verb } from '../http/request-info.ts';
import type { ResourceRegistry } from '../registry/resource-registry.ts';
import type { ResourceStore } from '../registry/resource-store.ts';
import type { OperationContext, UserInfo } from '../registry/strategy.ts';
import { goQuote } from '@k8ts/api/validation/go-format.ts';
import { invalidMessage, type FieldError } from '@k8ts/api/validation/index.ts';
import { type ApiError, errors } from '../http/api-error.ts';
import { mediaType } from '../http/codec.ts';

export interface ServerParts {
  readonly registry: ResourceRegistry;
  readonly now: () => Date;
}

export interface ResourceRequest {
  readonly parts: ServerParts;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly info: RequestInfo;
  readonly store: ResourceStore;
  readonly query: URLSearchParams;
  readonly user: UserInfo;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

const FIELD_VALIDATIONS = ['', 'Ignore', 'Strict', 'Warn'];
const MAX_FIELD_MANAGER_BYTES = 128;

/** ?fieldValidation (default Warn); validateWriteOptions has refused unsupported values. */
export function fieldValidation(query: URLSearchParams): FieldValidation {
  const value = query.get('fieldValidation');
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  if (value === null || value === '') return 'Warn';
  throw optionsInvalid('CreateOptions', [unsupportedFieldValidation(value)]);
}

export function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  if (values.some((v) => v !== 'All')) throw optionsInvalid('CreateOptions', [unsupportedDryRun(values)]);
  return values.length > 0;
}

/** The options object a write verb decodes from the query (and, for DELETE, the body). */
function optionsKind(verb: Verb): string {
  if (verb === 'update') return 'UpdateOptions';
  if (verb === 'patch') return 'PatchOptions';
  if (verb === 'delete' || verb === 'deletecollection') return 'DeleteOptions';
  return 'CreateOptions';
}

/**
 * The write options in the query, checked as Kubernetes validates CreateOptions, UpdateOptions,
 * PatchOptions and DeleteOptions: every problem at once, as a 422 on the options object.
 */
export function validateWriteOptions(req: ResourceRequest): void {
  const kind = optionsKind(req.info.verb);
  const found: FieldError[] = [];
  const manager = req.query.get('fieldManager') ?? '';
  if (kind === 'PatchOptions') {
    if (mediaType(req.request.headers['content-type']) === 'application/apply-patch+yaml') {
      if (manager === '') found.push({ type: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' });
    } else if (req.query.has('force')) {
      found.push({ type: 'FieldValueForbidden', field: 'force', message: 'Forbidden: may not be specified for non-apply patch' });
    }
  }
  if (kind !== 'DeleteOptions' && Buffer.byteLength(manager) > MAX_FIELD_MANAGER_BYTES) {
    found.push({ type: 'FieldValueTooLong', field: 'fieldManager', message: `Too long: may not be more than ${MAX_FIELD_MANAGER_BYTES} bytes` });
  }
  const dryRun = req.query.getAll('dryRun');
  if (dryRun.some((v) => v !== 'All')) found.push(unsupportedDryRun(dryRun));
  const validation = req.query.get('fieldValidation') ?? '';
  if (kind !== 'DeleteOptions' && !FIELD_VALIDATIONS.includes(validation)) found.push(unsupportedFieldValidation(validation));
  if (found.length > 0) throw optionsInvalid(kind, found);
}

function unsupportedDryRun(values: string[]): FieldError {
  const shown = `[]string{${values.map(goQuote).join(', ')}}`;
  return { type: 'FieldValueNotSupported', field: 'dryRun', message: `Unsupported value: ${shown}: supported values: "All"` };
}

function unsupportedFieldValidation(value: string): FieldError {
  const supported = FIELD_VALIDATIONS.map((v) => goQuote(v)).join(', ');
  return { type: 'FieldValueNotSupported', field: 'fieldValidation', message: `Unsupported value: ${goQuote(value)}: supported values: ${supported}` };
}

function optionsInvalid(kind: string, found: FieldError[]): ApiError {
  return errors.invalid(
    kind,
    'meta.k8s.io',
    '',
    invalidMessage(kind, 'meta.k8s.io', '', found),
    found.map((e) => ({ reason: e.type, message: e.message, field: e.field })),
  );
}

/**
 * The manager recorded in managedFields: ?fieldManager (validateWriteOptions checked its length),
 * else derived from the User-Agent like Kubernetes.
 */
export function fieldManager(req: ResourceRequest): string {
  const explicit = req.query.get('fieldManager');
  if (explicit) return explicit;
  const agent = String(req.request.headers['user-agent'] ?? 'unknown');
  return agent.split('/')[0]!.slice(0, 128);
}

export function operationContext(req: ResourceRequest, overrides: { dryRun?: boolean } = {}): OperationContext {
  validateWriteOptions(req);
  return {
    now: req.parts.now(),
    user: req.user,
    dryRun: overrides.dryRun ?? isDryRun(req.query),
    fieldManager: fieldManager(req),
    warnings: [],
  };
}

/** Sends a JSON body with Warning headers collected during the operation. */
export function sendObject(req: ResourceRequest, code: number, body: unknown, ctx?: OperationContext): void {
  if (ctx && ctx.warnings.length > 0) {
    req.reply.header('Warning', ctx.warnings.map((w) => `299 - ${JSON.stringify(w)}`));
  }
  req.reply.code(code).header('Content-Type', 'application/json').send(JSON.stringify(body));
}

export function withTypeMeta(store: ResourceStore, object: KubeObject): KubeObject {
  return { apiVersion: store.apiVersion, kind: store.info.kind, ...object };
}
