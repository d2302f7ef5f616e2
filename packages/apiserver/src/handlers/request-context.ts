// What every resource handler gets: the parsed request, the user, and the server's parts.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KubeObject } from '@k8ts/api';
import type { RequestInfo } from '../http/request-info.ts';
import type { ResourceRegistry } from '../registry/resource-registry.ts';
import type { ResourceStore } from '../registry/resource-store.ts';
import type { OperationContext, UserInfo } from '../registry/strategy.ts';
import { errors } from '../http/api-error.ts';

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

export function fieldValidation(query: URLSearchParams): FieldValidation {
  const value = query.get('fieldValidation');
  if (value === null || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw errors.badRequest(`fieldValidation parameter unsupported: ${value}. Supported values: Ignore, Warn, Strict`);
}

export function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All') throw errors.badRequest(`Invalid dry run value: ${v}`);
  }
  return values.length > 0;
}

/** The manager recorded in managedFields: ?fieldManager, else derived from the User-Agent like Kubernetes. */
export function fieldManager(req: ResourceRequest): string {
  const explicit = req.query.get('fieldManager');
  if (explicit) {
    if (explicit.length > 128) throw errors.badRequest(`fieldManager: Too long: must have at most 128 bytes`);
    return explicit;
  }
  const agent = String(req.request.headers['user-agent'] ?? 'unknown');
  return agent.split('/')[0]!.slice(0, 128);
}

export function operationContext(req: ResourceRequest, overrides: { dryRun?: boolean } = {}): OperationContext {
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
